import type { TargetUrlSigner } from "./taskStatusService";

/**
 * Remembers URLs signed for a (bucket, key, window start): the service signs as of the start of
 * a fixed window, so every poll in the window asks for the very same URL, and signing it again
 * (about a fifth of a warm invocation's CPU) buys nothing. Bounded; the oldest entry goes first.
 * A container's credentials do not change during its life, so neither does a cached URL's.
 */
export class CachingUrlSigner implements TargetUrlSigner {
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly signer: TargetUrlSigner,
    private readonly maxEntries = 256,
  ) {}

  async signTargetUrl(bucket: string, key: string, signedAt: Date): Promise<string> {
    const cacheKey = `${signedAt.getTime()}\n${bucket}\n${key}`;
    const cached = this.urls.get(cacheKey);
    if (cached !== undefined) return cached;
    const url = await this.signer.signTargetUrl(bucket, key, signedAt);
    if (this.urls.size >= this.maxEntries) {
      const oldest = this.urls.keys().next().value;
      if (oldest !== undefined) this.urls.delete(oldest);
    }
    this.urls.set(cacheKey, url);
    return url;
  }
}
