import * as pulumi from "@pulumi/pulumi";
import {
  DEADLINE_GRACE_SECONDS,
  isBucketName,
  isKmsKeyArn,
  isPlainKeyPrefix,
  POLL_INTERVAL_SECONDS,
  parseSignableTarget,
  type SignableTarget,
  URL_TTL_SECONDS,
} from "@task-api/contract";
import { isSigningSecret } from "../webhooks/signatures";

/** A media bucket whose objects the API may sign URLs for, optionally only under a key prefix ("" for all). */
export type TargetBucket = SignableTarget;

export const API_AUTHS = ["iam", "none"] as const;
export type ApiAuth = (typeof API_AUTHS)[number];

/** Everything the program reads from stack config, checked once. Defaults and types live in Pulumi.yaml. */
export interface StackConfig {
  targetBuckets: readonly TargetBucket[];
  urlTtlSeconds: number;
  pollIntervalSeconds: number;
  /** Seconds after a deadline before the API and the sweeper judge it passed. */
  deadlineGraceSeconds: number;
  apiAuth: ApiAuth;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  logRetentionDays: number;
  /** Executions reserved for (and capping) the function; undefined reserves none (the default). */
  reservedConcurrency: number | undefined;
  alarmEmail: string | undefined;
  /** DynamoDB deletion protection and Pulumi's `protect` on the table (default true). */
  protectTable: boolean;
  /** IAM role names the caller policy (execute-api:Invoke on the route) is attached to. */
  callerRoles: readonly string[];
  /** IAM role names the processor policy (item writes on the table) is attached to. */
  processorRoles: readonly string[];
  /** Extra tags on every taggable resource, beside Service and Stack. */
  tags: Readonly<Record<string, string>>;
  /** A customer-managed KMS key for the table; undefined keeps DynamoDB's AWS-owned key. */
  tableKmsKeyArn: string | undefined;
  /** KMS keys of SSE-KMS target buckets: the function may kms:Decrypt with exactly these. */
  targetKmsKeyArns: readonly string[];
  /** Task events on EventBridge (the table's stream, the pipes, the bus, the dead-letter queue); default true. */
  taskEvents: boolean;
  /** Signed webhooks to tasks' CallbackUrls (the rule, queue, sender, dead-letter queue, secret); default true; off without taskEvents. */
  webhooks: boolean;
  /** webhookSigningSecret, a Pulumi secret; undefined: the program makes one. */
  webhookSigningSecret: pulumi.Output<string> | undefined;
  /** webhookPreviousSigningSecret, during a rotation: deliveries are signed with both. */
  webhookPreviousSigningSecret: pulumi.Output<string> | undefined;
  /** Other AWS accounts that may put rules on the stack's event bus. */
  eventBusAccountIds: readonly string[];
  /**
   * Lambda's own log lines for both functions: INFO (default) keeps the REPORT line of every
   * invocation (billed duration, Init Duration, Max Memory Used); WARN drops them.
   */
  systemLogLevel: SystemLogLevel;
  /** How often the deadline sweeper runs, in minutes (default 1). */
  sweepIntervalMinutes: number;
  /** The function's log level: INFO (default) logs refusals, warnings and errors; DEBUG adds a line per answer. */
  logLevel: LogLevel;
}

/** Lambda's system log levels (advanced logging controls). */
export const SYSTEM_LOG_LEVELS = ["DEBUG", "INFO", "WARN"] as const;
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number];

/** The function's log levels, as Powertools and Lambda's advanced logging controls both name them. */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// The values CloudWatch Logs accepts for retentionInDays.
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Tags the program sets itself; a stack's `tags` may not redefine them. */
export const RESERVED_TAG_KEYS = ["Service", "Stack"] as const;

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: keys 1-128, values 0-256, no aws: prefix.
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Thrown for stack config the program cannot deploy, naming the key and what it accepts. A
 * RunError, so the CLI prints the message without a stack trace, as it does for Config's own.
 */
export class StackConfigError extends pulumi.RunError {
  constructor(key: string, rule: string) {
    super(`task-api:${key} ${rule}`);
    this.name = "StackConfigError";
  }
}

/**
 * Reads the stack's `task-api:*` config. Pulumi.yaml holds every default and each key's type; the
 * CLI applies both before the program runs (`pulumi preview`, `up`, `destroy`, `refresh` call
 * workspace.ValidateStackConfigAndApplyProjectConfig; project config since v3.44,
 * https://www.pulumi.com/docs/iac/concepts/projects/project-file/), so every key below is present
 * and of its type, and this reads each with Config's own validators (range, enum), adding only
 * the checks those cannot express. A program run without Pulumi.yaml fails on the first key,
 * naming it (ConfigMissingError), rather than deploying with a guess.
 */
export function loadStackConfig(config = new pulumi.Config()): StackConfig {
  const targetBuckets = list(config, "targetBuckets").map((entry) => parseTargetBucket(entry));
  const logRetentionDays = config.requireNumber("logRetentionDays");
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new StackConfigError("logRetentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  const reservedConcurrency = config.requireNumber("reservedConcurrency", { min: -1, max: 10_000 });
  if (reservedConcurrency === 0) {
    throw new StackConfigError("reservedConcurrency", "must not be 0 (that stops every invocation); use -1 for none");
  }
  const alarmEmail = config.require("alarmEmail").trim() || undefined;
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new StackConfigError("alarmEmail", "must be an e-mail address");
  }
  const taskEvents = config.requireBoolean("taskEvents");
  // The sender's rule is on the task bus: without taskEvents there are no webhooks either.
  const webhooks = config.requireBoolean("webhooks") && taskEvents;
  const tableKmsKeyArn = config.require("tableKmsKeyArn").trim() || undefined;
  if (tableKmsKeyArn !== undefined) kmsKeyArn("tableKmsKeyArn", tableKmsKeyArn);
  return {
    targetBuckets,
    urlTtlSeconds: config.requireNumber("urlTtlSeconds", URL_TTL_SECONDS),
    pollIntervalSeconds: config.requireNumber("pollIntervalSeconds", POLL_INTERVAL_SECONDS),
    deadlineGraceSeconds: config.requireNumber("deadlineGraceSeconds", DEADLINE_GRACE_SECONDS),
    apiAuth: oneOf(config, "apiAuth", API_AUTHS),
    throttleRateLimit: config.requireNumber("throttleRateLimit", { min: 1, max: 10_000 }),
    throttleBurstLimit: config.requireNumber("throttleBurstLimit", { min: 1, max: 5_000 }),
    logRetentionDays,
    reservedConcurrency: reservedConcurrency === -1 ? undefined : reservedConcurrency,
    alarmEmail,
    protectTable: config.requireBoolean("protectTable"),
    callerRoles: roleNames(config, "callerRoles"),
    processorRoles: roleNames(config, "processorRoles"),
    tags: tags(config),
    tableKmsKeyArn,
    targetKmsKeyArns: unique(list(config, "targetKmsKeyArns").map((arn) => kmsKeyArn("targetKmsKeyArns", arn))),
    taskEvents,
    webhooks,
    webhookSigningSecret: signingSecret(config, "webhookSigningSecret"),
    webhookPreviousSigningSecret: signingSecret(config, "webhookPreviousSigningSecret"),
    eventBusAccountIds: unique(list(config, "eventBusAccountIds").map((id) => accountId("eventBusAccountIds", id))),
    logLevel: anyCase(config, "logLevel", LOG_LEVELS),
    systemLogLevel: anyCase(config, "systemLogLevel", SYSTEM_LOG_LEVELS),
    sweepIntervalMinutes: config.requireNumber("sweepIntervalMinutes", { min: 1, max: 60 }),
  };
}

/** "bucket" or "bucket/prefix/" (Pulumi.yaml types the list's entries as strings). */
function parseTargetBucket(entry: unknown): TargetBucket {
  const { bucket, prefix } = typeof entry === "string" ? parseSignableTarget(entry) : { bucket: "", prefix: "" };
  if (!isBucketName(bucket)) {
    throw new StackConfigError("targetBuckets", `has an entry that is not a bucket name: ${JSON.stringify(entry)}`);
  }
  if (!isPlainKeyPrefix(prefix)) {
    throw new StackConfigError(
      "targetBuckets",
      `has a prefix that is not a plain key prefix: ${JSON.stringify(entry)}`,
    );
  }
  return { bucket, prefix };
}

/**
 * A webhook signing secret from config, kept secret (Config.requireSecret): a Standard Webhooks
 * secret, whsec_ and the base64 of 24 to 64 bytes (`echo "whsec_$(openssl rand -base64 32)"`).
 * Checked before any resource is made (Config.get reads a secret's value too), naming the key.
 */
function signingSecret(config: pulumi.Config, key: string): pulumi.Output<string> | undefined {
  const value = config.get(key)?.trim();
  if (value === undefined || value === "") return undefined;
  if (!isSigningSecret(value)) {
    throw new StackConfigError(key, "must be a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 bytes");
  }
  return config.requireSecret(key).apply((secret) => secret.trim());
}

/** A list value: Pulumi.yaml types it as an array, which the CLI checks and passes as JSON. */
function list(config: pulumi.Config, key: string): unknown[] {
  const value = config.requireObject<unknown>(key);
  if (!Array.isArray(value)) throw new StackConfigError(key, "must be a list");
  return value;
}

function roleNames(config: pulumi.Config, key: string): string[] {
  return unique(
    list(config, key).map((name) => {
      if (typeof name !== "string" || !ROLE_NAME.test(name)) {
        throw new StackConfigError(
          key,
          `has an entry that is not an IAM role name (1-64 of A-Z a-z 0-9 + = , . @ _ -): ${JSON.stringify(name)}`,
        );
      }
      return name;
    }),
  );
}

function accountId(key: string, value: unknown): string {
  if (typeof value !== "string" || !/^\d{12}$/.test(value)) {
    throw new StackConfigError(key, `has an entry that is not a 12-digit AWS account ID: ${JSON.stringify(value)}`);
  }
  return value;
}

function kmsKeyArn(key: string, value: unknown): string {
  if (typeof value !== "string" || !isKmsKeyArn(value)) {
    throw new StackConfigError(
      key,
      `must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function tags(config: pulumi.Config): Record<string, string> {
  let value: unknown;
  try {
    value = config.getObject<unknown>("tags");
  } catch {
    throw new StackConfigError("tags", "must be a map of tag names to string values");
  }
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new StackConfigError("tags", "must be a map of tag names to string values");
  }
  const result: Record<string, string> = {};
  for (const [name, tagValue] of Object.entries(value)) {
    if ((RESERVED_TAG_KEYS as readonly string[]).includes(name)) {
      throw new StackConfigError("tags", `must not set ${name}: the program sets it on every resource`);
    }
    if (name.length < 1 || name.length > 128 || !TAG_TEXT.test(name) || name.toLowerCase().startsWith("aws:")) {
      throw new StackConfigError("tags", `has a tag name AWS does not accept: ${JSON.stringify(name)}`);
    }
    if (typeof tagValue !== "string" || tagValue.length > 256 || !TAG_TEXT.test(tagValue)) {
      throw new StackConfigError("tags", `has a value for ${name} that is not a tag value (a string of at most 256)`);
    }
    result[name] = tagValue;
  }
  return result;
}

/** One of `allowed`, exactly as written (Config's allowedValues). */
function oneOf<T extends string>(config: pulumi.Config, key: string, allowed: readonly T[]): T {
  const value = config.require(key, { allowedValues: [...allowed] });
  return allowed.find((candidate) => candidate === value) as T;
}

/** One of `allowed` in any case ("info" is INFO), as Powertools and Lambda read log levels. */
function anyCase<T extends string>(config: pulumi.Config, key: string, allowed: readonly T[]): T {
  const raw = config.require(key).trim().toUpperCase();
  const value = allowed.find((candidate) => candidate === raw);
  if (value === undefined) throw new StackConfigError(key, `must be one of ${allowed.join(", ")}`);
  return value;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
