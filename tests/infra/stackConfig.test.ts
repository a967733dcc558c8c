import * as pulumi from "@pulumi/pulumi";
import { DEADLINE_GRACE_SECONDS, POLL_INTERVAL_SECONDS, URL_TTL_SECONDS } from "@task-api/contract";
import { expect } from "chai";
import { loadStackConfig, StackConfigError } from "../../infra/stackConfig";
import { readStackConfig, StackConfigTypeError } from "../../policy-check/stackConfigFiles";

/**
 * Reads config as the program does on `pulumi preview` of a new stack that sets exactly these
 * `task-api:*` values: Pulumi.yaml's defaults and types applied first, as the CLI applies them.
 */
function load(values: Record<string, unknown>) {
  pulumi.runtime.setAllConfig(readStackConfig("a-new-stack", values));
  return loadStackConfig(new pulumi.Config("task-api"));
}

describe("loadStackConfig", () => {
  it("reads a stack that sets nothing with Pulumi.yaml's defaults, which the CLI applies", () => {
    expect(load({})).to.deep.equal({
      targetBuckets: [],
      urlTtlSeconds: 3600,
      pollIntervalSeconds: 30,
      deadlineGraceSeconds: 10,
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
      webhooks: true,
      webhookSigningSecret: undefined,
      webhookPreviousSigningSecret: undefined,
      eventBusAccountIds: [],
      logLevel: "INFO",
      systemLogLevel: "INFO",
      sweepIntervalMinutes: 1,
    });
  });

  it("has no defaults of its own: run without Pulumi.yaml's, it stops at the first key, naming it", () => {
    pulumi.runtime.setAllConfig({});
    expect(() => loadStackConfig(new pulumi.Config("task-api"))).to.throw(
      pulumi.RunError,
      /Missing required configuration variable 'task-api:\w+'/,
    );
  });

  it("has Pulumi.yaml's URL lifetime and poll ceiling defaults equal to the contract's, which the handler uses when unset", () => {
    expect(load({}).urlTtlSeconds).to.equal(URL_TTL_SECONDS.default);
    expect(load({}).pollIntervalSeconds).to.equal(POLL_INTERVAL_SECONDS.default);
    expect(load({}).deadlineGraceSeconds).to.equal(DEADLINE_GRACE_SECONDS.default);
  });

  it("refuses a deadline grace shorter than the kits' call bound and skew allow, or over an hour", () => {
    for (const bad of [4, 0, 3601]) {
      expect(() => load({ deadlineGraceSeconds: bad }), String(bad)).to.throw(/deadlineGraceSeconds/);
    }
    expect(load({ deadlineGraceSeconds: 5 }).deadlineGraceSeconds).to.equal(5);
  });

  it("refuses a sweep interval outside 1 to 60 minutes, naming the key", () => {
    for (const [bad, range] of [
      ["0", "min 1"],
      ["61", "max 60"],
    ]) {
      expect(() => load({ sweepIntervalMinutes: bad }), bad).to.throw(
        pulumi.RunError,
        `Configuration 'task-api:sweepIntervalMinutes' value '${bad}' is outside of the legal range (${range}, inclusive)`,
      );
    }
    expect(() => load({ sweepIntervalMinutes: "1.5" })).to.throw(
      StackConfigTypeError,
      "configuration key 'sweepIntervalMinutes' must be of type 'integer'",
    );
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

  it("reads buckets as bucket or bucket/prefix/", () => {
    expect(load({ targetBuckets: ["a-bucket", "b-bucket/out/"] }).targetBuckets).to.deep.equal([
      { bucket: "a-bucket", prefix: "" },
      { bucket: "b-bucket", prefix: "out/" },
    ]);
  });

  // Refused by the CLI before the program runs: a value not of the type Pulumi.yaml declares.
  const mistyped: Array<[string, Record<string, unknown>, string]> = [
    ["a non-numeric rate", { throttleRateLimit: "fast" }, "'throttleRateLimit' must be of type 'integer'"],
    ["protection that is not a boolean", { protectTable: "yes" }, "'protectTable' must be of type 'boolean'"],
    ["roles given as one string", { callerRoles: "portal" }, "'callerRoles' must be of type 'array<string>'"],
    ["task events that are not a boolean", { taskEvents: "on" }, "'taskEvents' must be of type 'boolean'"],
    [
      "a bucket given as an object",
      { targetBuckets: [{ bucket: "c-bucket", prefix: "x/" }] },
      "'targetBuckets' must be of type 'array<string>'",
    ],
  ];
  for (const [label, values, message] of mistyped) {
    it(`refuses ${label} as the CLI does, naming the key`, () => {
      expect(() => load(values)).to.throw(StackConfigTypeError, message);
    });
  }

  // Refused by Config's own validators (allowedValues, min/max).
  const outOfRange: Array<[string, Record<string, unknown>, string]> = [
    [
      "an unknown apiAuth",
      { apiAuth: "cognito" },
      `Configuration 'task-api:apiAuth' value 'cognito' is not a legal enum value (["iam","none"])`,
    ],
    [
      "a TTL over the signing credentials' 6 hours",
      { urlTtlSeconds: "21601" },
      "Configuration 'task-api:urlTtlSeconds' value '21601' is outside of the legal range (max 21600, inclusive)",
    ],
    [
      "a negative reserved concurrency other than -1",
      { reservedConcurrency: "-2" },
      "Configuration 'task-api:reservedConcurrency' value '-2' is outside of the legal range (min -1, inclusive)",
    ],
  ];
  for (const [label, values, message] of outOfRange) {
    it(`refuses ${label}, naming the key`, () => {
      expect(() => load(values)).to.throw(pulumi.RunError, message);
    });
  }

  // Refused by the program's own checks: what a type, range or enum cannot say.
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ["an invalid bucket name", { targetBuckets: ["Bad_Bucket"] }, /targetBuckets.*not a bucket name/],
    ["a wildcard prefix", { targetBuckets: ["a-bucket/*"] }, /targetBuckets.*plain key prefix/],
    ["a retention CloudWatch does not offer", { logRetentionDays: "10" }, /logRetentionDays must be one of/],
    ["zero reserved concurrency", { reservedConcurrency: "0" }, /reservedConcurrency must not be 0/],
    ["an alarm e-mail that is not one", { alarmEmail: "oncall" }, /alarmEmail must be an e-mail address/],
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
