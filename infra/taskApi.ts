import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAccessPolicies } from "./accessPolicies";
import { createDeadlineSweeper, type DeadlineSweeper } from "./deadlineSweeper";
import { createFunctionRole } from "./functionRole";
import { createTaskHttpApi } from "./httpApi";
import { createOperations } from "./operations";
import { permissionsBoundaryArn } from "./permissionsBoundary";
import { SERVICE_NAME, TASK_API_TYPE } from "./resourceNames";
import type { StackConfig } from "./stackConfig";
import { stackTags, tagTransformation } from "./tags";
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

/** What a TaskApi is made from: the stack config, as `loadStackConfig` reads and checks it. */
export type TaskApiArgs = StackConfig;

export interface TaskApiOptions extends pulumi.ComponentResourceOptions {
  /**
   * For a stack deployed before TaskApi existed, when each resource was the stack's own child:
   * every resource the component owns carries an alias to that old parent, so that the next `up`
   * moves it into the component instead of replacing it (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
   */
  movedFromStackRoot?: boolean;
}

/**
 * The whole service as one Pulumi component: the task table, the API function and its role, the
 * HTTP API, callers' and processors' policies, the deadline sweeper, alarms and dashboard, task
 * events and webhooks. Every resource is its child (`parent: this`, passed explicitly: a
 * transformation may not change a parent), so `pulumi preview` shows a tree and another program
 * can make its own `new TaskApi(name, config)`.
 */
export class TaskApi extends pulumi.ComponentResource {
  readonly outputs: TaskApiOutputs;
  readonly table: aws.dynamodb.Table;
  readonly role: aws.iam.Role;
  readonly fn: aws.lambda.Function;
  readonly sweeper: DeadlineSweeper;
  readonly api: aws.apigatewayv2.Api;
  readonly callerPolicy: aws.iam.Policy;
  readonly processorPolicy: aws.iam.Policy;
  readonly webhooks: WebhookSender | undefined;

  constructor(name: string, config: TaskApiArgs, options: TaskApiOptions = {}) {
    const { movedFromStackRoot = false, ...opts } = options;
    super(
      TASK_API_TYPE,
      name,
      {},
      {
        ...opts,
        // Inherited by every child: Service, Stack and the stack's own tags on everything that
        // takes tags, and (for a stack made before the component) the alias to the stack's root.
        transformations: [
          ...(opts.transformations ?? []),
          tagTransformation(stackTags(pulumi.getStack(), config.tags)),
          ...(movedFromStackRoot ? [aliasToStackRoot] : []),
        ],
      },
    );
    const region = aws.getRegionOutput({}, { parent: this }).region;
    // Every role carries the project's boundary, made outside the stack (docs/deploy.md).
    const permissionsBoundary = permissionsBoundaryArn(pulumi.getProject(), this);

    // The task table processors write to and the function reads from.
    const table = defineTaskTable(config, this);

    // The function: its log group, its least-privilege role, and the bundled handler.
    const logGroup = createFunctionLogGroup(config, this);
    const { role, policy } = createFunctionRole({
      table,
      logGroup,
      targets: config.targetBuckets,
      targetKmsKeyArns: config.targetKmsKeyArns,
      tableKmsKeyArn: config.tableKmsKeyArn,
      permissionsBoundary,
      parent: this,
    });
    const fn = createTaskFunction({ config, table, role, logGroup, dependsOn: [policy, logGroup], parent: this });

    // The public face: one route on an HTTP API.
    const { stage, api } = createTaskHttpApi({ config, fn, parent: this });

    // Who may call the API and who may write its records, attached to the roles the stack names.
    const { callerPolicy, processorPolicy } = createAccessPolicies({
      api,
      table,
      callerRoles: config.callerRoles,
      processorRoles: config.processorRoles,
      parent: this,
    });

    // The deadline sweeper: fails tasks whose processor stopped reporting or ran out of time.
    const sweeper = createDeadlineSweeper({ config, table, permissionsBoundary, parent: this });

    // Alarms on errors, throttles, duration and 5xx, and a dashboard of them.
    const { dashboard, alarmTopic } = createOperations({ config, fn, sweeper: sweeper.fn, api, region, parent: this });
    const alarmActions = alarmTopic === undefined ? [] : [alarmTopic.arn];

    // Task Completed / Task Failed events on the stack's own bus, straight from the table's stream.
    const events = config.taskEvents
      ? createTaskEvents({
          table,
          accountIds: config.eventBusAccountIds,
          tableKmsKeyArn: config.tableKmsKeyArn,
          protect: config.protectTable,
          permissionsBoundary,
          alarmActions,
          parent: this,
        })
      : undefined;

    // Signed webhooks to each task's CallbackUrl, from the same events.
    const webhooks =
      events !== undefined && config.webhooks
        ? createWebhookSender({ config, table, bus: events.bus, permissionsBoundary, alarmActions, parent: this })
        : undefined;

    this.outputs = {
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
    };
    this.table = table;
    this.role = role;
    this.fn = fn;
    this.sweeper = sweeper;
    this.api = api;
    this.callerPolicy = callerPolicy;
    this.processorPolicy = processorPolicy;
    this.webhooks = webhooks;
    this.registerOutputs({ ...this.outputs });
  }
}

/**
 * The alias each of the component's own children carries on a stack made before it: the same
 * name and type under the stack's root, the URN it had then (Pulumi's documented form,
 * `aliases: [{ parent: pulumi.rootStackResource }]`). Read at registration, when the root exists.
 */
const aliasToStackRoot: pulumi.ResourceTransformation = ({ props, opts }) => {
  if (!(opts.parent instanceof TaskApi)) return undefined;
  return { props, opts: pulumi.mergeOptions(opts, { aliases: [{ parent: pulumi.rootStackResource }] }) };
};

/** The service as `pulumi up` deploys it from this project: one TaskApi, its resources aliased to where stacks made before it have them. */
export function deployTaskApi(config: StackConfig): TaskApi {
  return new TaskApi(SERVICE_NAME, config, { movedFromStackRoot: true });
}
