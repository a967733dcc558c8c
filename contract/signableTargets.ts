/** Objects the API may sign URLs for: every key in `bucket` that starts with `prefix` ("" for all). */
export interface SignableTarget {
  bucket: string;
  prefix: string;
}

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Whether a string is an S3 bucket name. */
export function isBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/** "bucket" or "bucket/prefix": the bucket, and the key prefix after the first slash ("" for none). */
export function parseSignableTarget(entry: string): SignableTarget {
  const slash = entry.indexOf("/");
  return slash === -1
    ? { bucket: entry, prefix: "" }
    : { bucket: entry.slice(0, slash), prefix: entry.slice(slash + 1) };
}

/** A prefix the function can be scoped to: a plain key prefix, no wildcards, not starting with "/". */
export function isPlainKeyPrefix(prefix: string): boolean {
  return !/[*?]/.test(prefix) && !prefix.startsWith("/");
}

/** TARGET_BUCKETS: comma-separated "bucket" or "bucket/prefix" entries. */
export function parseTargetBuckets(raw: string): SignableTarget[] {
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map(parseSignableTarget);
}

/** The TARGET_BUCKETS value for a list of targets (the inverse of parseTargetBuckets). */
export function formatTargetBuckets(targets: readonly SignableTarget[]): string {
  return targets.map(({ bucket, prefix }) => (prefix === "" ? bucket : `${bucket}/${prefix}`)).join(",");
}
