import { TaskStatusClient } from "@task-api/client";
import { expect } from "chai";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { type RecordedRequest, recordedRequests } from "../helpers/awsRequestRecorder";
import { documentProblems } from "../helpers/iamReference";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { named, runStack } from "../helpers/mockedProgram";
import { deniedRequests, unneededGrants } from "../helpers/requestSimulation";
import { rewriteStatement } from "../policy-check/programMutations";

const READ_TASKS = { type: "aws:iam/rolePolicy:RolePolicy", name: "task-status-function" };
const actionsOf = (action: unknown): string[] => (Array.isArray(action) ? action : [action]).map(String);

describe("the function's grants against the requests it sends (recorded, simulated by AWS's rules)", function () {
  this.timeout(120_000);
  let api: LocalApi;
  let sent: RecordedRequest[];

  before(async () => {
    api = await startLocalApi();
    const before = recordedRequests().length;
    const client = new TaskStatusClient({ endpoint: api.base, signing: "none" });
    const { completed, processing } = SPEC_EXAMPLE_TASKS;
    await client.getTask(completed.TaskId);
    await client.getTasks([completed.TaskId, processing.TaskId]);
    sent = recordedRequests().slice(before);
  });

  after(() => api.close());

  it("records the function's GetItem and BatchGetItem, its presigned GET, and the caller's two routes", () => {
    const seen = new Set(sent.map((r) => `${r.component} ${r.service}:${r.operation}`));
    expect([...seen].sort()).to.deep.equal([
      "caller execute-api:Invoke",
      "function dynamodb:BatchGetItem",
      "function dynamodb:GetItem",
      "function s3:GetObject",
    ]);
    expect(sent.filter((r) => r.component === "caller").map((r) => r.input.Method)).to.deep.equal(["GET", "POST"]);
  });

  it("finds every one allowed by the program's policies on dev", async () => {
    expect(await deniedRequests(await runStack({}, "dev"), sent)).to.deep.equal([]);
  });

  it("fails with BatchGetItem taken off the role, naming the component, action, resource and nearest statement", async () => {
    const withoutBatchGet = rewriteStatement(
      "ReadTasks",
      (s) => ({ ...s, Action: actionsOf(s.Action).filter((a) => a !== "dynamodb:BatchGetItem") }),
      READ_TASKS,
    );
    const run = await runStack({}, "dev", undefined, withoutBatchGet);
    const tableArn = String(named(run, "aws:dynamodb/table:Table", "tasks").state.arn);
    expect(await deniedRequests(run, sent)).to.deep.equal([
      `dev: function (handler/dynamoTaskRepository.ts) sends dynamodb:BatchGetItem on ${tableArn}: ImplicitlyDenied; nearest statement: task-status-function ReadTasks: dynamodb:GetItem on ${tableArn}`,
    ]);
  });

  it("fails with Scan granted, which no request needs", async () => {
    const withScan = rewriteStatement(
      "ReadTasks",
      (s) => ({ ...s, Action: [...actionsOf(s.Action), "dynamodb:Scan"] }),
      READ_TASKS,
    );
    const run = await runStack({}, "dev", undefined, withScan);
    const unneeded = await unneededGrants(run, sent);
    expect(unneeded.filter((line) => line.includes("function's"))).to.deep.equal([
      `dev: function's task-status-function ReadTasks grants dynamodb:Scan on ${String(named(run, "aws:dynamodb/table:Table", "tasks").state.arn)}, which no recorded request needs`,
    ]);
  });

  it("fails with a condition key GetItem does not have", async () => {
    const withCondition = rewriteStatement(
      "ReadTasks",
      (s) => ({ ...s, Condition: { StringEquals: { "s3:prefix": "tasks/" } } }),
      READ_TASKS,
    );
    const run = await runStack({}, "dev", undefined, withCondition);
    const policy = JSON.parse(
      String(named(run, "aws:iam/rolePolicy:RolePolicy", "task-status-function").inputs.policy),
    );
    expect(await documentProblems(policy, "function")).to.deep.equal([
      "function statement ReadTasks: dynamodb:GetItem does not support the condition key s3:prefix",
      "function statement ReadTasks: dynamodb:BatchGetItem does not support the condition key s3:prefix",
    ]);
  });
});
