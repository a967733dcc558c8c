import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { checkProgramPolicies, readPackConfig } from "../../offline/policyCheck";
import { PROGRAM_MUTATIONS } from "../../offline/programMutations";
import { policies } from "../../policies/rules";

/** The policies that report a mandatory violation, sorted. */
async function failingPolicies(options: Parameters<typeof checkProgramPolicies>[0]): Promise<string[]> {
  const { report } = await checkProgramPolicies(options);
  return [...new Set(report.findings.filter((f) => f.level === "mandatory").map((f) => f.policy))].sort();
}

describe("the offline policy check over the real program", function () {
  this.timeout(120_000);

  it("passes stack prod with its pack config and no finding at all, every policy having run", async () => {
    const { report } = await checkProgramPolicies({
      stack: "prod",
      packConfig: readPackConfig("policies/config/prod.json"),
    });
    expect(report.findings).to.deep.equal([]);
    expect([...report.evaluated.keys()].sort()).to.deep.equal(policies.map((p) => p.name).sort());
  });

  it("passes stack dev with its pack config, reporting as advisories only what dev chooses: no reservation, no protection", async () => {
    const { report } = await checkProgramPolicies({
      stack: "dev",
      packConfig: readPackConfig("policies/config/dev.json"),
    });
    expect(report.findings.map((f) => [f.policy, f.level, f.resource])).to.deep.equal([
      ["lambda-reserved-concurrency", "advisory", "task-status"],
      ["dynamodb-deletion-protection", "advisory", "tasks"],
      ["dynamodb-deletion-protection", "advisory", "tasks"],
    ]);
  });

  it("fails prod when its table loses protection (protectTable: false), in DynamoDB and in Pulumi", async () => {
    const { report } = await checkProgramPolicies({
      stack: "prod",
      config: { protectTable: false },
      packConfig: readPackConfig("policies/config/prod.json"),
    });
    expect(report.findings.filter((f) => f.level === "mandatory").map((f) => f.message)).to.deep.equal([
      "Table tasks does not enable deletion protection.",
      "Table tasks is not protected in Pulumi (protect), so destroy or a replacement would delete it.",
    ]);
  });

  const expected: Record<string, string[]> = {
    "timeout-30": ["lambda-timeout-max"],
    "memory-1024": ["lambda-memory-max"],
    "dynamodb-star": ["iam-function-least-privilege", "iam-no-wildcard-actions"],
    "resource-star": ["iam-function-least-privilege", "iam-no-wildcard-resources"],
    "s3-put-object": ["iam-function-least-privilege"],
    "not-action": ["iam-function-least-privilege", "iam-no-allow-with-not-action"],
    "admin-attachment": ["iam-function-least-privilege", "iam-no-broad-managed-policies"],
    "caller-any-method": ["iam-access-policies-scoped"],
    "caller-any-api": ["iam-access-policies-scoped"],
    "processor-delete-item": ["iam-access-policies-scoped"],
    "processor-any-table": ["iam-access-policies-scoped"],
    "route-auth-none": ["apigateway-route-authorization"],
  };
  it("has an expectation for every mutation", () => {
    expect(Object.keys(expected).sort()).to.deep.equal(Object.keys(PROGRAM_MUTATIONS).sort());
  });
  for (const [name, mutation] of Object.entries(PROGRAM_MUTATIONS)) {
    it(`fails with ${mutation.description} (${name})`, async () => {
      expect(await failingPolicies({ stack: "prod", mutation })).to.deep.equal(expected[name]);
    });
  }

  it("fails a stack that sets apiAuth: none unless the pack is configured for a public API", async () => {
    expect(await failingPolicies({ stack: "prod", config: { apiAuth: "none" } })).to.deep.equal([
      "apigateway-route-authorization",
    ]);
    const { report } = await checkProgramPolicies({
      stack: "prod",
      config: { apiAuth: "none" },
      packConfig: readPackConfig("policies/config/public-api.json"),
    });
    expect(report.mandatoryViolations).to.equal(0);
    expect(report.findings.map((f) => [f.policy, f.level])).to.deep.equal([
      ["apigateway-route-authorization", "advisory"],
    ]);
  });
});

describe("npm run policy", function () {
  this.timeout(120_000);
  const run = (args: string[]) =>
    promisify(execFile)("npm", ["run", "--silent", "policy", "--", ...args]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it("checks every committed stack with its own pack config by default, and exits 0", async () => {
    const { code, stdout } = await run([]);
    expect(code).to.equal(0);
    expect(stdout).to.include(
      `stack dev (policies/config/dev.json): ${policies.length} policies, 0 mandatory violation(s), 3 advisory finding(s)`,
    );
    expect(stdout).to.include(
      `stack prod (policies/config/prod.json): ${policies.length} policies, 0 mandatory violation(s), 0 advisory finding(s)`,
    );
    expect(stdout).to.match(/^dev\s+dynamodb-deletion-protection\s+advisory\s+tasks\s+/m);
  });

  it("exits 1 and prints the violation as a row naming the stack when the program breaks a mandatory rule", async () => {
    const { code, stdout } = await run(["--mutation", "memory-1024"]);
    expect(code).to.equal(1);
    expect(stdout).to.match(/^STACK\s+POLICY\s+LEVEL\s+RESOURCE\s+MESSAGE$/m);
    for (const stack of ["dev", "prod"]) {
      expect(stdout).to.match(
        new RegExp(
          `^${stack}\\s+lambda-memory-max\\s+mandatory\\s+task-status\\s+Lambda function task-status has 1024 MB`,
          "m",
        ),
      );
    }
  });
});
