import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECONDS } from "@task-api/contract";
import { type FunctionEntry, functionArchive, LAMBDA_HANDLER, LAMBDA_RUNTIME } from "./lambdaBundle";
import { functionLogGroupNameFor, SERVICE_NAME } from "./resourceNames";
import type { StackConfig } from "./stackConfig";

/**
 * A function's log group under Lambda's default name for it, made by the program so that it has
 * a retention and is removed with the stack.
 */
export function createFunctionLogGroup(
  resourceName: string,
  functionName: string,
  config: StackConfig,
  parent: pulumi.Resource,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    resourceName,
    {
      name: functionLogGroupNameFor(functionName),
      retentionInDays: config.logRetentionDays,
    },
    { parent },
  );
}

/**
 * One of the stack's functions as each is deployed: the bundle of its entry, on the Lambda runtime
 * and arm64, the spec's 5 s and 128 MB, JSON logs to its own log group at the stack's levels (Lambda's
 * own filter must let through what the logger writes), and the Powertools service name and level
 * beside its own variables.
 */
export function createLambdaFunction(
  resourceName: string,
  args: {
    config: StackConfig;
    name: string;
    description: string;
    entry: FunctionEntry;
    role: aws.iam.Role;
    logGroup: aws.cloudwatch.LogGroup;
    variables: Record<string, pulumi.Input<string>>;
    /** Executions reserved for it; undefined reserves none. */
    reservedConcurrentExecutions: number | undefined;
    dependsOn: pulumi.Resource[];
    parent: pulumi.Resource;
  },
): aws.lambda.Function {
  const { config, parent } = args;
  return new aws.lambda.Function(
    resourceName,
    {
      name: args.name,
      description: args.description,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      timeout: FUNCTION_TIMEOUT_SECONDS,
      memorySize: FUNCTION_MEMORY_MB,
      handler: LAMBDA_HANDLER,
      role: args.role.arn,
      code: functionArchive(args.entry),
      environment: {
        variables: {
          ...args.variables,
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_LOG_LEVEL: config.logLevel,
        },
      },
      ...(args.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: args.reservedConcurrentExecutions }),
      loggingConfig: {
        logFormat: "JSON",
        logGroup: args.logGroup.name,
        applicationLogLevel: config.logLevel,
        systemLogLevel: config.systemLogLevel,
      },
    },
    { parent, dependsOn: args.dependsOn },
  );
}
