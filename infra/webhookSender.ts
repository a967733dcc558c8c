import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  FUNCTION_TIMEOUT_SECONDS,
  SENDER_QUEUE_ACTIONS,
  SENDER_SECRET_ACTIONS,
  SENDER_TABLE_ACTIONS,
  TASK_EVENT_DETAIL_TYPES,
  TASK_EVENT_SOURCE,
  WEBHOOK_ATTEMPTS,
} from "@task-api/contract";
import { createDeadLetterQueue } from "./deadLetterQueue";
import {
  createLambdaRole,
  type PolicyStatement,
  tableKeyStatements,
  targetStatements,
  writeOwnLogsStatement,
} from "./functionRole";
import { createFunctionLogGroup, createLambdaFunction } from "./lambdaFunction";
import { currentDeployment, functionNameFor, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";
import { handlerEnvironment } from "./taskFunction";

/**
 * The sender's queue settings. Each message is one delivery; SQS keeps it hidden between attempts
 * (ChangeMessageVisibility takes up to 12 hours; the schedule's longest wait is 10), and moves it
 * to the dead-letter queue at the receive after its WEBHOOK_ATTEMPTS-th (redrive's
 * maxReceiveCount). Retention must outlast the schedule (27 h 35 min): four days. Lambda asks for
 * a queue visibility timeout of at least six times the function's timeout
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html): 30 s.
 */
export const WEBHOOK_QUEUE_SETTINGS = {
  visibilityTimeoutSeconds: 6 * FUNCTION_TIMEOUT_SECONDS,
  messageRetentionSeconds: 4 * 86_400,
  maxReceiveCount: WEBHOOK_ATTEMPTS,
} as const;

/**
 * At most this many sender invocations at once (the event source's maximum concurrency, at least
 * 2): it caps the load on receivers and on the table. Lambda's own throttling would count as
 * receives and spend attempts, so a stack that reserves concurrency reserves exactly this much.
 */
export const SENDER_MAX_CONCURRENCY = 5;

/** Messages per invocation: each is POSTed concurrently, within the 5 s. */
export const SENDER_BATCH_SIZE = 10;

/**
 * The sender's statements that no request of its code sends: Lambda's event source mapping
 * polls the queue with the function's role.
 */
export const SENDER_GRANTS_USED_BY_LAMBDA: Readonly<Record<string, string>> = {
  TakeDeliveries:
    "Lambda's SQS event source calls ReceiveMessage, DeleteMessage and GetQueueAttributes with the function's role",
};

/**
 * The sender's whole permission set: read a task (GetItem), read the target objects it signs URLs
 * for (as the API's function does), decrypt with the table's and targets' keys, read the signing
 * secret, take deliveries from its own queue, write its own logs.
 */
export function senderPolicyStatements(args: {
  tableArn: string;
  logGroupArn: string;
  queueArn: string;
  secretArn: string;
  targets: StackConfig["targetBuckets"];
  targetKmsKeyArns: readonly string[];
  tableKmsKeyArn: string | undefined;
}): PolicyStatement[] {
  const [receive, del, attributes, visibility] = SENDER_QUEUE_ACTIONS;
  const statements: PolicyStatement[] = [
    { Sid: "ReadTasks", Effect: "Allow", Action: [...SENDER_TABLE_ACTIONS], Resource: [args.tableArn] },
    ...tableKeyStatements(args.tableKmsKeyArn),
    { Sid: "ReadSigningSecret", Effect: "Allow", Action: [...SENDER_SECRET_ACTIONS], Resource: [args.secretArn] },
    { Sid: "TakeDeliveries", Effect: "Allow", Action: [receive, del, attributes], Resource: [args.queueArn] },
    { Sid: "ScheduleRetries", Effect: "Allow", Action: [visibility], Resource: [args.queueArn] },
  ];
  statements.push(...targetStatements(args.targets, args.targetKmsKeyArns));
  statements.push(writeOwnLogsStatement(args.logGroupArn));
  return statements;
}

export interface WebhookSender {
  fn: aws.lambda.Function;
  role: aws.iam.Role;
  queue: aws.sqs.Queue;
  deadLetters: aws.sqs.Queue;
  deadLetterAlarm: aws.cloudwatch.MetricAlarm;
  secret: aws.secretsmanager.Secret;
  rule: aws.cloudwatch.EventRule;
  /** The secret receivers verify with (a Pulumi secret): `pulumi stack output webhookSigningSecret --show-secrets`. */
  signingSecret: pulumi.Output<string>;
}

/**
 * Signed webhooks: a rule on the stack's bus takes every Task Completed and Task Failed event and
 * queues its detail (the task and its status) for the sender, a function that reads the task,
 * POSTs the delivery to its CallbackUrl and sets each retry's time on the queue itself
 * (WEBHOOK_RETRY_DELAYS_SECONDS, over about 28 hours); a delivery that fails every attempt waits
 * in a dead-letter queue, with an alarm, for `task-record redeliver`. The signing secret is the
 * stack's `webhookSigningSecret` (or 32 random bytes when unset), kept in Secrets Manager, never in
 * a function's environment (the preview role's lambda:GetFunction reads those).
 */
export function createWebhookSender(args: {
  config: StackConfig;
  table: aws.dynamodb.Table;
  bus: aws.cloudwatch.EventBus;
  alarmActions: pulumi.Input<string>[];
  permissionsBoundary: pulumi.Input<string>;
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): WebhookSender {
  const { config, table, bus, parent } = args;
  const signingSecret: pulumi.Output<string> =
    config.webhookSigningSecret ??
    pulumi.secret(
      new random.RandomBytes("webhook-signing-secret", { length: 32 }, { parent }).base64.apply(
        (bytes) => `whsec_${bytes}`,
      ),
    );
  const secret = new aws.secretsmanager.Secret(
    "webhook-signing-secret",
    {
      description: `${SERVICE_NAME}: the secret webhook deliveries are signed with (Standard Webhooks)`,
      // The shortest recovery window: a destroyed stack's secret is gone within a week.
      recoveryWindowInDays: 7,
    },
    { parent },
  );
  const version = new aws.secretsmanager.SecretVersion(
    "webhook-signing-secret",
    {
      secretId: secret.id,
      secretString: pulumi
        .all([signingSecret, config.webhookPreviousSigningSecret ?? pulumi.output(undefined)])
        .apply(([current, previous]) => JSON.stringify(previous === undefined ? { current } : { current, previous })),
    },
    { parent },
  );

  const { queue: deadLetters, alarm: deadLetterAlarm } = createDeadLetterQueue(
    "task-webhooks-dead-letters",
    `${SERVICE_NAME}: a webhook failed all ${WEBHOOK_ATTEMPTS} attempts; it waits in the dead-letter queue (task-record redeliver).`,
    args.alarmActions,
    parent,
  );
  const queue = new aws.sqs.Queue(
    "task-webhooks",
    {
      visibilityTimeoutSeconds: WEBHOOK_QUEUE_SETTINGS.visibilityTimeoutSeconds,
      messageRetentionSeconds: WEBHOOK_QUEUE_SETTINGS.messageRetentionSeconds,
      sqsManagedSseEnabled: true,
      redrivePolicy: deadLetters.arn.apply((deadLetterTargetArn) =>
        JSON.stringify({ deadLetterTargetArn, maxReceiveCount: WEBHOOK_QUEUE_SETTINGS.maxReceiveCount }),
      ),
    },
    { parent },
  );
  const rule = new aws.cloudwatch.EventRule(
    "task-webhooks",
    {
      description: `${SERVICE_NAME}: queue a webhook for every finished task`,
      eventBusName: bus.name,
      eventPattern: JSON.stringify({
        source: [TASK_EVENT_SOURCE],
        "detail-type": Object.values(TASK_EVENT_DETAIL_TYPES),
      }),
    },
    { parent },
  );
  new aws.sqs.QueuePolicy(
    "task-webhooks",
    {
      queueUrl: queue.url,
      policy: pulumi.all([queue.arn, rule.arn]).apply(([queueArn, ruleArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "QueueTaskEvents",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: queueArn,
              // Only this rule may queue deliveries (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions).
              Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
            },
          ],
        }),
      ),
    },
    { parent },
  );
  // The message is the event's detail: TaskId and Status are what the sender reads (WebhookJob).
  new aws.cloudwatch.EventTarget(
    "task-webhooks",
    {
      rule: rule.name,
      eventBusName: bus.name,
      arn: queue.arn,
      inputPath: "$.detail",
    },
    { parent },
  );

  const name = functionNameFor(currentDeployment(), "webhooks");
  const logGroup = createFunctionLogGroup("webhook-sender", name, config, parent);
  const { role, policy } = createLambdaRole(
    "webhook-sender",
    `${SERVICE_NAME}: the webhook sender`,
    pulumi.all([table.arn, logGroup.arn, queue.arn, secret.arn]).apply(([tableArn, logGroupArn, queueArn, secretArn]) =>
      senderPolicyStatements({
        tableArn,
        logGroupArn,
        queueArn,
        secretArn,
        targets: config.targetBuckets,
        targetKmsKeyArns: config.targetKmsKeyArns,
        tableKmsKeyArn: config.tableKmsKeyArn,
      }),
    ),
    args.permissionsBoundary,
    parent,
  );
  const fn = createLambdaFunction("webhook-sender", {
    config,
    name,
    description: `${SERVICE_NAME}: sends signed webhooks for finished tasks`,
    entry: "webhooks",
    role,
    logGroup,
    variables: {
      ...handlerEnvironment(config, table),
      WEBHOOK_QUEUE_URL: queue.url,
      WEBHOOK_SECRET_ARN: secret.arn,
      // Not the secret: its version, so that a rotation replaces warm containers, which read it once.
      WEBHOOK_SECRET_VERSION: version.versionId,
    },
    reservedConcurrentExecutions: config.reservedConcurrency === undefined ? undefined : SENDER_MAX_CONCURRENCY,
    dependsOn: [policy, logGroup],
    parent,
  });
  new aws.lambda.EventSourceMapping(
    "task-webhooks",
    {
      eventSourceArn: queue.arn,
      functionName: fn.arn,
      batchSize: SENDER_BATCH_SIZE,
      maximumBatchingWindowInSeconds: 0,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: SENDER_MAX_CONCURRENCY },
    },
    // Lambda checks the role can read the queue when the mapping is created.
    { parent, dependsOn: [policy] },
  );
  return { fn, role, queue, deadLetters, deadLetterAlarm, secret, rule, signingSecret };
}
