import { expect } from "chai";
import { statusChangeFilters, taskEventInputTemplate } from "../../infra/taskEventDefinitions";
import { MOCK_ACCOUNT_ID, type ProgramRun } from "../../policy-check/programUnderMocks";
import { inputDifferences, named, ofType, runStack, single } from "../helpers/mockedProgram";

const EVENT_TYPES = [
  "aws:cloudwatch/eventBus:EventBus",
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
  "aws:pipes/pipe:Pipe",
  "aws:sqs/queue:Queue",
];

function statementsOf(policy: unknown): Array<Record<string, unknown>> {
  return (JSON.parse(String(policy)) as { Statement: Array<Record<string, unknown>> }).Statement;
}

for (const { stack, region } of [
  { stack: "feature-x", region: "us-east-1" },
  { stack: "dev", region: "eu-west-1" },
  { stack: "prod", region: "eu-west-1" },
]) {
  describe(`task events on stack ${stack} under mocks`, function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => {
      run = await runStack({}, stack);
    });

    it("streams the table's new and old images", () => {
      expect(single(run, "aws:dynamodb/table:Table").inputs).to.deep.include({
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
      });
    });

    it("makes the stack's own bus and a 14-day dead-letter queue with an alarm on it", () => {
      expect(single(run, "aws:cloudwatch/eventBus:EventBus").inputs.name).to.equal(`task-api-${stack}`);
      const queue = named(run, "aws:sqs/queue:Queue", "task-events-dead-letters");
      expect(queue.inputs).to.deep.include({ messageRetentionSeconds: 1_209_600, sqsManagedSseEnabled: true });
      expect(named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "task-events-dead-letters").inputs).to.deep.include({
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: queue.state.name },
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      // No bus policy unless accounts are named.
      expect(ofType(run, "aws:cloudwatch/eventBusPolicy:EventBusPolicy")).to.deep.equal([]);
    });

    it("creates the pipes only after waiting 120 s for their role's policy and the stream, and again when either changes", () => {
      const wait = single(run, "time:index/sleep:Sleep");
      const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "task-events-pipe");
      expect(wait.inputs).to.deep.equal({
        createDuration: "120s",
        triggers: { policy: policy.inputs.policy, stream: single(run, "aws:dynamodb/table:Table").state.streamArn },
      });
      expect(wait.options.dependencies).to.include(policy.urn);
      for (const pipe of ofType(run, "aws:pipes/pipe:Pipe")) {
        expect(pipe.options.dependencies, pipe.name).to.include.members([wait.urn, policy.urn]);
      }
    });

    it("runs one pipe per status from the stream to the bus, with its filter, template, retries and dead letters", () => {
      const table = single(run, "aws:dynamodb/table:Table");
      const bus = single(run, "aws:cloudwatch/eventBus:EventBus");
      const queue = named(run, "aws:sqs/queue:Queue", "task-events-dead-letters");
      const role = named(run, "aws:iam/role:Role", "task-events-pipe");
      const pipes = ofType(run, "aws:pipes/pipe:Pipe");
      expect(pipes.map((p) => p.name).sort()).to.deep.equal(["task-completed-events", "task-failed-events"]);
      for (const [status, detailType] of [
        ["completed", "Task Completed"],
        ["failed", "Task Failed"],
      ] as const) {
        const pipe = named(run, "aws:pipes/pipe:Pipe", `task-${status}-events`);
        expect(pipe.inputs).to.deep.include({
          roleArn: role.state.arn,
          source: table.state.streamArn,
          target: bus.state.arn,
        });
        expect(pipe.inputs.sourceParameters).to.deep.equal({
          dynamodbStreamParameters: {
            startingPosition: "LATEST",
            batchSize: 10,
            maximumBatchingWindowInSeconds: 0,
            maximumRetryAttempts: 10,
            maximumRecordAgeInSeconds: 3600,
            onPartialBatchItemFailure: "AUTOMATIC_BISECT",
            deadLetterConfig: { arn: queue.state.arn },
          },
          filterCriteria: { filters: statusChangeFilters(status).map((pattern) => ({ pattern })) },
        });
        expect(pipe.inputs.targetParameters).to.deep.equal({
          eventbridgeEventBusParameters: { source: "task-api", detailType },
          inputTemplate: taskEventInputTemplate(status, stack),
        });
      }
    });

    it("lets the pipe role be assumed by Pipes from this account only, and read, put and dead-letter only", () => {
      const role = named(run, "aws:iam/role:Role", "task-events-pipe");
      expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement).to.deep.equal([
        {
          Effect: "Allow",
          Principal: { Service: "pipes.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        },
      ]);
      const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "task-events-pipe");
      expect(policy.inputs.role).to.equal(role.state.id);
      expect(statementsOf(policy.inputs.policy)).to.deep.equal([
        {
          Sid: "ReadTaskStream",
          Effect: "Allow",
          Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
          Resource: [single(run, "aws:dynamodb/table:Table").state.streamArn],
        },
        // The fourth action of AWS's Pipes page for a DynamoDB source is wildcard-only.
        { Sid: "ListTaskStreams", Effect: "Allow", Action: ["dynamodb:ListStreams"], Resource: ["*"] },
        {
          Sid: "PutTaskEvents",
          Effect: "Allow",
          Action: ["events:PutEvents"],
          Resource: [single(run, "aws:cloudwatch/eventBus:EventBus").state.arn],
        },
        {
          Sid: "DeadLetterTaskEvents",
          Effect: "Allow",
          Action: ["sqs:SendMessage"],
          Resource: [named(run, "aws:sqs/queue:Queue", "task-events-dead-letters").state.arn],
        },
      ]);
    });

    it("exports the bus's name and ARN", () => {
      expect(run.outputs).to.deep.include({
        eventBusName: `task-api-${stack}`,
        eventBusArn: `arn:aws:events:${region}:${MOCK_ACCOUNT_ID}:event-bus/task-api-${stack}`,
      });
    });
  });
}

describe("task events config", function () {
  this.timeout(60_000);

  it("taskEvents: false removes the stream, the pipes, their role, the bus, the queue and its alarm, and nothing else", async () => {
    // Webhooks ride on the events (tests/infra/webhookSender.test.ts): compared without them.
    const on = await runStack({ webhooks: false });
    const off = await runStack({ taskEvents: false });
    expect(inputDifferences(on, off)).to.deep.equal(
      [
        "aws:cloudwatch/eventBus:EventBus::task-events removed",
        "aws:cloudwatch/metricAlarm:MetricAlarm::task-events-dead-letters removed",
        "aws:dynamodb/table:Table::tasks streamEnabled",
        "aws:dynamodb/table:Table::tasks streamViewType",
        "aws:iam/role:Role::task-events-pipe removed",
        "aws:iam/rolePolicy:RolePolicy::task-events-pipe removed",
        "aws:pipes/pipe:Pipe::task-completed-events removed",
        "aws:pipes/pipe:Pipe::task-failed-events removed",
        "aws:sqs/queue:Queue::task-events-dead-letters removed",
        "time:index/sleep:Sleep::task-events-pipe-propagation removed",
      ].sort(),
    );
    for (const type of EVENT_TYPES) expect(ofType(off, type), type).to.deep.equal([]);
    expect([off.outputs.eventBusName, off.outputs.eventBusArn]).to.deep.equal([undefined, undefined]);
  });

  it("eventBusAccountIds lets exactly those accounts manage their own rules on the bus", async () => {
    const run = await runStack({ eventBusAccountIds: ["111122223333", "444455556666"] });
    const bus = single(run, "aws:cloudwatch/eventBus:EventBus");
    const busPolicy = single(run, "aws:cloudwatch/eventBusPolicy:EventBusPolicy");
    expect(busPolicy.inputs.eventBusName).to.equal(bus.state.name);
    const statements = statementsOf(busPolicy.inputs.policy);
    expect(statements.map((s) => [s.Principal, s.Resource, s.Condition])).to.deep.equal(
      ["111122223333", "444455556666"].map((account) => [
        { AWS: `arn:aws:iam::${account}:root` },
        `arn:aws:events:eu-west-1:${MOCK_ACCOUNT_ID}:rule/task-api-dev/*`,
        { StringEqualsIfExists: { "events:creatorAccount": account } },
      ]),
    );
    for (const statement of statements) {
      expect(statement.Action)
        .to.include.members(["events:PutRule", "events:PutTargets"])
        .and.not.include("events:PutEvents");
    }
  });
});
