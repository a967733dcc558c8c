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

  it("passes stack dev with no finding at all, every policy having run", async () => {
    const { report } = await checkProgramPolicies({ stack: "dev" });
    expect(report.findings).to.deep.equal([]);
    expect([...report.evaluated.keys()].sort()).to.deep.equal(policies.map((p) => p.name).sort());
  });

  const expected: Record<string, string[]> = {
    "timeout-30": ["lambda-timeout-max"],
    "memory-1024": ["lambda-memory-max"],
    "dynamodb-star": ["iam-function-least-privilege", "iam-no-wildcard-actions"],
    "resource-star": ["iam-function-least-privilege", "iam-no-wildcard-resources"],
    "s3-put-object": ["iam-function-least-privilege"],
    "not-action": ["iam-function-least-privilege", "iam-no-allow-with-not-action"],
    "admin-attachment": ["iam-function-least-privilege", "iam-no-broad-managed-policies"],
    "route-auth-none": ["apigateway-route-authorization"],
  };
  it("has an expectation for every mutation", () => {
    expect(Object.keys(expected).sort()).to.deep.equal(Object.keys(PROGRAM_MUTATIONS).sort());
  });
  for (const [name, mutation] of Object.entries(PROGRAM_MUTATIONS)) {
    it(`fails with ${mutation.description} (${name})`, async () => {
      expect(await failingPolicies({ stack: "dev", mutation })).to.deep.equal(expected[name]);
    });
  }

  it("fails a stack that sets apiAuth: none unless the pack is configured for a public API", async () => {
    expect(await failingPolicies({ stack: "dev", config: { apiAuth: "none" } })).to.deep.equal([
      "apigateway-route-authorization",
    ]);
    const { report } = await checkProgramPolicies({
      stack: "dev",
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

  it("exits 0 on stack dev and says so", async () => {
    const { code, stdout } = await run([]);
    expect(code).to.equal(0);
    expect(stdout).to.include(`No violations. ${policies.length} policies, 0 mandatory violation(s)`);
  });

  it("exits 1 and prints the violation as a table row when the program breaks a mandatory rule", async () => {
    const { code, stdout } = await run(["--mutation", "memory-1024"]);
    expect(code).to.equal(1);
    expect(stdout).to.match(/^POLICY\s+LEVEL\s+RESOURCE\s+MESSAGE$/m);
    expect(stdout).to.match(/^lambda-memory-max\s+mandatory\s+task-status\s+Lambda function task-status has 1024 MB/m);
  });
});
