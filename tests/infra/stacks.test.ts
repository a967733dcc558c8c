import { expect } from "chai";
import { TAGGABLE_TYPES } from "../../infra/tags";
import { MOCK_ACCOUNT_ID, type ProgramRun } from "../../policy-check/programUnderMocks";
import { takesTags } from "../helpers/awsTypeDefinitions";
import { named, ofType, runStack, single } from "../helpers/mockedProgram";

/** The parsed statements of an IAM policy JSON string. */
function statementsOf(policy: unknown): Array<Record<string, unknown>> {
  return (JSON.parse(String(policy)) as { Statement: Array<Record<string, unknown>> }).Statement;
}

/** What each committed stack (and a new stack with only Pulumi.yaml's defaults) must come out as. */
const STACKS = [
  {
    stack: "feature-x",
    label: "defaults (a new stack, no Pulumi.<stack>.yaml)",
    region: "us-east-1",
    protectedTable: true,
    reserved: undefined,
    callerRoles: [],
    processorRoles: [],
    tags: { Service: "task-api", Stack: "feature-x" },
  },
  {
    stack: "dev",
    label: "dev (Pulumi.dev.yaml)",
    region: "eu-west-1",
    protectedTable: false,
    reserved: undefined,
    callerRoles: [],
    processorRoles: [],
    tags: { Service: "task-api", Stack: "dev", Environment: "dev" },
  },
  {
    stack: "prod",
    label: "prod (Pulumi.prod.yaml)",
    region: "eu-west-1",
    protectedTable: true,
    reserved: 50,
    callerRoles: ["media-portal-backend"],
    processorRoles: ["watermark-worker", "blind-watermark-worker", "doc-convert-worker"],
    tags: { Service: "task-api", Stack: "prod", Environment: "prod", CostCenter: "media-platform" },
  },
] as const;

for (const expected of STACKS) {
  describe(`the program on ${expected.label}`, function () {
    this.timeout(60_000);
    let run: ProgramRun;
    const policy = (name: string) => {
      const found = ofType(run, "aws:iam/policy:Policy").find((p) => p.name === name);
      if (found === undefined) throw new Error(`no policy ${name}`);
      return found;
    };

    before(async () => {
      run = await runStack({}, expected.stack);
    });

    it(`${expected.protectedTable ? "protects" : "does not protect"} the table (in DynamoDB and in Pulumi) and the event bus`, () => {
      const table = single(run, "aws:dynamodb/table:Table");
      expect(table.inputs.deletionProtectionEnabled).to.equal(expected.protectedTable);
      expect(table.options.protect).to.equal(expected.protectedTable);
      // And the event bus, whose consumers' rules go with it; nothing else: the rest is cheap to recreate.
      expect(run.resources.filter((r) => r.options.protect).map((r) => r.name)).to.have.members(
        expected.protectedTable ? ["tasks", "task-events"] : [],
      );
    });

    it("runs every function on nodejs24.x, arm64", () => {
      const functions = ofType(run, "aws:lambda/function:Function");
      expect(functions.map((fn) => [fn.name, fn.inputs.runtime, fn.inputs.architectures])).to.have.deep.members([
        ["task-status", "nodejs24.x", ["arm64"]],
        ["deadline-sweeper", "nodejs24.x", ["arm64"]],
        ["webhook-sender", "nodejs24.x", ["arm64"]],
      ]);
    });

    it(`reserves ${expected.reserved ?? "no"} concurrent executions`, () => {
      expect(named(run, "aws:lambda/function:Function", "task-status").inputs.reservedConcurrentExecutions).to.equal(
        expected.reserved,
      );
    });

    it("runs the deadline sweeper every minute on the table's two deadline indexes, with exactly the grants it needs", () => {
      const table = single(run, "aws:dynamodb/table:Table");
      const tableArn = String(table.state.arn);
      expect((table.inputs.globalSecondaryIndexes as Array<{ name: string }>).map((index) => index.name)).to.deep.equal(
        ["heartbeat-deadlines", "timeout-deadlines"],
      );
      const sweeper = named(run, "aws:lambda/function:Function", "deadline-sweeper");
      expect(sweeper.inputs).to.deep.include({
        name: `task-api-${expected.stack}-sweeper`,
        timeout: 5,
        memorySize: 128,
      });
      expect(sweeper.inputs.reservedConcurrentExecutions).to.equal(expected.reserved === undefined ? undefined : 1);
      expect(named(run, "aws:cloudwatch/eventRule:EventRule", "deadline-sweep").inputs.scheduleExpression).to.equal(
        "rate(1 minute)",
      );
      const grants = statementsOf(named(run, "aws:iam/rolePolicy:RolePolicy", "deadline-sweeper").inputs.policy);
      expect(grants.map((g) => [g.Action, g.Resource])).to.deep.equal([
        [["dynamodb:Query"], [`${tableArn}/index/heartbeat-deadlines`, `${tableArn}/index/timeout-deadlines`]],
        [["dynamodb:UpdateItem"], [tableArn]],
        [
          ["logs:CreateLogStream", "logs:PutLogEvents"],
          [
            `arn:aws:logs:${expected.region}:${MOCK_ACCOUNT_ID}:log-group:/aws/lambda/task-api-${expected.stack}-sweeper:*`,
          ],
        ],
      ]);
    });

    it("gives callers exactly execute-api:Invoke on this API's two routes", () => {
      const api = single(run, "aws:apigatewayv2/api:Api");
      expect(statementsOf(policy("task-api-callers").inputs.policy)).to.deep.equal([
        {
          Sid: "InvokeTaskStatus",
          Effect: "Allow",
          Action: ["execute-api:Invoke"],
          Resource: [
            `arn:aws:execute-api:${expected.region}:${MOCK_ACCOUNT_ID}:${api.state.id}/$default/GET/task/*`,
            `arn:aws:execute-api:${expected.region}:${MOCK_ACCOUNT_ID}:${api.state.id}/$default/POST/tasks/batch-get`,
          ],
        },
      ]);
    });

    it("gives processors exactly PutItem and UpdateItem on this stack's table", () => {
      expect(statementsOf(policy("task-api-processors").inputs.policy)).to.deep.equal([
        {
          Sid: "WriteTasks",
          Effect: "Allow",
          Action: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
          Resource: [single(run, "aws:dynamodb/table:Table").state.arn],
        },
      ]);
    });

    it("attaches each policy to exactly the roles the stack names", () => {
      const attachments = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => [
        a.inputs.role,
        a.inputs.policyArn,
      ]);
      expect(attachments).to.have.deep.members([
        ...expected.callerRoles.map((role) => [role, policy("task-api-callers").state.arn]),
        ...expected.processorRoles.map((role) => [role, policy("task-api-processors").state.arn]),
      ]);
    });

    it("tags every resource that takes tags, and only those, with Service, Stack and the stack's tags", () => {
      // Only AWS resources take tags; the one other provider's resource (time's Sleep) has none.
      const seenTypes = new Set(run.resources.map((r) => r.type).filter((type) => type.startsWith("aws:")));
      for (const type of seenTypes) {
        expect(TAGGABLE_TYPES.has(type), `${type} in TAGGABLE_TYPES`).to.equal(takesTags(type));
      }
      for (const resource of run.resources) {
        if (resource.type.startsWith("aws:") && takesTags(resource.type)) {
          expect(resource.inputs.tags, `${resource.type} ${resource.name}`).to.deep.equal(expected.tags);
        } else {
          expect(resource.inputs, `${resource.type} ${resource.name}`).to.not.have.property("tags");
        }
      }
    });

    it("exports the API id, region, function role and both policy ARNs", () => {
      expect(run.outputs).to.deep.include({
        apiId: single(run, "aws:apigatewayv2/api:Api").state.id,
        region: expected.region,
        functionRoleArn: named(run, "aws:iam/role:Role", "task-status-function").state.arn,
        callerPolicyArn: policy("task-api-callers").state.arn,
        processorPolicyArn: policy("task-api-processors").state.arn,
        functionName: `task-api-${expected.stack}-status`,
        dashboardName: `task-api-${expected.stack}-${expected.region}`,
      });
    });
  });
}

describe("the program's encryption choices", function () {
  this.timeout(60_000);
  const key = (id: string) => `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/${id}`;

  it("encrypts the table with a customer-managed key when one is configured", async () => {
    const run = await runStack({ tableKmsKeyArn: key("1111-table") });
    expect(single(run, "aws:dynamodb/table:Table").inputs.serverSideEncryption).to.deep.equal({
      enabled: true,
      kmsKeyArn: key("1111-table"),
    });
  });

  it("lets the function kms:Decrypt with exactly the target buckets' keys, and nothing without them", async () => {
    const run = await runStack({ targetKmsKeyArns: [key("2222-media"), key("3333-results")] });
    const statements = statementsOf(named(run, "aws:iam/rolePolicy:RolePolicy", "task-status-function").inputs.policy);
    expect(statements.find((s) => s.Sid === "DecryptTargetObjects")).to.deep.equal({
      Sid: "DecryptTargetObjects",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [key("2222-media"), key("3333-results")],
    });
    const plain = await runStack();
    expect(
      statementsOf(named(plain, "aws:iam/rolePolicy:RolePolicy", "task-status-function").inputs.policy).map(
        (s) => s.Sid,
      ),
    ).to.not.include("DecryptTargetObjects");
  });

  it("stops before creating anything on a role name IAM would refuse, naming the key", async () => {
    let failure: unknown;
    try {
      await runStack({ processorRoles: ["worker role"] });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/task-api:processorRoles has an entry that is not an IAM role name/);
  });
});
