import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAccessPolicies } from "./accessPolicies";
import { createDeadlineSweeper, type DeadlineSweeper } from "./deadlineSweeper";
import { createFunctionRole } from "./functionRole";
import { createTaskHttpApi } from "./httpApi";
import { createOperations } from "./operations";
import { permissionsBoundaryArn } from "./permissionsBoundary";
import type { StackConfig } from "./stackConfig";
import { stackTags, tagEveryResource } from "./tags";
import { createTaskEvents } from "./taskEvents";
import { createFunctionLogGroup, createTaskFunction } from "./taskFunction";
import { defineTaskTable } from "./taskTable";
import { createWebhookSender, type WebhookSender } from "./webhookSender";

/** The stack's outputs, as `pulumi stack output` shows them. */
export interface TaskApiOutputs {
  apiUrl: pulumi.Output<string>;
  apiId: pulumi.Output<string>;
  region: pulumi.Output<string>;
  tableName: pulumi.Output<string>;
  tableArn: pulumi.Output<string>;
  functionName: pulumi.Output<string>;
  sweeperFunctionName: pulumi.Output<string>;
  functionRoleArn: pulumi.Output<string>;
  callerPolicyArn: pulumi.Output<string>;
  processorPolicyArn: pulumi.Output<string>;
  dashboardName: pulumi.Output<string>;
  dashboardUrl: pulumi.Output<string>;
  /** The stack's task event bus; undefined (not exported) with taskEvents off. */
  eventBusName: pulumi.Output<string> | undefined;
  eventBusArn: pulumi.Output<string> | undefined;
  /** The webhook sender's queue (task-record redeliver --queue) and function; undefined with webhooks off. */
  webhookQueueUrl: pulumi.Output<string> | undefined;
  webhookSenderFunctionName: pulumi.Output<string> | undefined;
  /** What receivers verify deliveries with, a Pulumi secret (`pulumi stack output webhookSigningSecret --show-secrets`). */
  webhookSigningSecret: pulumi.Output<string> | undefined;
}

/** The stack's outputs, and the resources other code may build on (tests/policy-check's mutations). */
export interface TaskApiStack {
  outputs: TaskApiOutputs;
  table: aws.dynamodb.Table;
  role: aws.iam.Role;
  fn: aws.lambda.Function;
  sweeper: DeadlineSweeper;
  api: aws.apigatewayv2.Api;
  callerPolicy: aws.iam.Policy;
  processorPolicy: aws.iam.Policy;
  webhooks: WebhookSender | undefined;
}

/** Every resource of the service, from its config: table, role, function, API, access, sweeper, alarms. */
export function createTaskApiStack(config: StackConfig): TaskApiStack {
  // Service, Stack and the stack's own tags on everything that takes tags.
  tagEveryResource(stackTags(pulumi.getStack(), config.tags));
  const region = aws.getRegionOutput().region;
  // Every role carries the project's boundary, made outside the stack (docs/deploy.md).
  const permissionsBoundary = permissionsBoundaryArn(pulumi.getProject());

  // The task table processors write to and the function reads from.
  const table = defineTaskTable(config);

  // The function: its log group, its least-privilege role, and the bundled handler.
  const logGroup = createFunctionLogGroup(config);
  const { role, policy } = createFunctionRole({
    table,
    logGroup,
    targets: config.targetBuckets,
    targetKmsKeyArns: config.targetKmsKeyArns,
    tableKmsKeyArn: config.tableKmsKeyArn,
    permissionsBoundary,
  });
  const fn = createTaskFunction({ config, table, role, logGroup, dependsOn: [policy, logGroup] });

  // The public face: one route on an HTTP API.
  const { stage, api } = createTaskHttpApi({ config, fn });

  // Who may call the API and who may write its records, attached to the roles the stack names.
  const { callerPolicy, processorPolicy } = createAccessPolicies({
    api,
    table,
    callerRoles: config.callerRoles,
    processorRoles: config.processorRoles,
  });

  // The deadline sweeper: fails tasks whose processor stopped reporting or ran out of time.
  const sweeper = createDeadlineSweeper({ config, table, permissionsBoundary });

  // Alarms on errors, throttles, duration and 5xx, and a dashboard of them.
  const { dashboard, alarmTopic } = createOperations({ config, fn, sweeper: sweeper.fn, api, region });

  // Task Completed / Task Failed events on the stack's own bus, straight from the table's stream.
  const events = config.taskEvents
    ? createTaskEvents({
        table,
        accountIds: config.eventBusAccountIds,
        tableKmsKeyArn: config.tableKmsKeyArn,
        protect: config.protectTable,
        permissionsBoundary,
        alarmActions: alarmTopic === undefined ? [] : [alarmTopic.arn],
      })
    : undefined;

  // Signed webhooks to each task's CallbackUrl, from the same events.
  const webhooks =
    events !== undefined && config.webhooks
      ? createWebhookSender({
          config,
          table,
          bus: events.bus,
          permissionsBoundary,
          alarmActions: alarmTopic === undefined ? [] : [alarmTopic.arn],
        })
      : undefined;

  return {
    outputs: {
      apiUrl: stage.invokeUrl,
      apiId: api.id,
      region,
      tableName: table.name,
      tableArn: table.arn,
      functionName: fn.name,
      sweeperFunctionName: sweeper.fn.name,
      functionRoleArn: role.arn,
      callerPolicyArn: callerPolicy.arn,
      processorPolicyArn: processorPolicy.arn,
      dashboardName: dashboard.dashboardName,
      dashboardUrl: dashboard.url,
      eventBusName: events?.bus.name,
      eventBusArn: events?.bus.arn,
      webhookQueueUrl: webhooks?.queue.url,
      webhookSenderFunctionName: webhooks?.fn.name,
      webhookSigningSecret: webhooks?.signingSecret,
    },
    table,
    role,
    fn,
    sweeper,
    api,
    callerPolicy,
    processorPolicy,
    webhooks,
  };
}
