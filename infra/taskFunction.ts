import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECONDS, formatTargetBuckets } from "@task-api/contract";
import { functionArchive, LAMBDA_HANDLER, LAMBDA_RUNTIME } from "./lambdaBundle";
import { currentDeployment, functionLogGroupNameFor, functionNameFor, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";

/**
 * The function's log group, Lambda's default name for the function, made by the program so that
 * it has a retention and is removed with the stack.
 */
export function createFunctionLogGroup(config: StackConfig): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup("task-status-function", {
    name: functionLogGroupNameFor(functionNameFor(currentDeployment())),
    retentionInDays: config.logRetentionDays,
  });
}

/** The GET /task/{task_id} function: the esbuild bundle of handler/, as in-memory text. */
export function createTaskFunction(args: {
  config: StackConfig;
  table: aws.dynamodb.Table;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  dependsOn: pulumi.Resource[];
}): aws.lambda.Function {
  const { config } = args;
  return new aws.lambda.Function(
    "task-status",
    {
      name: functionNameFor(currentDeployment()),
      description: `${SERVICE_NAME}: GET /task/{task_id}`,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      timeout: FUNCTION_TIMEOUT_SECONDS,
      memorySize: FUNCTION_MEMORY_MB,
      handler: LAMBDA_HANDLER,
      role: args.role.arn,
      code: functionArchive("status"),
      environment: {
        variables: {
          DDB_TABLE_NAME: args.table.name,
          TARGET_BUCKETS: formatTargetBuckets(config.targetBuckets),
          URL_TTL_SECONDS: String(config.urlTtlSeconds),
          POLL_INTERVAL_SECONDS: String(config.pollIntervalSeconds),
          DEADLINE_GRACE_SECONDS: String(config.deadlineGraceSeconds),
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_LOG_LEVEL: config.logLevel,
        },
      },
      // None by default: Lambda keeps 100 executions unreserved (all 10 on a new account), so a
      // reservation can fail the first deploy. https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
      ...(config.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: config.reservedConcurrency }),
      loggingConfig: {
        logFormat: "JSON",
        logGroup: args.logGroup.name,
        // Lambda's own filter must let through what the logger writes.
        applicationLogLevel: config.logLevel,
        systemLogLevel: config.systemLogLevel,
      },
    },
    { dependsOn: args.dependsOn },
  );
}
