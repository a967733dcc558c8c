import { lookup } from "node:dns/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Hash } from "@smithy/hash-node";
import { CachingUrlSigner } from "../handler/cachingUrlSigner";
import type { HandlerConfig } from "../handler/config";
import { DynamoTaskRepository } from "../handler/dynamoTaskRepository";
import { S3TargetUrlSigner } from "../handler/s3TargetUrlSigner";
import { TaskStatusService, type WarningLogger } from "../handler/taskStatusService";
import type { ResolvedAddress, Resolver } from "./addressGuard";
import { TaskWebhookSender } from "./taskWebhookSender";

/** How long one POST may take: with the table read (3 x 1 s at worst), inside the function's 5 s. */
export const POST_TIMEOUT_MS = 1500;

/** The system resolver, every address of the name (the guard checks them all). */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(
    ({ address, family }): ResolvedAddress => ({ address, family: family === 6 ? 6 : 4 }),
  );

/**
 * The sender, wired as the API's function is (the same repository, signer and service, so a
 * delivery's `data` is byte for byte what GET answers), with its own read of the CallbackUrl.
 * Used by the deployed sender and by `npm start`'s.
 */
export function createTaskWebhookSender(args: {
  config: HandlerConfig;
  signingSecrets: () => Promise<readonly string[]>;
  allowPrivateNetworks: boolean;
  logger: WarningLogger;
  resolve?: Resolver;
}): TaskWebhookSender {
  const { config } = args;
  // Credentials come from the environment, as Lambda provides them (and as the API's function reads them).
  const credentials = fromEnv();
  const dynamo = new DynamoDBClient({
    region: config.region,
    credentials,
    // As the API's function: three attempts of at most 1 s each.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
  });
  const repository = new DynamoTaskRepository(DynamoDBDocumentClient.from(dynamo), config.tableName, {
    withCallbackUrl: true,
  });
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
    logger: args.logger,
  });
  return new TaskWebhookSender({
    repository,
    service,
    signingSecrets: args.signingSecrets,
    resolve: args.resolve ?? systemResolver,
    allowPrivateNetworks: args.allowPrivateNetworks,
    postTimeoutMs: POST_TIMEOUT_MS,
  });
}
