import * as pulumi from "@pulumi/pulumi";

import type { SignableTarget } from "../handler/config";

/** A media bucket whose objects the API may sign URLs for, optionally only under a key prefix ("" for all). */
export type TargetBucket = SignableTarget;

export type ApiAuth = "iam" | "none";

/** Everything the program reads from stack config, checked once. Defaults live in Pulumi.yaml. */
export interface StackConfig {
  targetBuckets: readonly TargetBucket[];
  urlTtlSeconds: number;
  pollIntervalSeconds: number;
  apiAuth: ApiAuth;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  logRetentionDays: number;
  /** -1 leaves the function unreserved (for accounts whose concurrency quota is the minimum). */
  reservedConcurrency: number;
  alarmEmail: string | undefined;
}

// The values CloudWatch Logs accepts for retentionInDays.
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Thrown for stack config the program cannot deploy, naming the key and what it accepts. */
export class StackConfigError extends Error {
  constructor(key: string, rule: string) {
    super(`task-api:${key} ${rule}`);
    this.name = "StackConfigError";
  }
}

/**
 * Reads the stack's `task-api:*` config. Each value falls back to the default documented in
 * Pulumi.yaml, so a stack only sets what differs.
 */
export function loadStackConfig(config = new pulumi.Config()): StackConfig {
  const targetBuckets = (config.getObject<unknown[]>("targetBuckets") ?? []).map((entry) => parseTargetBucket(entry));
  const apiAuth = config.get("apiAuth") ?? "iam";
  if (apiAuth !== "iam" && apiAuth !== "none") throw new StackConfigError("apiAuth", 'must be "iam" or "none"');
  const logRetentionDays = integer(config, "logRetentionDays", 30, 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new StackConfigError("logRetentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  const reservedConcurrency = integer(config, "reservedConcurrency", 20, -1, 10_000);
  if (reservedConcurrency === 0) {
    throw new StackConfigError("reservedConcurrency", "must not be 0 (that stops every invocation); use -1 for none");
  }
  const alarmEmail = config.get("alarmEmail")?.trim() || undefined;
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new StackConfigError("alarmEmail", "must be an e-mail address");
  }
  const throttleRateLimit = integer(config, "throttleRateLimit", 50, 1, 10_000);
  const throttleBurstLimit = integer(config, "throttleBurstLimit", 100, 1, 5_000);
  return {
    targetBuckets,
    urlTtlSeconds: integer(config, "urlTtlSeconds", 3600, 1, 604_800),
    pollIntervalSeconds: integer(config, "pollIntervalSeconds", 2, 1, 3600),
    apiAuth,
    throttleRateLimit,
    throttleBurstLimit,
    logRetentionDays,
    reservedConcurrency,
    alarmEmail,
  };
}

/** "bucket" or "bucket/prefix/" (a string), or { bucket, prefix } (an object). */
function parseTargetBucket(entry: unknown): TargetBucket {
  let bucket: unknown;
  let prefix: unknown = "";
  if (typeof entry === "string") {
    const slash = entry.indexOf("/");
    bucket = slash === -1 ? entry : entry.slice(0, slash);
    prefix = slash === -1 ? "" : entry.slice(slash + 1);
  } else if (typeof entry === "object" && entry !== null) {
    ({ bucket, prefix = "" } = entry as { bucket?: unknown; prefix?: unknown });
  }
  if (typeof bucket !== "string" || !BUCKET_NAME.test(bucket)) {
    throw new StackConfigError("targetBuckets", `has an entry that is not a bucket name: ${JSON.stringify(entry)}`);
  }
  if (typeof prefix !== "string" || /[*?]/.test(prefix) || prefix.startsWith("/")) {
    throw new StackConfigError(
      "targetBuckets",
      `has a prefix that is not a plain key prefix: ${JSON.stringify(entry)}`,
    );
  }
  return { bucket, prefix };
}

function integer(config: pulumi.Config, key: string, fallback: number, min: number, max: number): number {
  const raw = config.get(key);
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new StackConfigError(key, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}
