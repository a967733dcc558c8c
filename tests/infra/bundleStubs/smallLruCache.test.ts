import { expect } from "chai";
import LRUCache from "../../../infra/bundleStubs/smallLruCache";

describe("bundleStubs/smallLruCache (mnemonist/lru-cache in the bundle)", () => {
  it("keeps at most its capacity, dropping the least recently used", () => {
    const cache = new LRUCache<string, number>(2);
    cache.set("a", 1).set("b", 2);
    expect(cache.get("a")).to.equal(1); // a is now the most recent
    cache.set("c", 3);
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).to.deep.equal([true, false, true]);
    expect(cache.size).to.equal(2);
  });

  it("peeks without changing the order, replaces a key in place, and clears", () => {
    const cache = new LRUCache<string, number>(2);
    cache.set("a", 1).set("b", 2);
    expect(cache.peek("a")).to.equal(1);
    cache.set("c", 3); // a was only peeked, so it is the oldest
    expect(cache.has("a")).to.equal(false);
    cache.set("b", 20);
    expect([cache.get("b"), cache.size]).to.deep.equal([20, 2]);
    cache.clear();
    expect([cache.size, cache.get("b")]).to.deep.equal([0, undefined]);
  });
});
