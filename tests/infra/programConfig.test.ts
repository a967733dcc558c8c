import { expect } from "chai";
import type { ProgramRun } from "../../policy-check/programUnderMocks";
import { inputDifferences, named, ofType, runStack, single } from "../helpers/mockedProgram";

describe("the Pulumi program's response to stack config", function () {
  this.timeout(60_000);
  let baseline: ProgramRun;

  before(async () => {
    baseline = await runStack();
  });

  it("apiAuth: none changes the routes' authorization and nothing else", async () => {
    const open = await runStack({ apiAuth: "none" });
    expect(inputDifferences(baseline, open)).to.deep.equal([
      "aws:apigatewayv2/route:Route::batch-get-tasks authorizationType",
      "aws:apigatewayv2/route:Route::get-task authorizationType",
    ]);
    for (const route of ofType(open, "aws:apigatewayv2/route:Route")) {
      expect(route.inputs.authorizationType, route.name).to.equal("NONE");
    }
  });

  it("a second bucket with a prefix widens GetObject to exactly its prefix and tells the function", async () => {
    const wider = await runStack({ targetBuckets: ["media-bucket-dev", "results-dev/processed/"] });
    expect(inputDifferences(baseline, wider)).to.deep.equal([
      "aws:iam/rolePolicy:RolePolicy::task-status-function policy",
      "aws:iam/rolePolicy:RolePolicy::webhook-sender policy",
      "aws:lambda/function:Function::task-status environment variables TARGET_BUCKETS",
      "aws:lambda/function:Function::webhook-sender environment variables TARGET_BUCKETS",
    ]);
    const statements = JSON.parse(
      String(named(wider, "aws:iam/rolePolicy:RolePolicy", "task-status-function").inputs.policy),
    ).Statement;
    expect(statements[1]).to.deep.equal({
      Sid: "ReadTargetObjects",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::media-bucket-dev/*", "arn:aws:s3:::results-dev/processed/*"],
    });
    const env = named(wider, "aws:lambda/function:Function", "task-status").inputs.environment as {
      variables: Record<string, string>;
    };
    expect(env.variables.TARGET_BUCKETS).to.equal("media-bucket-dev,results-dev/processed/");
  });

  it("no target buckets means no S3 statement at all", async () => {
    const none = await runStack({ targetBuckets: [] });
    const statements = JSON.parse(
      String(named(none, "aws:iam/rolePolicy:RolePolicy", "task-status-function").inputs.policy),
    ).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).to.deep.equal(["ReadTasks", "WriteOwnLogs"]);
  });

  it("an alarm e-mail adds an SNS topic with that subscription and points every alarm at it", async () => {
    const paged = await runStack({ alarmEmail: "oncall@example.com" });
    const topic = single(paged, "aws:sns/topic:Topic");
    expect(single(paged, "aws:sns/topicSubscription:TopicSubscription").inputs).to.deep.include({
      topic: topic.state.arn,
      protocol: "email",
      endpoint: "oncall@example.com",
    });
    const alarms = ofType(paged, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).to.have.length(7);
    for (const alarm of alarms) {
      expect(alarm.inputs.alarmActions).to.deep.equal([topic.state.arn]);
      expect(alarm.inputs.okActions).to.deep.equal([topic.state.arn]);
    }
  });

  it("takes throttling, retention, TTL, poll interval and reserved concurrency from config", async () => {
    const tuned = await runStack({
      throttleRateLimit: 7,
      throttleBurstLimit: 9,
      logRetentionDays: 90,
      urlTtlSeconds: 60,
      pollIntervalSeconds: 5,
      reservedConcurrency: 25,
    });
    expect(single(tuned, "aws:apigatewayv2/stage:Stage").inputs.defaultRouteSettings).to.deep.include({
      throttlingRateLimit: 7,
      throttlingBurstLimit: 9,
    });
    for (const group of ofType(tuned, "aws:cloudwatch/logGroup:LogGroup"))
      expect(group.inputs.retentionInDays).to.equal(90);
    const fn = named(tuned, "aws:lambda/function:Function", "task-status");
    expect(fn.inputs.reservedConcurrentExecutions).to.equal(25);
    // A stack that reserves at all keeps the sweeper to one run at a time.
    expect(
      named(tuned, "aws:lambda/function:Function", "deadline-sweeper").inputs.reservedConcurrentExecutions,
    ).to.equal(1);
    const { variables } = fn.inputs.environment as { variables: Record<string, string> };
    expect(variables.URL_TTL_SECONDS).to.equal("60");
    expect(variables.POLL_INTERVAL_SECONDS).to.equal("5");
  });

  it("names per-account resources after the Pulumi project too, so a renamed copy of it does not collide", async () => {
    const copy = await runStack({}, "dev", "media-tasks");
    expect(ofType(copy, "aws:lambda/function:Function").map((fn) => fn.inputs.name)).to.have.members([
      "media-tasks-dev-status",
      "media-tasks-dev-sweeper",
      "media-tasks-dev-webhooks",
    ]);
    expect(
      ofType(copy, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name ?? g.inputs.namePrefix),
    ).to.have.members([
      "/aws/lambda/media-tasks-dev-status",
      "/aws/lambda/media-tasks-dev-sweeper",
      "/aws/lambda/media-tasks-dev-webhooks",
      "/aws/vendedlogs/apigateway/media-tasks-dev-access-",
    ]);
    expect(single(copy, "aws:cloudwatch/eventBus:EventBus").inputs.name).to.equal("media-tasks-dev");
    expect(single(copy, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName).to.equal(
      "media-tasks-dev-eu-west-1",
    );
  });

  it("names per-stack resources after the stack, and the dashboard after its region too", async () => {
    const prod = await runStack({ "aws:region": "eu-central-1" }, "prod");
    expect(single(prod, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName).to.equal(
      "task-api-prod-eu-central-1",
    );
    expect(
      ofType(prod, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name ?? g.inputs.namePrefix),
    ).to.have.members([
      "/aws/lambda/task-api-prod-status",
      "/aws/lambda/task-api-prod-sweeper",
      "/aws/lambda/task-api-prod-webhooks",
      "/aws/vendedlogs/apigateway/task-api-prod-access-",
    ]);
    expect(named(prod, "aws:lambda/function:Function", "task-status").inputs.name).to.equal("task-api-prod-status");
  });

  it("logLevel DEBUG brings back a line per answer: the logger's level and Lambda's filter, nothing else", async () => {
    const verbose = await runStack({ logLevel: "DEBUG" });
    expect(inputDifferences(baseline, verbose)).to.deep.equal([
      "aws:lambda/function:Function::deadline-sweeper environment variables POWERTOOLS_LOG_LEVEL",
      "aws:lambda/function:Function::deadline-sweeper loggingConfig applicationLogLevel",
      "aws:lambda/function:Function::task-status environment variables POWERTOOLS_LOG_LEVEL",
      "aws:lambda/function:Function::task-status loggingConfig applicationLogLevel",
      "aws:lambda/function:Function::webhook-sender environment variables POWERTOOLS_LOG_LEVEL",
      "aws:lambda/function:Function::webhook-sender loggingConfig applicationLogLevel",
    ]);
    const fn = named(verbose, "aws:lambda/function:Function", "task-status");
    expect(fn.inputs.loggingConfig).to.deep.include({ applicationLogLevel: "DEBUG" });
  });

  it("a customer-managed table key lets the function, the sweeper and the pipes decrypt with exactly that key", async () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333";
    const encrypted = await runStack({ tableKmsKeyArn: key });
    for (const name of ["task-status-function", "deadline-sweeper", "task-events-pipe", "webhook-sender"]) {
      const policy = named(encrypted, "aws:iam/rolePolicy:RolePolicy", name);
      const statements = JSON.parse(String(policy.inputs.policy)).Statement as Array<{
        Sid: string;
        Action: string[];
        Resource: string[];
      }>;
      expect(
        statements.find((s) => s.Sid === "UseTableKey"),
        name,
      ).to.deep.equal({
        Sid: "UseTableKey",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [key],
      });
      // And no other statement names a key.
      expect(
        statements.filter((s) => s.Action.some((a) => a.startsWith("kms:"))),
        name,
      ).to.have.length(1);
    }
    // Without one (the AWS-owned key), no role gets any KMS action.
    for (const name of ["task-status-function", "deadline-sweeper", "task-events-pipe", "webhook-sender"]) {
      expect(String(named(baseline, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy), name).to.not.include("kms:");
    }
  });

  it("keeps Lambda's REPORT lines (system logs at INFO) unless systemLogLevel lowers them, on both functions", async () => {
    for (const name of ["task-status", "deadline-sweeper", "webhook-sender"]) {
      expect(named(baseline, "aws:lambda/function:Function", name).inputs.loggingConfig).to.deep.include({
        systemLogLevel: "INFO",
      });
    }
    const quiet = await runStack({ systemLogLevel: "WARN" });
    expect(inputDifferences(baseline, quiet)).to.deep.equal([
      "aws:lambda/function:Function::deadline-sweeper loggingConfig systemLogLevel",
      "aws:lambda/function:Function::task-status loggingConfig systemLogLevel",
      "aws:lambda/function:Function::webhook-sender loggingConfig systemLogLevel",
    ]);
  });

  it("sweepIntervalMinutes changes the sweeper's schedule and nothing else", async () => {
    const slower = await runStack({ sweepIntervalMinutes: 5 });
    expect(inputDifferences(baseline, slower)).to.deep.equal([
      "aws:cloudwatch/eventRule:EventRule::deadline-sweep scheduleExpression",
    ]);
    expect(named(slower, "aws:cloudwatch/eventRule:EventRule", "deadline-sweep").inputs.scheduleExpression).to.equal(
      "rate(5 minutes)",
    );
  });

  it("names caller and processor roles: one attachment each, nothing else changes", async () => {
    const granted = await runStack({ callerRoles: ["portal"], processorRoles: ["worker-a", "worker-b"] });
    expect(inputDifferences(baseline, granted)).to.deep.equal([
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::caller-portal added",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::processor-worker-a added",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::processor-worker-b added",
    ]);
    expect(
      ofType(granted, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.role),
    ).to.have.members(["portal", "worker-a", "worker-b"]);
  });

  it("stops at preview when a named role does not exist, naming the config key and the role", async () => {
    for (const [key, role] of [
      ["callerRoles", "missing-portal"],
      ["processorRoles", "missing-worker.v2"],
    ] as const) {
      const error = await runStack({ [key]: [role] }).catch((e: unknown) => e);
      expect(error, key).to.be.instanceOf(Error);
      expect(String((error as Error).message), key).to.include(
        `task-api:${key} names the IAM role ${role}, which this account does not have`,
      );
    }
  });
});
