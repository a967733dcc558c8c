import { expect } from "chai";
import { CachingUrlSigner } from "../../handler/cachingUrlSigner";
import { RecordingSigner } from "../helpers/fakes";

const WINDOW = new Date("2026-11-28T10:00:00Z");
const NEXT_WINDOW = new Date("2026-11-28T10:30:00Z");

describe("CachingUrlSigner", () => {
  it("signs a (bucket, key, window) once and hands back the same URL after", async () => {
    const inner = new RecordingSigner();
    const signer = new CachingUrlSigner(inner);
    const first = await signer.signTargetUrl("media-bucket", "a.png", WINDOW);
    expect(await signer.signTargetUrl("media-bucket", "a.png", WINDOW)).to.equal(first);
    expect(inner.signed).to.have.length(1);
  });

  it("signs anew for another key, bucket or window", async () => {
    const inner = new RecordingSigner();
    const signer = new CachingUrlSigner(inner);
    await signer.signTargetUrl("media-bucket", "a.png", WINDOW);
    await signer.signTargetUrl("media-bucket", "b.png", WINDOW);
    await signer.signTargetUrl("other-bucket", "a.png", WINDOW);
    await signer.signTargetUrl("media-bucket", "a.png", NEXT_WINDOW);
    expect(inner.signed).to.have.length(4);
  });

  it("keeps at most maxEntries URLs, dropping the oldest", async () => {
    const inner = new RecordingSigner();
    const signer = new CachingUrlSigner(inner, 2);
    for (const key of ["a", "b", "c"]) await signer.signTargetUrl("media-bucket", key, WINDOW);
    await signer.signTargetUrl("media-bucket", "c", WINDOW);
    await signer.signTargetUrl("media-bucket", "a", WINDOW);
    expect(inner.signed.map((s) => s.key)).to.deep.equal(["a", "b", "c", "a"]);
  });

  it("does not cache a failure", async () => {
    const inner = new RecordingSigner();
    inner.failure = new Error("no credentials");
    const signer = new CachingUrlSigner(inner);
    await signer.signTargetUrl("media-bucket", "a.png", WINDOW).catch(() => undefined);
    inner.failure = undefined;
    expect(await signer.signTargetUrl("media-bucket", "a.png", WINDOW)).to.include("a.png");
    expect(inner.signed).to.have.length(2);
  });
});
