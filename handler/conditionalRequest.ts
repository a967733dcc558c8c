import type { TaskAnswer } from "./taskStatusService";

/**
 * The entity tags an If-None-Match header lists, as the opaque versions inside them. Weak and
 * strong tags compare alike (RFC 9110 weak comparison, which If-None-Match uses); "*" matches
 * any version.
 */
export function versionsInIfNoneMatch(header: string | undefined): string[] {
  if (header === undefined) return [];
  if (header.trim() === "*") return ["*"];
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].map((match) => match[1] ?? "");
}

/** The weak entity tag for a version: equal bodies but for who signed the URL, hence weak. */
export function entityTag(version: string): string {
  return `W/"${version}"`;
}

/** Validator and caching headers, the same on a 200 and on the 304 that stands for it. */
export function cachingHeaders(answer: TaskAnswer): Record<string, string> {
  const headers: Record<string, string> = {
    etag: entityTag(answer.version),
    // private: the body can carry a presigned URL, a bearer credential no shared cache may keep.
    "cache-control": `private, max-age=${answer.freshForSeconds}`,
  };
  if (answer.retryAfterSeconds !== undefined) headers["retry-after"] = String(answer.retryAfterSeconds);
  return headers;
}

/** Never cached anywhere: errors (the next poll may well succeed) and batch answers (many tasks, URLs). */
export const NO_STORE_HEADERS = { "cache-control": "no-store" } as const;
