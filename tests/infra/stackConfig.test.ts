import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { loadStackConfig, StackConfigError } from "../../infra/stackConfig";
import { readStackConfig } from "../../policy-check/stackConfigFiles";

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
      pollIntervalSeconds: 30,
      apiAuth: "iam",
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetentionDays: 30,
      reservedConcurrency: undefined,
      alarmEmail: undefined,
      protectTable: true,
      callerRoles: [],
      processorRoles: [],
      tags: {},
      tableKmsKeyArn: undefined,
      targetKmsKeyArns: [],
      taskEvents: true,
      eventBusAccountIds: [],
      logLevel: "INFO",
      systemLogLevel: "INFO",
      sweepIntervalMinutes: 1,
    });
  });

  it("has the same defaults as Pulumi.yaml, which the CLI applies to a stack that sets nothing", () => {
    pulumi.runtime.setAllConfig(readStackConfig("a-new-stack"));
    const fromPulumiYaml = loadStackConfig(new pulumi.Config("task-api"));
    expect(fromPulumiYaml).to.deep.equal(load({}));
  });

  it("refuses a sweep interval outside 1 to 60 minutes, naming the key", () => {
    for (const bad of ["0", "61", "1.5"]) {
      expect(() => load({ sweepIntervalMinutes: bad }), bad).to.throw(
        StackConfigError,
        "task-api:sweepIntervalMinutes",
      );
    }
  });

  it("reads protection, access roles, tags and keys", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333";
    expect(
      load({
        protectTable: "false",
        reservedConcurrency: "50",
        callerRoles: ["portal", "portal", "ops@team"],
        processorRoles: ["watermark-worker"],
        tags: { Team: "media", "cost:center": "42" },
        tableKmsKeyArn: key,
        targetKmsKeyArns: [key],
      }),
    ).to.deep.include({
      protectTable: false,
      reservedConcurrency: 50,
      callerRoles: ["portal", "ops@team"],
      processorRoles: ["watermark-worker"],
      tags: { Team: "media", "cost:center": "42" },
      tableKmsKeyArn: key,
      targetKmsKeyArns: [key],
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
    [
      "a TTL over the signing credentials' 6 hours",
      { urlTtlSeconds: "21601" },
      /task-api:urlTtlSeconds must be a whole number from 1 to 21600/,
    ],
    ["a retention CloudWatch does not offer", { logRetentionDays: "10" }, /logRetentionDays must be one of/],
    ["zero reserved concurrency", { reservedConcurrency: "0" }, /reservedConcurrency must not be 0/],
    ["a non-numeric rate", { throttleRateLimit: "fast" }, /throttleRateLimit must be a whole number/],
    ["an alarm e-mail that is not one", { alarmEmail: "oncall" }, /alarmEmail must be an e-mail address/],
    ["protection that is not a boolean", { protectTable: "yes" }, /protectTable must be true or false/],
    [
      "a caller role with a space",
      { callerRoles: ["my role"] },
      /callerRoles has an entry that is not an IAM role name/,
    ],
    [
      "a role ARN where a name goes",
      { processorRoles: ["arn:aws:iam::1:role/x"] },
      /processorRoles .*not an IAM role name/,
    ],
    ["a role name over 64 characters", { callerRoles: ["r".repeat(65)] }, /callerRoles .*not an IAM role name/],
    ["roles given as one string", { callerRoles: "portal" }, /callerRoles must be a list/],
    [
      "a key alias where a key ARN goes",
      { tableKmsKeyArn: "alias/aws/dynamodb" },
      /tableKmsKeyArn must be a KMS key ARN/,
    ],
    [
      "a bucket key that is not a KMS ARN",
      { targetKmsKeyArns: ["arn:aws:s3:::b"] },
      /targetKmsKeyArns must be a KMS key ARN/,
    ],
    ["a tag that redefines Stack", { tags: { Stack: "x" } }, /tags must not set Stack/],
    ["a tag under the aws: prefix", { tags: { "aws:owner": "x" } }, /tags has a tag name AWS does not accept/],
    ["a tag value that is not a string", { tags: { Team: 7 } }, /tags has a value for Team/],
    ["tags given as a list", { tags: ["Team=media"] }, /tags must be a map/],
    [
      "an account ID that is not 12 digits",
      { eventBusAccountIds: ["12345"] },
      /eventBusAccountIds has an entry that is not a 12-digit AWS account ID/,
    ],
    ["task events that are not a boolean", { taskEvents: "on" }, /taskEvents must be true or false/],
    [
      "a log level Powertools does not know",
      { logLevel: "VERBOSE" },
      /logLevel must be one of DEBUG, INFO, WARN, ERROR/,
    ],
    [
      "a system log level Lambda does not know",
      { systemLogLevel: "ERROR" },
      /systemLogLevel must be one of DEBUG, INFO, WARN/,
    ],
  ];
  for (const [label, values, message] of bad) {
    it(`refuses ${label}, naming the key`, () => {
      expect(() => load(values)).to.throw(StackConfigError, message);
    });
  }
});
