import { InvalidTaskInputError, TaskCallTimeoutError } from "@task-api/processor";
import { expect } from "chai";
import {
  boundedClientConfig,
  callBoundsFrom,
  DEFAULT_CALL_BOUNDS,
  withinCallTimeout,
} from "../../processor/callBounds";

describe("processor/callBounds", () => {
  it("defaults to the API function's own client settings and a 3 s bound per call", () => {
    expect(DEFAULT_CALL_BOUNDS).to.deep.equal({
      callTimeoutMs: 3000,
      connectionTimeoutMs: 500,
      requestTimeoutMs: 1000,
      maxAttempts: 3,
    });
    expect(boundedClientConfig(callBoundsFrom({ requestTimeoutMs: 700, maxAttempts: 2 }))).to.deep.equal({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 500, requestTimeout: 700, throwOnRequestTimeout: true },
    });
  });

  it("refuses a bound that is not a whole number within its limits, naming it", () => {
    for (const bad of [
      { callTimeoutMs: 0 },
      { callTimeoutMs: 1.5 },
      { requestTimeoutMs: 60_001 },
      { maxAttempts: 11 },
    ]) {
      expect(() => callBoundsFrom(bad), JSON.stringify(bad)).to.throw(InvalidTaskInputError, Object.keys(bad)[0]);
    }
  });

  it("ends a call that never answers at its bound, aborting the request, with the call's name and time", async () => {
    let aborted = false;
    const error = await withinCallTimeout("heartbeat(t-1)", { callTimeoutMs: 50 }, (signal) => {
      signal.addEventListener("abort", () => {
        aborted = true;
      });
      return new Promise<never>(() => undefined);
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TaskCallTimeoutError);
    expect(error).to.include({ call: "heartbeat(t-1)", callTimeoutMs: 50 });
    expect((error as Error).message).to.match(/^heartbeat\(t-1\) gave up after \d+\.\d s without an answer/);
    expect(aborted).to.equal(true);
  });

  it("says out of time, not the SDK's abort error, when the abort is what ended the request", async () => {
    const error = await withinCallTimeout("complete(t-2)", { callTimeoutMs: 20 }, (signal) => {
      return new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () =>
          reject(Object.assign(new Error("Request aborted"), { name: "AbortError" })),
        ),
      );
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TaskCallTimeoutError);
  });

  it("passes an answer, or an error of its own, through unchanged", async () => {
    expect(await withinCallTimeout("start(t-3)", { callTimeoutMs: 1000 }, async () => "ok")).to.equal("ok");
    const refused = new Error("ConditionalCheckFailed");
    expect(
      await withinCallTimeout("start(t-3)", { callTimeoutMs: 1000 }, async () => {
        throw refused;
      }).catch((e: unknown) => e),
    ).to.equal(refused);
  });
});
