/**
 * Lambda entry for the webhook sender, fed by its SQS queue (one message per delivery, from the
 * stack's rule on Task Completed / Task Failed, or `task-record redeliver`). The environment is
 * read once, at cold start; the signing secret on first use.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { loadSenderConfig } from "./config";
import { createTaskWebhookSender } from "./createSender";
import { handleWebhookBatch } from "./queueHandler";
import { sqsVisibilityChanger } from "./queueVisibility";
import { secretsManagerSigningSecrets } from "./signingSecrets";

const config = loadSenderConfig(process.env);
const logger = new Logger({ serviceName: config.serviceName });
const credentials = fromEnv();
const clientSettings = {
  region: config.region,
  credentials,
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
};
const changeVisibility = sqsVisibilityChanger(new SQSClient(clientSettings), config.queueUrl);
const sender = createTaskWebhookSender({
  config,
  signingSecrets: secretsManagerSigningSecrets(new SecretsManagerClient(clientSettings), config.secretArn),
  allowPrivateNetworks: config.allowPrivateNetworks,
  logger,
});

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return handleWebhookBatch(event, {
    sender,
    logger,
    changeVisibility,
  });
}
