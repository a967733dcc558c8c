import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BATCH_GET_ROUTE_KEY, TASK_ROUTE_KEY } from "@task-api/contract";
import { accessLogGroupPrefixFor, currentDeployment, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";

// One JSON object per request: what an operator needs to trace a caller's poll to its invocation.
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  routeKey: "$context.routeKey",
  path: "$context.path",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integrationStatus",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integration.error",
  errorMessage: "$context.error.message",
});

export interface TaskHttpApi {
  api: aws.apigatewayv2.Api;
  routes: aws.apigatewayv2.Route[];
  stage: aws.apigatewayv2.Stage;
  permissions: aws.lambda.Permission[];
  accessLogGroup: aws.cloudwatch.LogGroup;
}

/**
 * The HTTP API: GET /task/{task_id} and POST /tasks/batch-get, both proxied to the function
 * (payload 2.0), behind IAM auth unless the stack opts out, on a throttled, access-logged
 * `$default` stage.
 */
export function createTaskHttpApi(args: {
  config: StackConfig;
  fn: aws.lambda.Function;
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): TaskHttpApi {
  const { config, fn, parent } = args;
  const api = new aws.apigatewayv2.Api(
    "task-api",
    {
      protocolType: "HTTP",
      description: `${SERVICE_NAME}: status of asynchronous media-processing tasks`,
    },
    { parent },
  );
  const integration = new aws.apigatewayv2.Integration(
    "task-status",
    {
      apiId: api.id,
      integrationType: "AWS_PROXY",
      integrationMethod: "POST",
      integrationUri: fn.invokeArn,
      payloadFormatVersion: "2.0",
    },
    { parent },
  );
  const routes = [
    { name: "get-task", routeKey: TASK_ROUTE_KEY },
    { name: "batch-get-tasks", routeKey: BATCH_GET_ROUTE_KEY },
  ].map(
    ({ name, routeKey }) =>
      new aws.apigatewayv2.Route(
        name,
        {
          apiId: api.id,
          routeKey,
          target: pulumi.interpolate`integrations/${integration.id}`,
          authorizationType: config.apiAuth === "iam" ? "AWS_IAM" : "NONE",
        },
        { parent },
      ),
  );
  const accessLogGroup = new aws.cloudwatch.LogGroup(
    `${SERVICE_NAME}-access`,
    {
      namePrefix: accessLogGroupPrefixFor(currentDeployment()),
      retentionInDays: config.logRetentionDays,
    },
    { parent },
  );
  const stage = new aws.apigatewayv2.Stage(
    "default",
    {
      apiId: api.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: config.throttleRateLimit,
        throttlingBurstLimit: config.throttleBurstLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: { destinationArn: accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
    },
    { parent, dependsOn: routes },
  );
  // API Gateway invokes the function as <executionArn>/<stage>/<method>/<path>: allow these routes only.
  const permissions = [
    { name: "api-invokes-task-status", route: "GET/task/*" },
    { name: "api-invokes-task-status-batch", route: "POST/tasks/batch-get" },
  ].map(
    ({ name, route }) =>
      new aws.lambda.Permission(
        name,
        {
          action: "lambda:InvokeFunction",
          function: fn.name,
          principal: "apigateway.amazonaws.com",
          sourceArn: pulumi.interpolate`${api.executionArn}/*/${route}`,
        },
        { parent },
      ),
  );
  return { api, routes, stage, permissions, accessLogGroup };
}
