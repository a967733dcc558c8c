import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { formatTargetBuckets } from "@task-api/contract";
import { createLambdaFunction, createFunctionLogGroup as logGroupFor } from "./lambdaFunction";
import { currentDeployment, functionNameFor, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";

/** The API function's log group. */
export function createFunctionLogGroup(config: StackConfig, parent: pulumi.Resource): aws.cloudwatch.LogGroup {
  return logGroupFor("task-status-function", functionNameFor(currentDeployment()), config, parent);
}

/**
 * What handler/config.ts reads: the API function's settings, which the webhook sender shares so
 * that a delivery's `data` is what GET answers.
 */
export function handlerEnvironment(
  config: StackConfig,
  table: aws.dynamodb.Table,
): Record<string, pulumi.Input<string>> {
  return {
    DDB_TABLE_NAME: table.name,
    TARGET_BUCKETS: formatTargetBuckets(config.targetBuckets),
    URL_TTL_SECONDS: String(config.urlTtlSeconds),
    POLL_INTERVAL_SECONDS: String(config.pollIntervalSeconds),
    DEADLINE_GRACE_SECONDS: String(config.deadlineGraceSeconds),
  };
}

/** The GET /task/{task_id} function: the esbuild bundle of handler/, as in-memory text. */
export function createTaskFunction(args: {
  config: StackConfig;
  table: aws.dynamodb.Table;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  dependsOn: pulumi.Resource[];
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): aws.lambda.Function {
  return createLambdaFunction("task-status", {
    config: args.config,
    name: functionNameFor(currentDeployment()),
    description: `${SERVICE_NAME}: GET /task/{task_id}`,
    entry: "status",
    role: args.role,
    logGroup: args.logGroup,
    variables: handlerEnvironment(args.config, args.table),
    // None by default: Lambda keeps 100 executions unreserved (all 10 on a new account), so a
    // reservation can fail the first deploy. https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    reservedConcurrentExecutions: args.config.reservedConcurrency,
    dependsOn: args.dependsOn,
    parent: args.parent,
  });
}
