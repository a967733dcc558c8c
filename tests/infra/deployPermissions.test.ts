import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parse } from "yaml";
import { DEPLOY_PERMISSIONS, PERMISSION_FILES, permissionDocument } from "../../infra/deployPermissions";
import type { ProgramRun } from "../../policy-check/programUnderMocks";
import { committedStacks } from "../../policy-check/stackConfigFiles";
import { runStack } from "../helpers/mockedProgram";
import { EVERYTHING_ON } from "../helpers/stackOptions";

/** Reads that return customers' data, never a preview role's business. */
const DATA_READS =
  /^(s3:GetObject|s3:ListBucket|dynamodb:(GetItem|BatchGetItem|Query|Scan|GetRecords)|logs:(GetLogEvents|FilterLogEvents|StartQuery|GetQueryResults)|secretsmanager:GetSecretValue|ssm:GetParameters?|kms:Decrypt|sqs:ReceiveMessage|lambda:InvokeFunction)$/;

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const rowTypes = new Set(DEPLOY_PERMISSIONS.map((row) => row.type.split(" (")[0] ?? row.type));

describe("the deploy permissions, derived from the program (infra/deployPermissions.ts)", function () {
  this.timeout(120_000);
  const runs: ProgramRun[] = [];

  before(async () => {
    for (const stack of [...committedStacks(), "feature-x"]) runs.push(await runStack({}, stack));
    runs.push(await runStack(EVERYTHING_ON, "everything-on"));
  });

  it("has a row for every type the program registers and every provider call that needs a permission, on every stack and with everything on", () => {
    for (const run of runs) {
      for (const type of new Set(run.resources.map((r) => r.type))) {
        expect(rowTypes.has(type), `${run.stack}: ${type}`).to.equal(true);
      }
    }
    const everything = runs.at(-1);
    expect(everything?.calls).to.include("aws:iam/getRoles:getRoles");
    expect(rowTypes.has("invoke:aws:iam/getRoles:getRoles")).to.equal(true);
  });

  it("has no row the program no longer needs", () => {
    const registered = new Set(runs.flatMap((run) => run.resources.map((r) => r.type)));
    for (const type of rowTypes) {
      if (!type.startsWith("invoke:")) expect(registered.has(type), type).to.equal(true);
    }
  });

  it("is what the committed permission files hold (npm run deploy-permissions writes them)", () => {
    expect(json(PERMISSION_FILES.deploy)).to.deep.equal(permissionDocument("deploy"));
    expect(json(PERMISSION_FILES.preview)).to.deep.equal(permissionDocument("preview"));
  });

  it("grants the deploy role what the review found missing: log delivery for the stage, policy versions, UpdateEventBus, UpdateRole, DeleteRetentionPolicy, attachments confirmed on the target role without a condition it cannot carry", () => {
    const actions = new Set(permissionDocument("deploy").Statement.flatMap((s) => s.Action));
    for (const action of [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "iam:CreatePolicyVersion",
      "iam:SetDefaultPolicyVersion",
      "iam:DeletePolicyVersion",
      "events:UpdateEventBus",
      "iam:UpdateRole",
      "logs:DeleteRetentionPolicy",
    ]) {
      expect(actions.has(action), action).to.equal(true);
    }
    // Attaching is limited to this service's policies; confirming an attachment is a read the
    // iam:PolicyARN key does not apply to (tests/infra/policyValidity.test.ts holds both to AWS's reference).
    const statements = permissionDocument("deploy").Statement;
    const attachments = statements.find((s) => s.Action.includes("iam:AttachRolePolicy"));
    expect(attachments?.Condition).to.deep.equal({
      ArnLike: { "iam:PolicyARN": "arn:aws:iam::<account>:policy/task-api-*" },
    });
    const confirm = statements.find(
      (s) => s.Action.includes("iam:ListAttachedRolePolicies") && s.Resource === "arn:aws:iam::<account>:role/*",
    );
    expect(confirm?.Condition).to.equal(undefined);
  });

  it("lets the preview role read only configuration: no data-plane reads, no writes, no managed *Access policy", () => {
    const reads = new Set(DEPLOY_PERMISSIONS.flatMap((row) => row.read));
    for (const statement of json(PERMISSION_FILES.preview).Statement as Array<{ Action: string[] }>) {
      for (const action of statement.Action) {
        expect(reads.has(action), `${action} is a read`).to.equal(true);
        expect(action, action).to.not.match(DATA_READS);
      }
    }
    for (const file of [PERMISSION_FILES.deploy, PERMISSION_FILES.preview, ".github/aws/trust-pull-request.json"]) {
      expect(readFileSync(file, "utf8"), file).to.not.match(/arn:aws:iam::aws:policy\/|ReadOnlyAccess|\w+Access"/);
    }
  });

  it("trusts the preview role for this repository's pull requests only, and each deploy role for one environment", () => {
    const condition = (file: string) =>
      (json(file).Statement as Array<{ Condition: { StringEquals: Record<string, string> } }>).map(
        (s) => s.Condition.StringEquals,
      );
    expect(condition(".github/aws/trust-pull-request.json")).to.deep.equal([
      {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:pull_request",
      },
    ]);
    expect(condition(".github/aws/trust-deploy.json")).to.deep.equal([
      {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:environment:<stack>",
      },
    ]);
  });

  it("deploys from main only: on a push to main, and the reusable up job refuses any other ref", () => {
    const deploy = parse(readFileSync(".github/workflows/deploy.yml", "utf8"));
    expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
    const up = parse(readFileSync(".github/workflows/pulumi-up.yml", "utf8")).jobs.up;
    expect(up.if).to.equal("github.ref == 'refs/heads/main'");
  });
});
