import { WEBHOOK_ATTEMPTS, WEBHOOK_RETRY_DELAYS_SECONDS } from "@task-api/contract";
import { expect } from "chai";
import { MOCK_ACCOUNT_ID, type ProgramRun } from "../../policy-check/programUnderMocks";
import { inputDifferences, named, ofType, runStack, single } from "../helpers/mockedProgram";

const statementsOf = (policy: unknown) =>
  (JSON.parse(String(policy)) as { Statement: Array<{ Sid: string; Action: string[]; Resource: string[] }> }).Statement;

/** A secret input as the mock monitor sees it: Pulumi's secret wrapper around the value. */
function secretValue(input: unknown): string {
  const wrapped = input as { "4dabf18193072939515e22adb298388d"?: string; value?: unknown };
  expect(wrapped["4dabf18193072939515e22adb298388d"], "a Pulumi secret").to.equal("1b47061264138c4ac30d75fd1eb44270");
  return String(wrapped.value);
}

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const PREVIOUS = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

for (const { stack, region, reserved } of [
  { stack: "feature-x", region: "us-east-1", reserved: undefined },
  { stack: "dev", region: "eu-west-1", reserved: undefined },
  { stack: "prod", region: "eu-west-1", reserved: 5 },
]) {
  describe(`the webhook sender on stack ${stack} under mocks`, function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => {
      run = await runStack({}, stack);
    });

    it("is a nodejs24.x arm64 function of 5 s and 128 MB whose environment names the secret, never holds it", () => {
      const fn = named(run, "aws:lambda/function:Function", "webhook-sender");
      const secret = single(run, "aws:secretsmanager/secret:Secret");
      const queue = named(run, "aws:sqs/queue:Queue", "task-webhooks");
      expect(fn.inputs).to.deep.include({
        name: `task-api-${stack}-webhooks`,
        runtime: "nodejs24.x",
        architectures: ["arm64"],
        timeout: 5,
        memorySize: 128,
        role: named(run, "aws:iam/role:Role", "webhook-sender").state.arn,
      });
      const { variables } = fn.inputs.environment as { variables: Record<string, string> };
      expect(variables).to.include({ WEBHOOK_SECRET_ARN: secret.state.arn, WEBHOOK_QUEUE_URL: queue.state.url });
      expect(variables).to.not.have.property("WEBHOOK_ALLOW_PRIVATE_NETWORKS");
      expect(variables.WEBHOOK_SECRET_VERSION).to.equal(
        single(run, "aws:secretsmanager/secretVersion:SecretVersion").state.versionId,
      );
      // No function's environment holds the signing secret, which the preview role could read.
      const signing = String(run.outputs.webhookSigningSecret);
      expect(signing).to.match(/^whsec_/);
      for (const f of ofType(run, "aws:lambda/function:Function")) {
        expect(JSON.stringify(f.inputs.environment), f.name).to.not.include(signing.slice("whsec_".length));
      }
      expect(fn.inputs.reservedConcurrentExecutions).to.equal(reserved);
    });

    it("takes deliveries from its queue, reporting each failed one, at most 5 at once", () => {
      const mapping = single(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
      expect(mapping.inputs).to.deep.include({
        eventSourceArn: named(run, "aws:sqs/queue:Queue", "task-webhooks").state.arn,
        functionName: named(run, "aws:lambda/function:Function", "webhook-sender").state.arn,
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: 5 },
      });
    });

    it("keeps each delivery for every attempt of the schedule, then dead-letters it, with an alarm", () => {
      const queue = named(run, "aws:sqs/queue:Queue", "task-webhooks");
      const deadLetters = named(run, "aws:sqs/queue:Queue", "task-webhooks-dead-letters");
      expect(JSON.parse(String(queue.inputs.redrivePolicy))).to.deep.equal({
        deadLetterTargetArn: deadLetters.state.arn,
        maxReceiveCount: WEBHOOK_ATTEMPTS,
      });
      const schedule = WEBHOOK_RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0);
      expect(schedule).to.equal(27 * 3600 + 35 * 60 + 5);
      expect(Number(queue.inputs.messageRetentionSeconds)).to.be.greaterThan(schedule);
      // Lambda's rule for an SQS source: at least six times the function's timeout.
      expect(queue.inputs.visibilityTimeoutSeconds).to.equal(30);
      expect(Math.max(...WEBHOOK_RETRY_DELAYS_SECONDS)).to.be.at.most(12 * 3600);
      expect(deadLetters.inputs.messageRetentionSeconds).to.equal(1_209_600);
      const alarm = named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "task-webhooks-dead-letters");
      expect(alarm.inputs).to.deep.include({
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: deadLetters.state.name },
        threshold: 1,
      });
    });

    it("queues every Task Completed and Task Failed event's detail, and only this rule may send to the queue", () => {
      const bus = single(run, "aws:cloudwatch/eventBus:EventBus");
      const rule = named(run, "aws:cloudwatch/eventRule:EventRule", "task-webhooks");
      const queue = named(run, "aws:sqs/queue:Queue", "task-webhooks");
      expect(rule.inputs.eventBusName).to.equal(bus.state.name);
      expect(JSON.parse(String(rule.inputs.eventPattern))).to.deep.equal({
        source: ["task-api"],
        "detail-type": ["Task Completed", "Task Failed"],
      });
      expect(named(run, "aws:cloudwatch/eventTarget:EventTarget", "task-webhooks").inputs).to.deep.include({
        rule: rule.state.name,
        eventBusName: bus.state.name,
        arn: queue.state.arn,
        inputPath: "$.detail",
      });
      const policy = single(run, "aws:sqs/queuePolicy:QueuePolicy");
      expect(policy.inputs.queueUrl).to.equal(queue.state.url);
      expect(JSON.parse(String(policy.inputs.policy)).Statement).to.deep.equal([
        {
          Sid: "QueueTaskEvents",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: queue.state.arn,
          Condition: { ArnEquals: { "aws:SourceArn": rule.state.arn } },
        },
      ]);
    });

    it("stores a generated whsec_ secret of 32 bytes in Secrets Manager, the stack's output", () => {
      const version = single(run, "aws:secretsmanager/secretVersion:SecretVersion");
      expect(version.inputs.secretId).to.equal(single(run, "aws:secretsmanager/secret:Secret").state.id);
      const stored = JSON.parse(secretValue(version.inputs.secretString)) as { current: string };
      expect(stored).to.deep.equal({ current: run.outputs.webhookSigningSecret });
      expect(Buffer.from(stored.current.slice("whsec_".length), "base64")).to.have.length(32);
    });

    it("grants the sender exactly: read tasks, the secret, its queue, the targets, its logs", () => {
      const table = String(single(run, "aws:dynamodb/table:Table").state.arn);
      const queue = String(named(run, "aws:sqs/queue:Queue", "task-webhooks").state.arn);
      const statements = statementsOf(named(run, "aws:iam/rolePolicy:RolePolicy", "webhook-sender").inputs.policy);
      const byId = Object.fromEntries(statements.map((s) => [s.Sid, [s.Action, s.Resource]]));
      expect(byId).to.deep.include({
        ReadTasks: [["dynamodb:GetItem"], [table]],
        ReadSigningSecret: [
          ["secretsmanager:GetSecretValue"],
          [single(run, "aws:secretsmanager/secret:Secret").state.arn],
        ],
        TakeDeliveries: [["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [queue]],
        ScheduleRetries: [["sqs:ChangeMessageVisibility"], [queue]],
        WriteOwnLogs: [
          ["logs:CreateLogStream", "logs:PutLogEvents"],
          [`arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:/aws/lambda/task-api-${stack}-webhooks:*`],
        ],
      });
      expect(Object.keys(byId).sort()).to.deep.equal(
        [
          "ReadTasks",
          "ReadSigningSecret",
          "TakeDeliveries",
          "ScheduleRetries",
          "WriteOwnLogs",
          ...(byId.ReadTargetObjects === undefined ? [] : ["ReadTargetObjects"]),
        ].sort(),
      );
    });
  });
}

describe("webhook config", function () {
  this.timeout(60_000);

  it("webhookSigningSecret is the secret stored and exported; none is generated", async () => {
    const run = await runStack({ webhookSigningSecret: SECRET });
    expect(ofType(run, "random:index/randomBytes:RandomBytes")).to.deep.equal([]);
    const version = single(run, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(JSON.parse(secretValue(version.inputs.secretString))).to.deep.equal({ current: SECRET });
    expect(run.outputs.webhookSigningSecret).to.equal(SECRET);
  });

  it("webhookPreviousSigningSecret stores both, for a rotation", async () => {
    const run = await runStack({ webhookSigningSecret: SECRET, webhookPreviousSigningSecret: PREVIOUS });
    const version = single(run, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(JSON.parse(secretValue(version.inputs.secretString))).to.deep.equal({ current: SECRET, previous: PREVIOUS });
  });

  it("refuses a signing secret that is not whsec_ and 24-64 bytes of base64", async () => {
    let failure: unknown;
    try {
      await runStack({ webhookSigningSecret: "hunter2" });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include("task-api:webhookSigningSecret must be a Standard Webhooks secret");
  });

  it("webhooks: false removes the sender, its queues, rule, secret and alarm, and nothing else", async () => {
    const on = await runStack();
    const off = await runStack({ webhooks: false });
    expect(inputDifferences(on, off)).to.deep.equal(
      [
        "aws:cloudwatch/eventRule:EventRule::task-webhooks removed",
        "aws:cloudwatch/eventTarget:EventTarget::task-webhooks removed",
        "aws:cloudwatch/logGroup:LogGroup::webhook-sender removed",
        "aws:cloudwatch/metricAlarm:MetricAlarm::task-webhooks-dead-letters removed",
        "aws:iam/role:Role::webhook-sender removed",
        "aws:iam/rolePolicy:RolePolicy::webhook-sender removed",
        "aws:lambda/eventSourceMapping:EventSourceMapping::task-webhooks removed",
        "aws:lambda/function:Function::webhook-sender removed",
        "aws:secretsmanager/secret:Secret::webhook-signing-secret removed",
        "aws:secretsmanager/secretVersion:SecretVersion::webhook-signing-secret removed",
        "aws:sqs/queue:Queue::task-webhooks removed",
        "aws:sqs/queue:Queue::task-webhooks-dead-letters removed",
        "aws:sqs/queuePolicy:QueuePolicy::task-webhooks removed",
        "random:index/randomBytes:RandomBytes::webhook-signing-secret removed",
      ].sort(),
    );
    expect(off.outputs.webhookQueueUrl).to.equal(undefined);
  });

  it("taskEvents: false takes the webhooks with it (their rule is on the task bus)", async () => {
    const run = await runStack({ taskEvents: false });
    expect(ofType(run, "aws:lambda/eventSourceMapping:EventSourceMapping")).to.deep.equal([]);
    expect(ofType(run, "aws:secretsmanager/secret:Secret")).to.deep.equal([]);
  });
});
