import {
  type Bounded,
  DEADLINE_GRACE_SECONDS,
  isBucketName,
  isWithin,
  POLL_INTERVAL_SECONDS,
  parseTargetBuckets,
  type SignableTarget,
  URL_TTL_SECONDS,
} from "@task-api/contract";
import { ConfigError } from "./errors";

/** Everything the function reads from its environment, checked once at cold start. */
export interface HandlerConfig {
  /** DDB_TABLE_NAME: the task table (required, as the spec says). */
  tableName: string;
  /** TARGET_BUCKETS: "bucket" or "bucket/prefix" entries whose objects may be signed; empty signs none. */
  targetBuckets: readonly SignableTarget[];
  /** URL_TTL_SECONDS: lifetime of a presigned URL, within the contract's URL_TTL_SECONDS (default and bounds). */
  urlTtlSeconds: number;
  /** POLL_INTERVAL_SECONDS: the longest poll hint (Retry-After, max-age) for a task in progress (contract's POLL_INTERVAL_SECONDS). */
  pollIntervalSeconds: number;
  /** DEADLINE_GRACE_SECONDS: how long after a deadline the task is answered failed (contract's DEADLINE_GRACE_SECONDS). */
  deadlineGraceSeconds: number;
  /** AWS_REGION: set by Lambda; the region URLs are signed for. */
  region: string;
  /**
   * AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL): the standard SDK override of the S3 endpoint.
   * Signing does not go through an S3 client, so it is honoured here the way the SDK would.
   */
  s3Endpoint: URL | undefined;
  /** POWERTOOLS_SERVICE_NAME: the `service` key of every log line (default "task-api"). */
  serviceName: string;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Reads and checks the environment; throws one ConfigError that lists every problem. */
export function loadHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const problems: string[] = [];

  const tableName = env.DDB_TABLE_NAME?.trim() ?? "";
  if (!TABLE_NAME.test(tableName)) {
    problems.push("DDB_TABLE_NAME must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
  }

  const targetBuckets = parseTargetBuckets(env.TARGET_BUCKETS ?? "");
  for (const { bucket } of targetBuckets) {
    if (!isBucketName(bucket)) problems.push(`TARGET_BUCKETS has an invalid bucket name: ${JSON.stringify(bucket)}`);
  }

  const urlTtlSeconds = wholeNumber(env, "URL_TTL_SECONDS", URL_TTL_SECONDS, problems);
  const pollIntervalSeconds = wholeNumber(env, "POLL_INTERVAL_SECONDS", POLL_INTERVAL_SECONDS, problems);
  const deadlineGraceSeconds = wholeNumber(env, "DEADLINE_GRACE_SECONDS", DEADLINE_GRACE_SECONDS, problems);

  const region = env.AWS_REGION?.trim() ?? "";
  if (!/^[a-z0-9-]+$/.test(region)) problems.push("AWS_REGION must be set to a region name");

  let s3Endpoint: URL | undefined;
  const rawEndpoint = (env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL)?.trim();
  if (rawEndpoint) {
    try {
      s3Endpoint = new URL(rawEndpoint);
      if (s3Endpoint.protocol !== "http:" && s3Endpoint.protocol !== "https:") throw new TypeError("scheme");
    } catch {
      problems.push("AWS_ENDPOINT_URL_S3 must be an http(s) URL");
    }
  }

  const serviceName = env.POWERTOOLS_SERVICE_NAME?.trim() || "task-api";

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tableName,
    targetBuckets,
    urlTtlSeconds,
    pollIntervalSeconds,
    deadlineGraceSeconds,
    region,
    s3Endpoint,
    serviceName,
  };
}

/** A whole-number variable within bounds, or its default when unset; a bad value is added to `problems`. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, bounds: Bounded, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return bounds.default;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !isWithin(bounds, value)) {
    problems.push(`${name} must be a whole number from ${bounds.min} to ${bounds.max}`);
    return bounds.default;
  }
  return value;
}
