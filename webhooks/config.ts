import { type HandlerConfig, loadHandlerConfig } from "../handler/config";
import { ConfigError } from "../handler/errors";

/**
 * The sender's environment, checked once at cold start: the API function's own settings (table,
 * TARGET_BUCKETS, URL_TTL_SECONDS, region), so that a delivery's `data` is what GET answers, and
 * its queue and secret.
 */
export interface SenderConfig extends HandlerConfig {
  /** WEBHOOK_QUEUE_URL: the queue whose messages' visibility it sets. */
  queueUrl: string;
  /** WEBHOOK_SECRET_ARN: the Secrets Manager secret holding {"current", "previous"?}. */
  secretArn: string;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS=true lets it send to private addresses; the deployed sender never sets it. */
  allowPrivateNetworks: boolean;
}

/** Whether WEBHOOK_ALLOW_PRIVATE_NETWORKS allows private addresses: "true" does; unset or "false" does not. */
export function allowsPrivateNetworks(env: NodeJS.ProcessEnv): boolean {
  const value = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS?.trim() ?? "";
  if (!["", "true", "false"].includes(value)) {
    throw new ConfigError(["WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false"]);
  }
  return value === "true";
}

/** Reads and checks the environment; throws one ConfigError listing every problem. */
export function loadSenderConfig(env: NodeJS.ProcessEnv): SenderConfig {
  const problems: string[] = [];
  let base: HandlerConfig | undefined;
  try {
    base = loadHandlerConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const queueUrl = env.WEBHOOK_QUEUE_URL?.trim() ?? "";
  if (!/^https:\/\/\S+$/.test(queueUrl)) problems.push("WEBHOOK_QUEUE_URL must be the queue's https URL");
  const secretArn = env.WEBHOOK_SECRET_ARN?.trim() ?? "";
  if (!/^arn:aws[a-z-]*:secretsmanager:/.test(secretArn)) problems.push("WEBHOOK_SECRET_ARN must be a secret's ARN");
  let allowPrivateNetworks = false;
  try {
    allowPrivateNetworks = allowsPrivateNetworks(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || base === undefined) throw new ConfigError(problems);
  return { ...base, queueUrl, secretArn, allowPrivateNetworks };
}
