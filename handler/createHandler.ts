import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Hash } from "@smithy/hash-node";
import { CachingUrlSigner } from "./cachingUrlSigner";
import type { HandlerConfig } from "./config";
import { DynamoTaskRepository } from "./dynamoTaskRepository";
import { createHttpAdapter, type RequestLogger, type TaskStatusHandler } from "./httpAdapter";
import { S3TargetUrlSigner } from "./s3TargetUrlSigner";
import { TaskStatusService, type WarningLogger } from "./taskStatusService";

/**
 * Wires the function from its config: clients and signer are made once per container and
 * reused by every invocation. Credentials come from the environment, as Lambda provides them.
 */
export function createHandler(
  config: HandlerConfig,
  logger: RequestLogger = new Logger({ serviceName: config.serviceName }),
): TaskStatusHandler {
  return createHttpAdapter(createTaskStatusService(config, logger).service, logger);
}

/**
 * The service and its repository as the function wires them: one DynamoDB client sized for the
 * 5 s timeout, the caching URL signer, the config's targets. The webhook sender builds its
 * deliveries with the same wiring (`withCallbackUrl` adds the one attribute only it reads).
 */
export function createTaskStatusService(
  config: HandlerConfig,
  logger: WarningLogger,
  options: { withCallbackUrl?: boolean } = {},
): { service: TaskStatusService; repository: DynamoTaskRepository } {
  const credentials = fromEnv();
  const dynamo = new DynamoDBClient({
    region: config.region,
    credentials,
    // Sized for the 5 s function timeout: three attempts of at most 1 s each (a GetItem takes
    // milliseconds) plus the SDK's backoff fit in the budget; the adapter's abort signal bounds the
    // whole call whatever happens.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
  });
  const repository = new DynamoTaskRepository(DynamoDBDocumentClient.from(dynamo), config.tableName, options);
  const signer = new CachingUrlSigner(
    new S3TargetUrlSigner({
      region: config.region,
      credentials,
      sha256: Hash.bind(null, "sha256"),
      expiresInSeconds: config.urlTtlSeconds,
      endpoint: config.s3Endpoint,
    }),
  );
  const service = new TaskStatusService({
    repository,
    signer,
    signableTargets: config.targetBuckets,
    urlTtlSeconds: config.urlTtlSeconds,
    pollIntervalSeconds: config.pollIntervalSeconds,
    deadlineGraceSeconds: config.deadlineGraceSeconds,
    logger,
  });
  return { service, repository };
}
