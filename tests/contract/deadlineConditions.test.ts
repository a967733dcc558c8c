import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  DEADLINE_ATTRIBUTE_NAMES,
  type DeadlineKind,
  deadlineFailure,
  NO_DEADLINE_PASSED,
  namesTheFailure,
  usedIn,
} from "@task-api/contract";
import { expect } from "chai";
import { inProgress } from "../helpers/deadlineRecords";
import { sharedBackends } from "../helpers/sharedBackends";

const T = 1_800_000_000;

/** A task in progress with these deadlines, stored under its own ID. */
type Deadlines = NonNullable<Parameters<typeof inProgress>[0]>;
const record = (id: string, deadlines: Deadlines) => inProgress(deadlines, id);

describe("contract/deadlineConditions: the deadline rule as DynamoDB judges it, against deadlineFailure", function () {
  this.timeout(60_000);
  let documents: DynamoDBDocumentClient;
  let tableName: string;
  let sequence = 0;

  before(async () => {
    const backends = await sharedBackends();
    documents = DynamoDBDocumentClient.from(backends.dynamo);
    tableName = backends.env.DDB_TABLE_NAME;
  });

  /** Whether the table takes a no-op write to `item` under `condition`. */
  const tableTakes = async (item: Record<string, unknown>, condition: string, values: Record<string, unknown>) => {
    await documents.send(new PutCommand({ TableName: tableName, Item: item }));
    try {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { TaskId: item.TaskId },
          UpdateExpression: "SET #probe = :probe",
          ConditionExpression: condition,
          ExpressionAttributeNames: { "#probe": "Probe", ...usedIn(DEADLINE_ATTRIBUTE_NAMES, condition) },
          ExpressionAttributeValues: { ":probe": 1, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  const id = () => {
    sequence += 1;
    return `deadline-rule-${process.pid}-${sequence}`;
  };

  const CASES: Array<[string, Deadlines, number]> = [
    ["no deadline", {}, T],
    ["heartbeat ahead", { heartbeat: [60, T + 0.5] }, T],
    ["heartbeat at its instant", { heartbeat: [60, T] }, T],
    ["heartbeat passed", { heartbeat: [60, T - 0.001] }, T],
    ["timeout ahead", { timeout: [600, T + 1] }, T],
    ["timeout at its instant", { timeout: [600, T] }, T],
    ["timeout passed", { timeout: [600, T - 30] }, T],
    ["both ahead", { heartbeat: [60, T + 5], timeout: [600, T + 50] }, T],
    ["heartbeat passed, timeout ahead", { heartbeat: [60, T - 5], timeout: [600, T + 50] }, T],
    ["timeout passed, heartbeat ahead", { heartbeat: [60, T + 5], timeout: [600, T - 1] }, T],
    ["both passed", { heartbeat: [60, T - 5], timeout: [600, T - 1] }, T],
  ];

  it("NO_DEADLINE_PASSED (the kit's condition) takes a write exactly when deadlineFailure finds none passed", async () => {
    const table: Array<[string, boolean]> = [];
    const rule: Array<[string, boolean]> = [];
    for (const [name, deadlines, now] of CASES) {
      const item = record(id(), deadlines);
      table.push([name, await tableTakes(item, NO_DEADLINE_PASSED, { ":nowSeconds": now })]);
      rule.push([name, deadlineFailure(item, now, 0) === undefined]);
    }
    expect(table).to.deep.equal(rule);
    // Not vacuous: both answers occur.
    expect(new Set(rule.map(([, takes]) => takes))).to.have.length(2);
  });

  it("a deadline instant a report left on a task without a heartbeat counts for neither", async () => {
    const item = { TaskId: id(), Status: "processing", HeartbeatDeadline: T - 100 };
    expect([
      await tableTakes(item, NO_DEADLINE_PASSED, { ":nowSeconds": T }),
      deadlineFailure(item, T, 0),
    ]).to.deep.equal([true, undefined]);
  });

  it("namesTheFailure (the sweeper's condition) holds for exactly the deadline deadlineFailure names, the timeout on a tie", async () => {
    const both: Array<[string, Deadlines]> = [
      ["heartbeat first", { heartbeat: [60, T - 5], timeout: [600, T - 1] }],
      ["timeout first", { heartbeat: [60, T - 1], timeout: [600, T - 5] }],
      ["the same instant", { heartbeat: [60, T - 2], timeout: [600, T - 2] }],
      ["heartbeat only", { heartbeat: [60, T - 2] }],
      ["timeout only", { timeout: [600, T - 2] }],
    ];
    const table: string[][] = [];
    const rule: string[][] = [];
    for (const [name, deadlines] of both) {
      const item = record(id(), deadlines);
      const named: string[] = [];
      for (const kind of ["heartbeat", "timeout"] as DeadlineKind[]) {
        const seen = kind === "heartbeat" ? deadlines.heartbeat?.[1] : deadlines.timeout?.[1];
        if (seen !== undefined && (await tableTakes(item, namesTheFailure(kind), { ":seen": seen }))) named.push(kind);
      }
      table.push([name, ...named]);
      rule.push([name, deadlineFailure(item, T, 0)?.kind ?? "none"]);
    }
    expect(table).to.deep.equal(rule);
  });

  it("differs on a record whose period is not a valid one (another writer's): the table refuses, the rule sees no deadline", async () => {
    // The kit never writes such a record; refusing writes to it is the stricter side, and the API
    // (which reads with deadlineFailure) never answers it failed for a deadline.
    const item = record(id(), { heartbeat: ["60", T - 5] });
    expect([
      await tableTakes(item, NO_DEADLINE_PASSED, { ":nowSeconds": T }),
      deadlineFailure(item, T, 0),
    ]).to.deep.equal([false, undefined]);
  });
});
