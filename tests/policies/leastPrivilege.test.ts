import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { functionPolicyStatements } from "../../infra/functionRole";
import { senderPolicyStatements } from "../../infra/webhookSender";
import { iamFunctionLeastPrivilege } from "../../policies/leastPrivilege";
import type { MockedResource } from "../../policy-check/programUnderMocks";
import { findingsOf, resourceOf, UNKNOWN_STRING, violationsOf } from "../helpers/policyHarness";

const ACCOUNT = "123456789012";
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/tasks-1`;
const LOG_GROUP = "/aws/lambda/task-api-dev-1";
const LOG_GROUP_ARN = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/task-status-function-1`;

type Statement = { Sid?: string; Effect: string; Action?: unknown; NotAction?: unknown; Resource?: unknown };

// The function's statements as the program writes them (infra/functionRole.ts), GetItem and BatchGetItem included.
const PROGRAM_STATEMENTS: Statement[] = functionPolicyStatements({
  tableArn: TABLE_ARN,
  logGroupArn: LOG_GROUP_ARN,
  targets: [{ bucket: "media-bucket", prefix: "processed/" }],
  targetKmsKeyArns: [],
});

/** The program's stack as the engine hands it to a stack policy (outputs); statements and function fields overridable. */
function stack(options: { statements?: Statement[]; fn?: Record<string, unknown>; extra?: MockedResource[] } = {}) {
  return [
    resourceOf(aws.dynamodb.Table, "tasks", { hashKey: "TaskId" }, { arn: TABLE_ARN, name: "tasks-1" }),
    resourceOf(
      aws.cloudwatch.LogGroup,
      "task-status-function",
      { retentionInDays: 14 },
      { name: LOG_GROUP, arn: LOG_GROUP_ARN },
    ),
    resourceOf(
      aws.iam.Role,
      "task-status-function",
      { assumeRolePolicy: "{}" },
      {
        arn: ROLE_ARN,
        name: "task-status-function-1",
        id: "task-status-function-1",
      },
    ),
    resourceOf(aws.iam.RolePolicy, "task-status-function", {
      role: "task-status-function-1",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: options.statements ?? PROGRAM_STATEMENTS }),
    }),
    resourceOf(aws.lambda.Function, "task-status", {
      role: ROLE_ARN,
      name: "task-status-1",
      loggingConfig: { logFormat: "JSON", logGroup: LOG_GROUP },
      ...options.fn,
    }),
    ...(options.extra ?? []),
  ];
}

function withStatement(statement: Statement): Statement[] {
  return [...PROGRAM_STATEMENTS, statement];
}

describe("policies/leastPrivilege: iam-function-least-privilege (mandatory, stack)", () => {
  it("passes the program's role", async () => {
    expect(await findingsOf(iamFunctionLeastPrivilege, stack())).to.deep.equal([]);
  });

  const extras: Array<[string, Statement, RegExp]> = [
    [
      "s3:PutObject",
      { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::media-bucket/*" },
      /allows s3:PutObject on arn:aws:s3:::media-bucket\/\*/,
    ],
    [
      "dynamodb:*",
      { Effect: "Allow", Action: "dynamodb:*", Resource: TABLE_ARN },
      /allows dynamodb:\* on arn:aws:dynamodb/,
    ],
    [
      "GetItem on another table",
      { Effect: "Allow", Action: "dynamodb:GetItem", Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/other` },
      /only this stack's task table/,
    ],
    [
      "BatchGetItem on another table",
      {
        Effect: "Allow",
        Action: "dynamodb:BatchGetItem",
        Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/other`,
      },
      /only this stack's task table/,
    ],
    [
      "GetObject on a bucket ARN",
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::media-bucket" },
      /object ARNs/,
    ],
    ["GetItem on *", { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }, /allows dynamodb:GetItem on \*/],
    ["logs on every group", { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }, /its own log group/],
    ["X-Ray without tracing", { Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" }, /active tracing/],
    ["a NotAction Allow", { Effect: "Allow", NotAction: "iam:*", Resource: TABLE_ARN }, /allows NotAction/],
    [
      "kms:Decrypt on *",
      { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
      /must name the target buckets' keys/,
    ],
    [
      "kms:Decrypt on a key alias",
      { Effect: "Allow", Action: "kms:Decrypt", Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/media` },
      /must name the target buckets' keys/,
    ],
    [
      "kms:Encrypt on a key",
      { Effect: "Allow", Action: "kms:Encrypt", Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234-abcd` },
      /allows kms:Encrypt .*does not need it/,
    ],
  ];
  for (const [label, statement, message] of extras) {
    it(`fails on ${label}, naming the action and resource`, async () => {
      const violations = await violationsOf(iamFunctionLeastPrivilege, stack({ statements: withStatement(statement) }));
      expect(violations).to.have.length(1);
      expect(violations[0]).to.match(message);
    });
  }

  it("allows kms:Decrypt on named keys (SSE-KMS target buckets)", async () => {
    const decrypt = {
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333`],
    };
    expect(await findingsOf(iamFunctionLeastPrivilege, stack({ statements: withStatement(decrypt) }))).to.deep.equal(
      [],
    );
  });

  it("allows X-Ray on * when the function traces actively", async () => {
    const xray = { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" };
    const traced = stack({ statements: withStatement(xray), fn: { tracingConfig: { mode: "Active" } } });
    expect(await findingsOf(iamFunctionLeastPrivilege, traced)).to.deep.equal([]);
  });

  it("counts an attached AWS-managed policy against the role", async () => {
    const attachment = resourceOf(aws.iam.RolePolicyAttachment, "basic", {
      role: "task-status-function-1",
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    });
    const violations = await violationsOf(iamFunctionLeastPrivilege, stack({ extra: [attachment] }));
    expect(violations).to.have.length(1);
    expect(violations[0]).to.include("AWSLambdaBasicExecutionRole");
  });

  it("reads the statements of a customer-managed policy however it is attached to the role", async () => {
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/extra`;
    const managed = resourceOf(
      aws.iam.Policy,
      "extra",
      {
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "dynamodb:PutItem", Resource: TABLE_ARN }] }),
      },
      { arn: policyArn },
    );
    const attachments = [
      resourceOf(aws.iam.RolePolicyAttachment, "extra", { role: "task-status-function-1", policyArn }),
      resourceOf(aws.iam.RolePolicyAttachmentsExclusive, "extra", {
        roleName: "task-status-function-1",
        policyArns: [policyArn],
      }),
      resourceOf(aws.iam.PolicyAttachment, "extra", { roles: ["task-status-function-1"], policyArn }),
    ];
    for (const attachment of attachments) {
      const violations = await violationsOf(iamFunctionLeastPrivilege, stack({ extra: [managed, attachment] }));
      expect(violations, attachment.type).to.have.length(1);
      expect(violations[0]).to.match(/allows dynamodb:PutItem .*\(Policy extra\)/);
    }
  });

  it("fails a function whose role the stack does not define", async () => {
    const violations = await violationsOf(
      iamFunctionLeastPrivilege,
      stack({ fn: { role: "arn:aws:iam::999999999999:role/elsewhere" } }),
    );
    expect(violations).to.have.length(1);
    expect(violations[0]).to.include("cannot be checked");
  });

  it("reports that it cannot decide, as advisory, while the role's document is unknown", async () => {
    const resources = stack();
    const inline = resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
    if (inline !== undefined) inline.state.policy = UNKNOWN_STRING;
    const findings = await findingsOf(iamFunctionLeastPrivilege, resources);
    expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
  });

  it("is not applicable to a stack without functions", async () => {
    expect(
      await findingsOf(
        iamFunctionLeastPrivilege,
        stack().filter((r) => r.type !== "aws:lambda/function:Function"),
      ),
    ).to.deep.equal([]);
  });

  describe("a function run on a schedule (the deadline sweeper)", () => {
    const FN_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:task-status-1`;
    const SWEEPER_STATEMENTS: Statement[] = [
      { Effect: "Allow", Action: ["dynamodb:Query"], Resource: [`${TABLE_ARN}/index/heartbeat-deadlines`] },
      { Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: [TABLE_ARN] },
      PROGRAM_STATEMENTS[2] as Statement,
    ];
    /** The stack with its function targeted by a rule; `schedule` false makes the rule event-pattern based. */
    function scheduled(statements: Statement[], schedule = true) {
      return stack({
        statements,
        fn: { arn: FN_ARN },
        extra: [
          resourceOf(
            aws.cloudwatch.EventRule,
            "deadline-sweep",
            schedule ? { scheduleExpression: "rate(1 minute)" } : { eventPattern: "{}" },
            { name: "deadline-sweep-1" },
          ),
          resourceOf(aws.cloudwatch.EventTarget, "deadline-sweep", { rule: "deadline-sweep-1", arn: FN_ARN }),
        ],
      });
    }

    it("may query a named index of the stack's table and update its items", async () => {
      expect(await findingsOf(iamFunctionLeastPrivilege, scheduled(SWEEPER_STATEMENTS))).to.deep.equal([]);
    });

    it("fails the same grants on a function that is not run on a schedule", async () => {
      const violations = await violationsOf(iamFunctionLeastPrivilege, scheduled(SWEEPER_STATEMENTS, false));
      expect(violations).to.have.length(2);
      expect(violations[0]).to.include("only a scheduled function (the sweeper) may query the table.");
      expect(violations[1]).to.include("the API's function only reads; processors write tasks.");
    });

    it("fails a scheduled function that reads items, scans, or queries another table's index", async () => {
      const violations = await violationsOf(
        iamFunctionLeastPrivilege,
        scheduled([
          ...SWEEPER_STATEMENTS,
          { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Scan"], Resource: [TABLE_ARN] },
          {
            Effect: "Allow",
            Action: ["dynamodb:Query"],
            Resource: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/other/index/by-user`],
          },
        ]),
      );
      expect(violations).to.have.length(3);
      expect(violations.join("\n")).to.include("allows dynamodb:GetItem").and.include("allows dynamodb:Scan");
      expect(violations[2]).to.include("Query must name an index of this stack's task table");
    });
  });
});

describe("policies/leastPrivilege: the webhook sender (a queue-fed function)", () => {
  const QUEUE_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:task-webhooks-1`;
  const OTHER_QUEUE_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:someone-elses`;
  const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:webhook-signing-secret-1-AbCdEf`;
  const FN_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:task-status-1`;
  const sender = senderPolicyStatements({
    tableArn: TABLE_ARN,
    logGroupArn: LOG_GROUP_ARN,
    queueArn: QUEUE_ARN,
    secretArn: SECRET_ARN,
    targets: [{ bucket: "media-bucket", prefix: "processed/" }],
    targetKmsKeyArns: [],
    tableKmsKeyArn: undefined,
  });
  const queues = [
    resourceOf(aws.sqs.Queue, "task-webhooks", {}, { arn: QUEUE_ARN }),
    resourceOf(aws.sqs.Queue, "other", {}, { arn: OTHER_QUEUE_ARN }),
    resourceOf(aws.secretsmanager.Secret, "webhook-signing-secret", {}, { arn: SECRET_ARN }),
  ];
  const fedBy = (queueArn: string) =>
    resourceOf(aws.lambda.EventSourceMapping, "task-webhooks", { eventSourceArn: queueArn, functionName: FN_ARN });
  const senderStack = (statements: Statement[], feeding = QUEUE_ARN) =>
    stack({ statements, fn: { arn: FN_ARN }, extra: [...queues, fedBy(feeding)] });

  it("passes the sender's role as the program writes it", async () => {
    expect(await findingsOf(iamFunctionLeastPrivilege, senderStack(sender))).to.deep.equal([]);
  });

  for (const [what, statement, expected] of [
    [
      "BatchGetItem",
      { Effect: "Allow", Action: "dynamodb:BatchGetItem", Resource: TABLE_ARN },
      /reads one task at a time/,
    ],
    [
      "a queue that does not feed it",
      { Effect: "Allow", Action: "sqs:ChangeMessageVisibility", Resource: OTHER_QUEUE_ARN },
      /only the queue that feeds it/,
    ],
    [
      "another account's secret",
      {
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:eu-west-1:210987654321:secret:x",
      },
      /only this stack's own secrets/,
    ],
    ["SendMessage", { Effect: "Allow", Action: "sqs:SendMessage", Resource: QUEUE_ARN }, /does not need it/],
  ] as Array<[string, Statement, RegExp]>) {
    it(`fails the sender with ${what}`, async () => {
      const violations = await violationsOf(iamFunctionLeastPrivilege, senderStack([...sender, statement]));
      expect(violations.join("\n")).to.match(expected);
    });
  }

  it("fails a function no queue feeds that reads a secret or a queue", async () => {
    const violations = await violationsOf(
      iamFunctionLeastPrivilege,
      stack({
        statements: withStatement({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN }),
        extra: queues,
      }),
    );
    expect(violations.join("\n")).to.match(/only the webhook sender \(a queue-fed function\) reads a secret/);
  });
});
