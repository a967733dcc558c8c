import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SWEEPER_INDEX_ACTIONS, SWEEPER_TABLE_ACTIONS, TASK_TABLE } from "@task-api/contract";
import { createLambdaRole, type PolicyStatement, tableKeyStatements, writeOwnLogsStatement } from "./functionRole";
import { createFunctionLogGroup, createLambdaFunction } from "./lambdaFunction";
import { currentDeployment, functionNameFor, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";

/** The sweeper's resources other parts of the program build on (alarms, the policy mutations). */
export interface DeadlineSweeper {
  fn: aws.lambda.Function;
  role: aws.iam.Role;
  schedule: aws.cloudwatch.EventRule;
}

/**
 * The sweeper's whole permission set: query the two deadline indexes, fail a task (UpdateItem,
 * conditional), decrypt with the table's own key when it has one, write its own logs. It never
 * reads a whole item nor scans.
 */
export function sweeperPolicyStatements(args: {
  tableArn: string;
  logGroupArn: string;
  tableKmsKeyArn: string | undefined;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: "FindTasksPastDeadline",
      Effect: "Allow",
      Action: [...SWEEPER_INDEX_ACTIONS],
      Resource: TASK_TABLE.indexes.map((index) => `${args.tableArn}/index/${index.name}`),
    },
    { Sid: "FailTasksPastDeadline", Effect: "Allow", Action: [...SWEEPER_TABLE_ACTIONS], Resource: [args.tableArn] },
  ];
  statements.push(...tableKeyStatements(args.tableKmsKeyArn));
  statements.push(writeOwnLogsStatement(args.logGroupArn));
  return statements;
}

/**
 * The deadline sweeper: a function run on a schedule (every `sweepIntervalMinutes`) that moves
 * tasks past their deadline to failed, so that Task Failed fires and the table tells the truth.
 * It runs within the same 5 s and 128 MB as the API's function; what one run leaves, the next
 * takes (docs/writing-tasks.md, "Deadlines").
 */
export function createDeadlineSweeper(args: {
  config: StackConfig;
  table: aws.dynamodb.Table;
  permissionsBoundary: pulumi.Input<string>;
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): DeadlineSweeper {
  const { config, table, parent } = args;
  const name = functionNameFor(currentDeployment(), "sweeper");
  const logGroup = createFunctionLogGroup("deadline-sweeper", name, config, parent);
  const { role, policy } = createLambdaRole(
    "deadline-sweeper",
    `${SERVICE_NAME}: the deadline sweeper`,
    pulumi
      .all([table.arn, logGroup.arn])
      .apply(([tableArn, logGroupArn]) =>
        sweeperPolicyStatements({ tableArn, logGroupArn, tableKmsKeyArn: config.tableKmsKeyArn }),
      ),
    args.permissionsBoundary,
    parent,
  );
  const fn = createLambdaFunction("deadline-sweeper", {
    config,
    name,
    description: `${SERVICE_NAME}: fails tasks past their deadline`,
    entry: "sweeper",
    role,
    logGroup,
    variables: { DDB_TABLE_NAME: table.name, DEADLINE_GRACE_SECONDS: String(config.deadlineGraceSeconds) },
    // One run at a time where the stack reserves concurrency at all (a run that overlaps the next
    // is harmless, its writes being conditional, but wasted); none otherwise, as for the API.
    reservedConcurrentExecutions: config.reservedConcurrency === undefined ? undefined : 1,
    dependsOn: [policy, logGroup],
    parent,
  });
  const minutes = config.sweepIntervalMinutes;
  const schedule = new aws.cloudwatch.EventRule(
    "deadline-sweep",
    {
      description: `${SERVICE_NAME}: run the deadline sweeper`,
      scheduleExpression: `rate(${minutes} ${minutes === 1 ? "minute" : "minutes"})`,
    },
    { parent },
  );
  new aws.cloudwatch.EventTarget("deadline-sweep", { rule: schedule.name, arn: fn.arn }, { parent });
  new aws.lambda.Permission(
    "deadline-sweep",
    {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "events.amazonaws.com",
      sourceArn: schedule.arn,
    },
    { parent },
  );
  return { fn, role, schedule };
}
