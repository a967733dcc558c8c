import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import {
  STREAM_LIST_ACTIONS,
  STREAM_READ_ACTIONS,
  TASK_EVENT_DETAIL_TYPES,
  TASK_EVENT_SOURCE,
  type TaskEventStatus,
} from "@task-api/contract";
import { createDeadLetterQueue } from "./deadLetterQueue";
import { type PolicyStatement, tableKeyStatements } from "./functionRole";
import { currentDeployment, eventBusNameFor, SERVICE_NAME } from "./resourceNames";
import { statusChangeFilters, taskEventInputTemplate } from "./taskEventDefinitions";

/**
 * How the pipes read the stream. DynamoDB keeps stream records for 24 hours (fixed); a record
 * the bus cannot take is retried with backoff up to 10 times or for an hour, whichever ends
 * first, then sent to the dead-letter queue, where it waits 14 days for a redrive. No batching
 * window: a completion should reach consumers within a second, and a batch of 10 is what one
 * PutEvents call takes.
 */
export const PIPE_SOURCE_SETTINGS = {
  startingPosition: "LATEST",
  batchSize: 10,
  maximumBatchingWindowInSeconds: 0,
  maximumRetryAttempts: 10,
  maximumRecordAgeInSeconds: 3600,
  onPartialBatchItemFailure: "AUTOMATIC_BISECT",
} as const;

/** How long the pipes wait for their role and the stream to be usable (see createTaskEvents). */
export const PIPE_PROPAGATION_WAIT = "120s";

/**
 * Every statement of the pipe role is used by EventBridge Pipes, not by code of ours: the service
 * reads the stream, puts on the bus and dead-letters with the role (AWS's page in STREAM_READ_ACTIONS).
 */
export const PIPE_GRANTS_USED_BY_PIPES: Readonly<Record<string, string>> = {
  ReadTaskStream: "Pipes reads the table's stream with the pipe's role",
  ListTaskStreams: "Pipes lists the table's streams with the pipe's role",
  UseTableKey: "DynamoDB Streams calls kms:Decrypt with the pipe's permission for a table under a customer-managed key",
  PutTaskEvents: "Pipes puts each event on the bus with the pipe's role",
  DeadLetterTaskEvents: "Pipes sends a batch it could not deliver to the dead-letter queue with the pipe's role",
};

/** The pipe role's whole permission set: read this table's stream, put on this bus, dead-letter to this queue. */
export function pipePolicyStatements(args: {
  streamArn: string;
  busArn: string;
  queueArn: string;
  tableKmsKeyArn?: string | undefined;
}): PolicyStatement[] {
  return [
    { Sid: "ReadTaskStream", Effect: "Allow", Action: [...STREAM_READ_ACTIONS], Resource: [args.streamArn] },
    // Wildcard-only in AWS's service authorization reference: a stream ARN here would grant nothing.
    { Sid: "ListTaskStreams", Effect: "Allow", Action: [...STREAM_LIST_ACTIONS], Resource: ["*"] },
    ...tableKeyStatements(args.tableKmsKeyArn),
    { Sid: "PutTaskEvents", Effect: "Allow", Action: ["events:PutEvents"], Resource: [args.busArn] },
    { Sid: "DeadLetterTaskEvents", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [args.queueArn] },
  ];
}

/** A bus policy statement that lets these accounts manage their own rules on the bus (and nothing else). */
export function busRuleStatements(args: { busArn: string; busName: string; accountIds: readonly string[] }) {
  const ruleArns = args.busArn.replace(/:event-bus\/.*$/, `:rule/${args.busName}/*`);
  return args.accountIds.map((account) => ({
    Sid: `ManageOwnRules${account}`,
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: [
      "events:PutRule",
      "events:PutTargets",
      "events:DeleteRule",
      "events:RemoveTargets",
      "events:DisableRule",
      "events:EnableRule",
      "events:DescribeRule",
      "events:ListTargetsByRule",
      "events:TagResource",
      "events:UntagResource",
      "events:ListTagsForResource",
    ],
    Resource: ruleArns,
    // Each account may change only the rules it created.
    Condition: { StringEqualsIfExists: { "events:creatorAccount": account } },
  }));
}

export interface TaskEvents {
  bus: aws.cloudwatch.EventBus;
  deadLetters: aws.sqs.Queue;
  role: aws.iam.Role;
  pipes: aws.pipes.Pipe[];
  deadLetterAlarm: aws.cloudwatch.MetricAlarm;
}

/**
 * Task events without code: the table's stream feeds one EventBridge pipe per published status
 * (completed, failed), whose filter passes only the writes that move a task into that status and
 * whose input transformer shapes the event; both put onto the stack's own bus. A detail-type per
 * status needs a pipe per status (a pipe's detail-type is one value); two is also the most
 * readers a DynamoDB stream shard should have at once.
 */
export function createTaskEvents(args: {
  table: aws.dynamodb.Table;
  accountIds: readonly string[];
  alarmActions: pulumi.Input<string>[];
  /** The table's customer-managed key, if any: the pipes decrypt its stream with it. */
  tableKmsKeyArn: string | undefined;
  /**
   * Pulumi's `protect` on the bus, the stack's one protection switch (`protectTable`): consumers'
   * rules live on it, in this account and others, and deleting it takes them with it.
   */
  protect: boolean;
  /** The project's permissions boundary, carried by the pipe role as by every role of the stack. */
  permissionsBoundary: pulumi.Input<string>;
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): TaskEvents {
  const { parent } = args;
  const stack = pulumi.getStack();
  const bus = new aws.cloudwatch.EventBus(
    "task-events",
    {
      name: eventBusNameFor(currentDeployment()),
      description: `${SERVICE_NAME}: Task Completed and Task Failed events`,
    },
    { parent, protect: args.protect },
  );
  if (args.accountIds.length > 0) {
    new aws.cloudwatch.EventBusPolicy(
      "task-events-consumers",
      {
        eventBusName: bus.name,
        policy: pulumi.all([bus.arn, bus.name]).apply(([busArn, busName]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: busRuleStatements({ busArn, busName, accountIds: args.accountIds }),
          }),
        ),
      },
      { parent },
    );
  }

  const { queue: deadLetters, alarm: deadLetterAlarm } = createDeadLetterQueue(
    "task-events-dead-letters",
    `${SERVICE_NAME}: task events could not be delivered to the bus; they wait in the dead-letter queue.`,
    args.alarmActions,
    parent,
  );

  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const role = new aws.iam.Role(
    "task-events-pipe",
    {
      description: `${SERVICE_NAME}: the pipes that publish task events`,
      permissionsBoundary: args.permissionsBoundary,
      assumeRolePolicy: account.apply((accountId) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "pipes.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
          ],
        }),
      ),
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    "task-events-pipe",
    {
      role: role.id,
      policy: pulumi.all([args.table.streamArn, bus.arn, deadLetters.arn]).apply(([streamArn, busArn, queueArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: pipePolicyStatements({ streamArn, busArn, queueArn, tableKmsKeyArn: args.tableKmsKeyArn }),
        }),
      ),
    },
    { parent },
  );

  // A new role's policy and a new stream are not usable by Pipes at once: CreatePipe fails with
  // "Cannot access stream ... ensure the customer role can perform actions on source stream", and
  // dependsOn does not help (terraform-provider-aws#40572: works only with a sleep of over 90 s;
  // aws-cdk#31211). The pipes wait this long after the policy and the stream exist, and again
  // whenever either changes (the triggers); an unchanged stack does not wait.
  const propagation = new time.Sleep(
    "task-events-pipe-propagation",
    {
      createDuration: PIPE_PROPAGATION_WAIT,
      triggers: { policy: policy.policy, stream: args.table.streamArn.apply((arn) => arn ?? "") },
    },
    { parent, dependsOn: [policy] },
  );
  const pipes = (Object.keys(TASK_EVENT_DETAIL_TYPES) as TaskEventStatus[]).map(
    (status) =>
      new aws.pipes.Pipe(
        `task-${status}-events`,
        {
          description: `${SERVICE_NAME}: ${TASK_EVENT_DETAIL_TYPES[status]} events from the task table's stream`,
          roleArn: role.arn,
          source: args.table.streamArn,
          sourceParameters: {
            dynamodbStreamParameters: { ...PIPE_SOURCE_SETTINGS, deadLetterConfig: { arn: deadLetters.arn } },
            filterCriteria: { filters: statusChangeFilters(status).map((pattern) => ({ pattern })) },
          },
          target: bus.arn,
          targetParameters: {
            eventbridgeEventBusParameters: { source: TASK_EVENT_SOURCE, detailType: TASK_EVENT_DETAIL_TYPES[status] },
            inputTemplate: taskEventInputTemplate(status, stack),
          },
        },
        { parent, dependsOn: [policy, propagation] },
      ),
  );
  return { bus, deadLetters, role, pipes, deadLetterAlarm };
}
