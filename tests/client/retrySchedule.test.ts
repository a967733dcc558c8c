import { expect } from "chai";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs } from "../../client/retrySchedule";

describe("retryDelayMs", () => {
  it("draws full jitter under a ceiling that doubles from the base up to the cap", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((retry) =>
      retryDelayMs(retry, DEFAULT_RETRY_POLICY, undefined, () => 0.999999),
    );
    expect(ceilings).to.deep.equal([249, 499, 999, 1999, 3999, 7999, 7999]);
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, undefined, () => 0)).to.equal(0);
  });

  it("never waits less than Retry-After", () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, 3, () => 0.5)).to.equal(3000);
    expect(retryDelayMs(6, DEFAULT_RETRY_POLICY, 1, () => 0.5)).to.equal(4000);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and nothing else", () => {
    expect(parseRetryAfter("2")).to.equal(2);
    expect(parseRetryAfter(null)).to.equal(undefined);
    expect(parseRetryAfter("soon")).to.equal(undefined);
    expect(parseRetryAfter("Sat, 28 Nov 2026 10:00:05 GMT", Date.parse("2026-11-28T10:00:00Z"))).to.equal(5);
  });
});
