/**
 * Stands in for mnemonist/lru-cache inside the Lambda bundle: the DynamoDB client makes an
 * endpoint-discovery cache at construction even though endpoint discovery is off (the default
 * for DynamoDB), and mnemonist brings about 7 KiB of typed-array machinery for it. This is the
 * same LRU behaviour, for the methods @aws-sdk/endpoint-cache calls, on a Map (which keeps
 * insertion order, so its first key is the least recently used).
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value without marking it as recently used. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return this;
  }

  clear(): void {
    this.entries.clear();
  }
}
