import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { loadStackConfig, StackConfigError } from "../../infra/stackConfig";

/** Reads config as the program would, from exactly these `task-api:*` values. */
function load(values: Record<string, unknown>) {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        `task-api:${key}`,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  );
  return loadStackConfig(new pulumi.Config("task-api"));
}

describe("loadStackConfig", () => {
  it("falls back to the documented defaults", () => {
    expect(load({})).to.deep.equal({
      targetBuckets: [],
      urlTtlSeconds: 3600,
      pollIntervalSeconds: 2,
      apiAuth: "iam",
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetentionDays: 30,
      reservedConcurrency: 20,
      alarmEmail: undefined,
    });
  });

  it("reads buckets as strings (bucket or bucket/prefix) or objects", () => {
    expect(
      load({ targetBuckets: ["a-bucket", "b-bucket/out/", { bucket: "c-bucket", prefix: "x/" }] }).targetBuckets,
    ).to.deep.equal([
      { bucket: "a-bucket", prefix: "" },
      { bucket: "b-bucket", prefix: "out/" },
      { bucket: "c-bucket", prefix: "x/" },
    ]);
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ["an invalid bucket name", { targetBuckets: ["Bad_Bucket"] }, /targetBuckets.*not a bucket name/],
    ["a wildcard prefix", { targetBuckets: ["a-bucket/*"] }, /targetBuckets.*plain key prefix/],
    ["an unknown apiAuth", { apiAuth: "cognito" }, /apiAuth must be "iam" or "none"/],
    ["a TTL over 7 days", { urlTtlSeconds: "604801" }, /urlTtlSeconds must be a whole number from 1 to 604800/],
    ["a retention CloudWatch does not offer", { logRetentionDays: "10" }, /logRetentionDays must be one of/],
    ["zero reserved concurrency", { reservedConcurrency: "0" }, /reservedConcurrency must not be 0/],
    ["a non-numeric rate", { throttleRateLimit: "fast" }, /throttleRateLimit must be a whole number/],
    ["an alarm e-mail that is not one", { alarmEmail: "oncall" }, /alarmEmail must be an e-mail address/],
  ];
  for (const [label, values, message] of bad) {
    it(`refuses ${label}, naming the key`, () => {
      expect(() => load(values)).to.throw(StackConfigError, message);
    });
  }
});
