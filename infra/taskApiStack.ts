import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createFunctionRole } from "./functionRole";
import { createTaskHttpApi } from "./httpApi";
import { createOperations } from "./operations";
import type { StackConfig } from "./stackConfig";
import { createFunctionLogGroup, createTaskFunction } from "./taskFunction";
import { createTaskTable } from "./taskTable";

/** The stack's outputs, as `pulumi stack output` shows them. */
export interface TaskApiOutputs {
  apiUrl: pulumi.Output<string>;
  tableName: pulumi.Output<string>;
  tableArn: pulumi.Output<string>;
  functionName: pulumi.Output<string>;
  dashboardName: pulumi.Output<string>;
  dashboardUrl: pulumi.Output<string>;
}

/** The stack's outputs, and the resources other code may build on (the offline policy check's mutations). */
export interface TaskApiStack {
  outputs: TaskApiOutputs;
  table: aws.dynamodb.Table;
  role: aws.iam.Role;
  fn: aws.lambda.Function;
  api: aws.apigatewayv2.Api;
}

/** Every resource of the service, from its config: table, role, function, API, alarms. */
export function createTaskApiStack(config: StackConfig): TaskApiStack {
  // The task table processors write to and the function reads from.
  const table = createTaskTable();

  // The function: its log group, its least-privilege role, and the bundled handler.
  const logGroup = createFunctionLogGroup(config);
  const { role, policy } = createFunctionRole({ table, logGroup, targets: config.targetBuckets });
  const fn = createTaskFunction({ config, table, role, logGroup, dependsOn: [policy, logGroup] });

  // The public face: one route on an HTTP API.
  const { stage, api } = createTaskHttpApi({ config, fn });

  // Alarms on errors, throttles, duration and 5xx, and a dashboard of them.
  const { dashboard } = createOperations({ config, fn, api });

  return {
    outputs: {
      apiUrl: stage.invokeUrl,
      tableName: table.name,
      tableArn: table.arn,
      functionName: fn.name,
      dashboardName: dashboard.dashboardName,
      dashboardUrl: dashboard.url,
    },
    table,
    role,
    fn,
    api,
  };
}
