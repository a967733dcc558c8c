import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { pipePolicyStatements } from "../../infra/taskEvents";
import { pipesRoleLeastPrivilege } from "../../policies/pipes";
import type { MockedResource } from "../../policy-check/programUnderMocks";
import { findingsOf, resourceOf, UNKNOWN_STRING, violationsOf } from "../helpers/policyHarness";

const ACCOUNT = "123456789012";
const STREAM = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/tasks-1/stream/2026-11-28T00:00:00.000`;
const BUS = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/task-api-dev`;
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:task-events-dead-letters-1`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/task-events-pipe-1`;

type Statement = { Sid?: string; Effect: string; Action?: unknown; Resource?: unknown };
const PROGRAM_STATEMENTS: Statement[] = pipePolicyStatements({ streamArn: STREAM, busArn: BUS, queueArn: QUEUE });

/** The program's event resources as a stack policy sees them; the role's statements overridable. */
function stack(statements: Statement[] = PROGRAM_STATEMENTS, extra: MockedResource[] = []): MockedResource[] {
  return [
    resourceOf(aws.dynamodb.Table, "tasks", { hashKey: "TaskId" }, { streamArn: STREAM }),
    resourceOf(aws.cloudwatch.EventBus, "task-events", { name: "task-api-dev" }, { arn: BUS }),
    resourceOf(aws.sqs.Queue, "task-events-dead-letters", {}, { arn: QUEUE }),
    resourceOf(
      aws.iam.Role,
      "task-events-pipe",
      { assumeRolePolicy: "{}" },
      { arn: ROLE_ARN, name: "task-events-pipe-1", id: "task-events-pipe-1" },
    ),
    resourceOf(aws.iam.RolePolicy, "task-events-pipe", {
      role: "task-events-pipe-1",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    }),
    resourceOf(aws.pipes.Pipe, "task-completed-events", { roleArn: ROLE_ARN, source: STREAM, target: BUS }),
    ...extra,
  ];
}

describe("policies/pipes: pipes-role-least-privilege (mandatory, stack)", () => {
  it("passes the program's pipe role", async () => {
    expect(await findingsOf(pipesRoleLeastPrivilege, stack())).to.deep.equal([]);
  });

  it("lets a pipe decrypt with its table's own customer-managed key, and with no other", async () => {
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333`;
    const decrypt = (resource: string) => ({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: [resource] });
    const encrypted = (statements: Statement[]) =>
      stack(statements).map((r) =>
        r.type === "aws:dynamodb/table:Table"
          ? { ...r, state: { ...r.state, serverSideEncryption: { enabled: true, kmsKeyArn: key } } }
          : r,
      );
    expect(await findingsOf(pipesRoleLeastPrivilege, encrypted([...PROGRAM_STATEMENTS, decrypt(key)]))).to.deep.equal(
      [],
    );
    const other = key.replace("0f1e", "9999");
    expect(
      await violationsOf(pipesRoleLeastPrivilege, encrypted([...PROGRAM_STATEMENTS, decrypt(other)])),
    ).to.have.length(1);
    // A table on the AWS-owned key gives the pipe no key to use.
    expect(await violationsOf(pipesRoleLeastPrivilege, stack([...PROGRAM_STATEMENTS, decrypt(key)]))).to.have.length(1);
  });

  const widenings: Array<[string, Statement, RegExp]> = [
    [
      "GetItem on the table",
      { Effect: "Allow", Action: "dynamodb:GetItem", Resource: STREAM.replace(/\/stream\/.*/, "") },
      /allows dynamodb:GetItem/,
    ],
    [
      "reading another table's stream",
      { Effect: "Allow", Action: "dynamodb:GetRecords", Resource: `${STREAM}-other` },
      /GetRecords on .*-other/,
    ],
    [
      "PutEvents on the default bus",
      {
        Effect: "Allow",
        Action: "events:PutEvents",
        Resource: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      },
      /event-bus\/default/,
    ],
    [
      "sending to another queue",
      { Effect: "Allow", Action: "sqs:SendMessage", Resource: `${QUEUE}-other` },
      /SendMessage on .*-other/,
    ],
    [
      "lambda:InvokeFunction",
      { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:eu-west-1:1:function:x" },
      /lambda:InvokeFunction/,
    ],
    [
      // The grant's old shape: a wildcard-only action on a stream ARN grants nothing.
      "ListStreams on the stream's ARN",
      { Effect: "Allow", Action: "dynamodb:ListStreams", Resource: STREAM },
      /ListStreams on arn:aws:dynamodb/,
    ],
  ];
  for (const [label, statement, message] of widenings) {
    it(`fails on ${label}, naming the action and resource`, async () => {
      const violations = await violationsOf(pipesRoleLeastPrivilege, stack([...PROGRAM_STATEMENTS, statement]));
      expect(violations).to.have.length(1);
      expect(violations[0]).to.match(message);
    });
  }

  it("fails a pipe whose role the stack does not define", async () => {
    const outside = resourceOf(aws.pipes.Pipe, "rogue", {
      roleArn: "arn:aws:iam::1:role/elsewhere",
      source: STREAM,
      target: BUS,
    });
    expect(await violationsOf(pipesRoleLeastPrivilege, stack(PROGRAM_STATEMENTS, [outside]))).to.deep.equal([
      "Pipe rogue uses a role (arn:aws:iam::1:role/elsewhere) this stack does not define, so its permissions cannot be checked.",
    ]);
  });

  it("reports that it cannot decide, as advisory, while the stream's ARN is unknown (first preview)", async () => {
    const resources = stack();
    const table = resources[0];
    if (table !== undefined) table.state.streamArn = UNKNOWN_STRING;
    const findings = await findingsOf(pipesRoleLeastPrivilege, resources);
    expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
  });

  it("is not applicable to a stack without pipes (task events off)", async () => {
    const withoutPipes = stack().filter((r) => r.type !== "aws:pipes/pipe:Pipe");
    expect(await findingsOf(pipesRoleLeastPrivilege, withoutPipes)).to.deep.equal([]);
  });
});
