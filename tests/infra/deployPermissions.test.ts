import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parse } from "yaml";
import {
  boundaryArnFor,
  DEPLOY_PERMISSIONS,
  deployPolicyDocument,
  type GeneratedStatement,
  PERMISSION_FILES,
  type PolicyDocument,
  previewPolicyDocument,
} from "../../infra/deployPermissions";
import { permissionsBoundaryDocument } from "../../infra/permissionsBoundary";
import {
  deployTargetOf,
  projectOf,
  SMOKE_ROLES,
  SMOKE_STACKS,
  smokeDeployTarget,
  stackNeedsOf,
} from "../../policy-check/deployTargets";
import { MOCK_ACCOUNT_ID, type ProgramRun } from "../../policy-check/programUnderMocks";
import { committedStacks } from "../../policy-check/stackConfigFiles";
import { type DeployRequest, deployRequestsOf, deployTargetOfRun } from "../helpers/deployRequests";
import { documentProblems } from "../helpers/iamReference";
import { named, ofType, runStack } from "../helpers/mockedProgram";
import { simulate } from "../helpers/requestSimulation";
import { CHECKED_STACKS } from "../helpers/stackOptions";

/** Reads that return customers' data, never a preview role's business. */
const DATA_READS =
  /^(s3:GetObject|s3:ListBucket|dynamodb:(GetItem|BatchGetItem|Query|Scan|GetRecords)|logs:(GetLogEvents|FilterLogEvents|StartQuery|GetQueryResults)|secretsmanager:GetSecretValue|ssm:GetParameters?|kms:Decrypt|sqs:ReceiveMessage|lambda:InvokeFunction)$/;

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const rowTypes = new Set(DEPLOY_PERMISSIONS.map((row) => row.type.split(" (")[0] ?? row.type));
const DEPLOYER = (stack: string) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/task-api-deploy-${stack}`;
const asPolicy = (document: PolicyDocument) => [{ name: "deploy", policy: document }];

/**
 * A KMS key's default policy, which lets the account's IAM policies grant its use (without it no
 * identity policy counts): https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" },
  ],
};

/** IAM's answer for one deploy call under `document`. */
function answer(document: PolicyDocument, stack: string, request: Omit<DeployRequest, "row" | "of">) {
  return simulate(DEPLOYER(stack), asPolicy(document), request.action, request.resource, MOCK_ACCOUNT_ID, {
    context: request.context,
    ...(request.action.startsWith("kms:") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
  });
}

/** Each call of `requests` that `document` does not allow, as "action on resource (row, for)". */
async function refused(document: PolicyDocument, stack: string, requests: DeployRequest[]): Promise<string[]> {
  const out: string[] = [];
  for (const request of requests) {
    const result = await answer(document, stack, request);
    if (result !== "Allowed")
      out.push(`${request.action} on ${request.resource} (${request.row}, ${request.of}): ${result}`);
  }
  return out;
}

describe("the deploy permissions, derived from the program (infra/deployPermissions.ts)", function () {
  this.timeout(180_000);
  const runs: ProgramRun[] = [];

  before(async () => {
    for (const { stack, config } of CHECKED_STACKS) runs.push(await runStack(config, stack));
    runs.push(await runStack({}, "feature-x"));
  });

  it("has a row for every type the program registers and every provider call it makes, on every stack and with everything on", () => {
    for (const run of runs) {
      for (const type of new Set(run.resources.map((r) => r.type))) {
        expect(rowTypes.has(type), `${run.stack}: ${type}`).to.equal(true);
      }
      for (const call of run.calls.filter((token) => token.startsWith("aws:iam/"))) {
        expect(rowTypes.has(`invoke:${call}`), `${run.stack}: ${call}`).to.equal(true);
      }
    }
    expect(runs.flatMap((run) => run.calls)).to.include.members([
      "aws:iam/getRole:getRole",
      "aws:iam/getPolicy:getPolicy",
    ]);
  });

  it("has no row the program no longer needs", () => {
    const registered = new Set(
      runs.flatMap((run) => [...run.resources.map((r) => r.type), ...run.calls.map((c) => `invoke:${c}`)]),
    );
    for (const type of rowTypes) expect(registered.has(type), type).to.equal(true);
  });

  it("is what the committed files hold, one deploy policy per committed stack (npm run deploy-permissions writes them)", () => {
    const stacks = committedStacks();
    for (const stack of stacks) {
      expect(json(PERMISSION_FILES.deploy(stack)), stack).to.deep.equal(deployPolicyDocument(deployTargetOf(stack)));
    }
    expect(json(PERMISSION_FILES.deploy(SMOKE_STACKS))).to.deep.equal(deployPolicyDocument(smokeDeployTarget()));
    expect(json(PERMISSION_FILES.preview)).to.deep.equal(
      previewPolicyDocument(stacks.map((stack) => deployTargetOf(stack))),
    );
    expect(json(PERMISSION_FILES.boundary)).to.deep.equal(
      permissionsBoundaryDocument({
        account: "<account>",
        project: projectOf().name,
        stacks: stacks.map((stack) => stackNeedsOf(stack)),
      }),
    );
  });

  it("allows every call of first up, later changes and destroy, on each resource's real ARN, for dev, prod and everything on", async () => {
    for (const run of runs.filter((r) => r.stack !== "feature-x")) {
      const requests = await deployRequestsOf(run);
      expect(requests.length, run.stack).to.be.greaterThan(150);
      expect(await refused(deployPolicyDocument(deployTargetOfRun(run)), run.stack, requests), run.stack).to.deep.equal(
        [],
      );
    }
  });

  it("lets the smoke role deploy and destroy a smoke stack of any run, and nothing of dev's", async () => {
    const smoke = await runStack(
      // As smoke.yml makes it: dev's config (its region), the smoke's roles.
      {
        "aws:region": deployTargetOf("dev").region,
        callerRoles: [SMOKE_ROLES.caller],
        processorRoles: [SMOKE_ROLES.processor],
      },
      "smoke-8812345678-1",
    );
    const document = deployPolicyDocument(smokeDeployTarget(MOCK_ACCOUNT_ID));
    expect(await refused(document, smoke.stack, await deployRequestsOf(smoke))).to.deep.equal([]);
    const dev = runs.find((r) => r.stack === "dev") as ProgramRun;
    const writes = new Set(DEPLOY_PERMISSIONS.flatMap((row) => row.write));
    const devTable = (await deployRequestsOf(dev)).filter(
      (r) => writes.has(r.action) && r.of.startsWith("aws:dynamodb"),
    );
    expect(devTable.length).to.be.greaterThan(5);
    for (const request of devTable)
      expect(await answer(document, "smoke", request), request.action).to.not.equal("Allowed");
  });

  it("denies dev's role every write on prod's table, functions, bus, roles and alarms", async () => {
    const dev = deployPolicyDocument(deployTargetOfRun(runs.find((r) => r.stack === "dev") as ProgramRun));
    const prod = runs.find((r) => r.stack === "prod") as ProgramRun;
    const prodTypes = [
      "aws:dynamodb/table:Table",
      "aws:lambda/function:Function",
      "aws:cloudwatch/eventBus:EventBus",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
    ];
    const writes = new Set(DEPLOY_PERMISSIONS.flatMap((row) => row.write));
    const prodWrites = (await deployRequestsOf(prod)).filter(
      (r) => writes.has(r.action) && prodTypes.includes(r.of.split("::")[0] ?? ""),
    );
    expect(prodWrites.length).to.be.greaterThan(40);
    for (const request of prodWrites) {
      expect(await answer(dev, "dev", request), `${request.action} on ${request.resource}`).to.not.equal("Allowed");
    }
  });

  it("lets no deploy role grant more than the boundary: no role without it, no AdministratorAccess, no new boundary version, no change to a CI role", async () => {
    const run = runs.find((r) => r.stack === "prod") as ProgramRun;
    const target = deployTargetOfRun(run);
    const document = deployPolicyDocument(target);
    const role = String(named(run, "aws:iam/role:Role", "task-status-function").state.arn);
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    const tag = { "aws:RequestTag/Stack": "prod", "aws:ResourceTag/Stack": "prod" };
    const attempts: Array<[string, string, Record<string, string>]> = [
      ["iam:CreateRole", role, tag],
      ["iam:CreateRole", role, { ...tag, "iam:PermissionsBoundary": admin }],
      ["iam:PutRolePolicy", role, tag],
      ["iam:DeleteRolePermissionsBoundary", role, { ...tag, "iam:PermissionsBoundary": boundaryArnFor(target) }],
      [
        "iam:AttachRolePolicy",
        role,
        { ...tag, "iam:PolicyARN": admin, "iam:PermissionsBoundary": boundaryArnFor(target) },
      ],
      ["iam:AttachRolePolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/media-portal-backend`, { "iam:PolicyARN": admin }],
      ["iam:AttachRolePolicy", DEPLOYER("prod"), { "iam:PolicyARN": admin }],
      ["iam:CreatePolicyVersion", boundaryArnFor(target), {}],
      ["iam:SetDefaultPolicyVersion", boundaryArnFor(target), {}],
      ["iam:DeletePolicy", boundaryArnFor(target), {}],
      ["iam:PutRolePolicy", DEPLOYER("prod"), {}],
      ["iam:UpdateAssumeRolePolicy", DEPLOYER("dev"), {}],
      ["iam:PutRolePolicy", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/task-api-preview`, {}],
    ];
    for (const [action, resource, context] of attempts) {
      expect(await answer(document, "prod", { action, resource, context }), `${action} on ${resource}`).to.not.equal(
        "Allowed",
      );
    }
    // And what the stack does, it may: its own role with the boundary.
    const own = { ...tag, "iam:PermissionsBoundary": boundaryArnFor(target) };
    expect(await answer(document, "prod", { action: "iam:CreateRole", resource: role, context: own })).to.equal(
      "Allowed",
    );
  });

  it("gives every role the program creates the project's permissions boundary", () => {
    for (const run of runs) {
      for (const role of ofType(run, "aws:iam/role:Role")) {
        expect(role.inputs.permissionsBoundary, `${run.stack} ${role.name}`).to.equal(
          `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${run.project}-permissions-boundary`,
        );
      }
    }
  });

  it("fails on each mutation the review names: the condition back on ListAttachedRolePolicies, DescribeLogGroups on a named group, a role without the boundary, prod's table in dev's file", async () => {
    const dev = runs.find((r) => r.stack === "dev") as ProgramRun;
    const prod = runs.find((r) => r.stack === "prod") as ProgramRun;
    const prodTarget = deployTargetOfRun(prod);
    const mutate = (
      document: PolicyDocument,
      change: (s: GeneratedStatement) => GeneratedStatement,
    ): PolicyDocument => ({
      ...document,
      Statement: document.Statement.map(change),
    });
    const conditioned = mutate(deployPolicyDocument(prodTarget), (s) =>
      s.Sid === "IamRolePolicyAttachmentConfirm"
        ? { ...s, Condition: { ArnLike: { "iam:PolicyARN": "arn:aws:iam::123456789012:policy/task-api-*" } } }
        : s,
    );
    expect((await documentProblems(conditioned, "mutated")).join("\n")).to.include(
      "iam:ListAttachedRolePolicies does not support the condition key iam:PolicyARN",
    );
    expect(await refused(conditioned, "prod", await deployRequestsOf(prod))).to.include.members([
      `iam:ListAttachedRolePolicies on arn:aws:iam::${MOCK_ACCOUNT_ID}:role/media-portal-backend (aws:iam/rolePolicyAttachment:RolePolicyAttachment (confirm), aws:iam/rolePolicyAttachment:RolePolicyAttachment::caller-media-portal-backend): ImplicitlyDenied`,
    ]);
    const namedGroup = mutate(deployPolicyDocument(prodTarget), (s) =>
      s.Action.includes("logs:DescribeLogGroups")
        ? { ...s, Resource: `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:log-group:/aws/lambda/task-api-prod-status` }
        : s,
    );
    expect((await documentProblems(namedGroup, "mutated")).join("\n")).to.include(
      "logs:DescribeLogGroups is wildcard-only",
    );
    // A role without the boundary: the bounded calls (create, inline policy) are refused.
    const unbounded = await deployRequestsOf({
      ...prod,
      resources: prod.resources.map((r) =>
        r.type === "aws:iam/role:Role" ? { ...r, inputs: { ...r.inputs, permissionsBoundary: undefined } } : r,
      ),
    });
    const refusedUnbounded = await refused(deployPolicyDocument(prodTarget), "prod", unbounded);
    expect(refusedUnbounded.some((line) => line.startsWith("iam:CreateRole"))).to.equal(true);
    expect(refusedUnbounded.some((line) => line.startsWith("iam:PutRolePolicy"))).to.equal(true);
    // Prod's table ARN (and tag) granted in dev's file: the isolation check catches it.
    const devDocument = deployPolicyDocument(deployTargetOfRun(dev));
    const leaky: PolicyDocument = {
      ...devDocument,
      Statement: devDocument.Statement.filter((s) => s.Sid !== "DenyOtherStacksResources"),
    };
    const table = String(named(prod, "aws:dynamodb/table:Table", "tasks").state.arn);
    const deleteProd = {
      action: "dynamodb:DeleteTable",
      resource: table,
      context: { "aws:ResourceTag/Stack": "prod" },
    };
    expect(await answer(devDocument, "dev", deleteProd)).to.equal("ExplicitlyDenied");
    expect(await answer(leaky, "dev", deleteProd)).to.equal("Allowed");
  });

  it("lets the preview role read only configuration: no data-plane reads, no writes, no managed *Access policy", () => {
    const reads = new Set(DEPLOY_PERMISSIONS.flatMap((row) => row.read));
    for (const statement of json(PERMISSION_FILES.preview).Statement as Array<{ Action: string[]; Effect: string }>) {
      expect(statement.Effect).to.equal("Allow");
      for (const action of statement.Action) {
        expect(reads.has(action), `${action} is a read`).to.equal(true);
        expect(action, action).to.not.match(DATA_READS);
      }
    }
    for (const file of [
      ...committedStacks().map((stack) => PERMISSION_FILES.deploy(stack)),
      PERMISSION_FILES.preview,
      ".github/aws/trust-pull-request.json",
    ]) {
      expect(readFileSync(file, "utf8"), file).to.not.match(/arn:aws:iam::aws:policy\/|ReadOnlyAccess|\w+Access"/);
    }
  });

  it("trusts the preview role for this repository's pull requests only, and each deploy role for its environment on main only", () => {
    // Subjects as GitHub issues them once the repository's subject template is repo, context, ref (docs/deploy.md).
    const condition = (file: string) =>
      (json(file).Statement as Array<{ Condition: Record<string, Record<string, string>> }>).map((s) => s.Condition);
    expect(condition(".github/aws/trust-pull-request.json")).to.deep.equal([
      {
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: {
          "token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:pull_request:ref:refs/pull/*/merge",
        },
      },
    ]);
    expect(condition(".github/aws/trust-deploy.json")).to.deep.equal([
      {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:environment:<stack>:ref:refs/heads/main",
        },
      },
    ]);
  });

  it("deploys from main only, previews with a token of its own, and gives forks no role", () => {
    const deploy = parse(readFileSync(".github/workflows/deploy.yml", "utf8"));
    expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
    const up = parse(readFileSync(".github/workflows/pulumi-up.yml", "utf8")).jobs.up;
    expect(up.if).to.equal("github.ref == 'refs/heads/main'");
    const preview = parse(readFileSync(".github/workflows/pull-request.yml", "utf8")).jobs.preview;
    expect(preview.env.PULUMI_ACCESS_TOKEN).to.match(/^\$\{\{ secrets\.PULUMI_PREVIEW_TOKEN \}\}$/);
    expect(preview.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
  });
});
