/**
 * Presigned URLs are made for fixed windows of time rather than per request: every poll inside
 * a window gets the same URL (so a caller's cached copy stays valid and revalidates cheaply),
 * and a window is half the URL's lifetime, so a URL handed out anywhere in its window still has
 * at least that half left.
 */
export interface UrlWindow {
  /** The URL's X-Amz-Date: the start of the window. */
  signedAt: Date;
  /** When the window ends and the next URL is made. */
  endsAt: Date;
  /** signedAt + the URL's lifetime: the URL's own X-Amz-Date + X-Amz-Expires. */
  expiresAt: Date;
}

/** The window that `now` falls in, for URLs that live `ttlSeconds`. */
export function urlWindowAt(now: Date, ttlSeconds: number): UrlWindow {
  const windowSeconds = Math.max(1, Math.floor(ttlSeconds / 2));
  const start = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  return {
    signedAt: new Date(start * 1000),
    endsAt: new Date((start + windowSeconds) * 1000),
    expiresAt: new Date((start + ttlSeconds) * 1000),
  };
}

/** ISO 8601 UTC to the second, as callers compare it with X-Amz-Date. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
