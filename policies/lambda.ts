import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECONDS } from "@task-api/contract";

// The spec's figures, from the contract the program deploys the function with.
const DEFAULT_MAX_TIMEOUT_SECONDS = FUNCTION_TIMEOUT_SECONDS;
const DEFAULT_MAX_MEMORY_MB = FUNCTION_MEMORY_MB;
const DEFAULT_MINIMUM_NODE_MAJOR = 24;

/** Lambda functions must set a timeout of at most the spec's 5 seconds (configurable). */
export const lambdaTimeoutMax: ResourceValidationPolicy = {
  name: "lambda-timeout-max",
  description: `Lambda functions must set a timeout of at most ${DEFAULT_MAX_TIMEOUT_SECONDS} seconds.`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxTimeoutSeconds: { type: "integer", default: DEFAULT_MAX_TIMEOUT_SECONDS, minimum: 1, maximum: 900 },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const { maxTimeoutSeconds = DEFAULT_MAX_TIMEOUT_SECONDS } = args.getConfig<{ maxTimeoutSeconds?: number }>();
    if (fn.timeout === undefined) {
      reportViolation(`Lambda function ${args.name} does not set a timeout (AWS's default is 3 s; set it explicitly).`);
    } else if (fn.timeout > maxTimeoutSeconds) {
      reportViolation(
        `Lambda function ${args.name} has a timeout of ${fn.timeout} s; the limit is ${maxTimeoutSeconds} s.`,
      );
    }
  }),
};

/** Lambda functions must set their memory to at most the spec's 128 MB (configurable). */
export const lambdaMemoryMax: ResourceValidationPolicy = {
  name: "lambda-memory-max",
  description: `Lambda functions must set a memory size of at most ${DEFAULT_MAX_MEMORY_MB} MB.`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { maxMemoryMb: { type: "integer", default: DEFAULT_MAX_MEMORY_MB, minimum: 128, maximum: 10240 } },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const { maxMemoryMb = DEFAULT_MAX_MEMORY_MB } = args.getConfig<{ maxMemoryMb?: number }>();
    if (fn.memorySize === undefined) {
      reportViolation(`Lambda function ${args.name} does not set memorySize; set it explicitly.`);
    } else if (fn.memorySize > maxMemoryMb) {
      reportViolation(
        `Lambda function ${args.name} has ${fn.memorySize} MB of memory; the limit is ${maxMemoryMb} MB.`,
      );
    }
  }),
};

/**
 * Lambda functions must run on a maintained Node.js: by default nodejs24.x or newer (Node.js 22's
 * support ends in April 2027, and Lambda deprecates a runtime after its end of life:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). `minimumNodeMajor` sets it.
 */
export const lambdaRuntimeNode: ResourceValidationPolicy = {
  name: "lambda-runtime-nodejs-minimum",
  description: "Lambda functions must use a Node.js runtime no older than the configured major version (default 24).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { minimumNodeMajor: { type: "integer", default: DEFAULT_MINIMUM_NODE_MAJOR, minimum: 18 } },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const { minimumNodeMajor = DEFAULT_MINIMUM_NODE_MAJOR } = args.getConfig<{ minimumNodeMajor?: number }>();
    const runtime = fn.runtime;
    const major = typeof runtime === "string" ? /^nodejs(\d+)\.x$/.exec(runtime)?.[1] : undefined;
    if (major === undefined || Number(major) < minimumNodeMajor) {
      reportViolation(
        `Lambda function ${args.name} runs on ${runtime ?? "no declared runtime"}; use nodejs${minimumNodeMajor}.x or newer.`,
      );
    }
  }),
};

/** Lambda functions should run on arm64 (Graviton): cheaper per millisecond for this workload. */
export const lambdaArm64: ResourceValidationPolicy = {
  name: "lambda-arm64",
  description: "Lambda functions should run on the arm64 architecture.",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const architectures = fn.architectures ?? [];
    if (architectures.length !== 1 || architectures[0] !== "arm64") {
      reportViolation(
        `Lambda function ${args.name} runs on ${architectures.join(", ") || "x86_64 (the default)"}, not arm64.`,
      );
    }
  }),
};

/** Lambda functions should reserve (and so cap) their concurrency. */
export const lambdaReservedConcurrency: ResourceValidationPolicy = {
  name: "lambda-reserved-concurrency",
  description: "Lambda functions should set reserved concurrency.",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const reserved = fn.reservedConcurrentExecutions;
    if (reserved === undefined || reserved < 0) {
      reportViolation(
        `Lambda function ${args.name} has no reserved concurrency: nothing caps it or guarantees it capacity.`,
      );
    }
  }),
};

/**
 * Only API Gateway through a source ARN scoped below the API, or an EventBridge rule of this
 * account named by its ARN (a schedule), may invoke the functions.
 */
export const lambdaPermissionScoped: ResourceValidationPolicy = {
  name: "lambda-permission-api-gateway-scoped",
  description:
    "Lambda permissions must be for apigateway.amazonaws.com with a sourceArn scoped below the API, or for events.amazonaws.com with a rule's ARN.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lambda.Permission, (permission, args, reportViolation) => {
    const sourceArn = permission.sourceArn;
    if (permission.principal === "events.amazonaws.com") {
      if (sourceArn === undefined || !/^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/[^*]+$/.test(sourceArn)) {
        reportViolation(
          `Lambda permission ${args.name} lets EventBridge invoke with sourceArn ${sourceArn ?? "(none)"}; name the one rule (arn:aws:events:<region>:<account>:rule/<name>).`,
        );
      }
      return;
    }
    if (permission.principal !== "apigateway.amazonaws.com") {
      reportViolation(
        `Lambda permission ${args.name} grants ${permission.principal}; only apigateway.amazonaws.com (or a scheduled EventBridge rule) may invoke.`,
      );
    }
    if (sourceArn === undefined || sourceArn === "") {
      reportViolation(
        `Lambda permission ${args.name} has no sourceArn: any API in any account could invoke the function.`,
      );
    } else if (sourceArn.endsWith("/*/*") || !/^arn:aws[a-z-]*:execute-api:/.test(sourceArn)) {
      reportViolation(
        `Lambda permission ${args.name} has sourceArn ${sourceArn}; scope it to the route (…/*/GET/task/*).`,
      );
    }
  }),
};

export const lambdaPolicies = [
  lambdaTimeoutMax,
  lambdaMemoryMax,
  lambdaRuntimeNode,
  lambdaArm64,
  lambdaReservedConcurrency,
  lambdaPermissionScoped,
];
