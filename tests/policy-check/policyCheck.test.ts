import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { PolicyPackConfig } from "@pulumi/policy";
import { expect } from "chai";
import { policies } from "../../policies/allPolicies";
import { PackConfigError } from "../../policy-check/policyAnalyzer";
import { checkProgramPolicies, formatReport, readPackConfig } from "../../policy-check/policyCheck";
import { servedPack } from "../helpers/servedPack";
import { PROGRAM_MUTATIONS } from "./programMutations";

/** The policies that report a mandatory violation, sorted. */
async function failingPolicies(options: Parameters<typeof checkProgramPolicies>[1]): Promise<string[]> {
  const { report } = await checkProgramPolicies(await servedPack(), options);
  return [...new Set(report.findings.filter((f) => f.level === "mandatory").map((f) => f.policy))].sort();
}

describe("the policy check over the real program, through the served pack", function () {
  this.timeout(120_000);

  it("fails prod when its table loses protection (protectTable: false), in DynamoDB and in Pulumi", async () => {
    const { report } = await checkProgramPolicies(await servedPack(), {
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
    "pipe-reads-table": ["pipes-role-least-privilege"],
    "pipe-any-bus": ["pipes-role-least-privilege"],
    "pipe-sqs-star": ["iam-no-wildcard-actions", "pipes-role-least-privilege"],
    "api-updates-items": ["iam-function-least-privilege"],
    "sweeper-scans": ["iam-function-least-privilege"],
    "sweeper-any-index": ["iam-function-least-privilege"],
    "sweeper-any-rule": ["lambda-permission-api-gateway-scoped"],
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

  it("refuses a pack config that names a level the engine does not have, before analyzing", async () => {
    const error = await checkProgramPolicies(await servedPack(), {
      stack: "prod",
      // As a JSON file would bring it: the type does not stop a misspelt level.
      packConfig: JSON.parse('{ "lambda-timeout-max": "warn" }') as PolicyPackConfig,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PackConfigError);
    expect((error as Error).message).to.equal(
      'policy pack configuration is invalid: lambda-timeout-max: "warn" is not a valid enforcement level',
    );
  });

  it("refuses properties a policy's configSchema rejects, naming the policy, as the engine does", async () => {
    const pack = await servedPack();
    const config = JSON.parse('{ "lambda-timeout-max": { "maxTimeoutSeconds": "five" } }') as PolicyPackConfig;
    expect(() => pack.resolveConfig(config)).to.throw(
      PackConfigError,
      "lambda-timeout-max: /maxTimeoutSeconds must be integer",
    );
    expect(() => pack.resolveConfig({ "lambda-memory-max": { maxMemoryMb: 64 } })).to.throw(
      PackConfigError,
      "lambda-memory-max: /maxMemoryMb must be >= 128",
    );
  });

  it("refuses a pack config file whose entries are neither a level nor an object, as the CLI parses it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pack-config-"));
    try {
      const file = path.join(dir, "bad.json");
      writeFileSync(file, '{ "lambda-timeout-max": 5 }');
      expect(() => readPackConfig(file)).to.throw(
        PackConfigError,
        'parsing "lambda-timeout-max": 5 is not a valid value; must be a string or object',
      );
      writeFileSync(file, '["lambda-timeout-max"]');
      expect(() => readPackConfig(file)).to.throw(PackConfigError, "an object of policy names");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("resolves config as the engine does: schema defaults, then an all level, then each policy's own entry", async () => {
    const pack = await servedPack();
    expect(pack.resolveConfig({}).get("lambda-timeout-max")).to.deep.equal({
      level: "mandatory",
      properties: { maxTimeoutSeconds: 5 },
    });
    const resolved = pack.resolveConfig({
      all: "advisory",
      "lambda-memory-max": { enforcementLevel: "disabled", maxMemoryMb: 256 },
    });
    expect(resolved.get("lambda-timeout-max")).to.deep.equal({
      level: "advisory",
      properties: { maxTimeoutSeconds: 5 },
    });
    expect(resolved.get("lambda-memory-max")).to.deep.equal({ level: "disabled", properties: { maxMemoryMb: 256 } });
    expect(new Set([...resolved.values()].map((c) => c.level))).to.deep.equal(new Set(["advisory", "disabled"]));
  });

  it("lets an all level turn every mandatory finding advisory", async () => {
    const { report } = await checkProgramPolicies(await servedPack(), {
      stack: "prod",
      mutation: PROGRAM_MUTATIONS["timeout-30"],
      packConfig: { all: "advisory" },
    });
    expect(report.mandatoryViolations).to.equal(0);
    expect(report.findings.map((f) => [f.policy, f.level])).to.deep.include(["lambda-timeout-max", "advisory"]);
  });

  it("fails a stack that sets apiAuth: none unless the pack is configured for a public API", async () => {
    expect(await failingPolicies({ stack: "prod", config: { apiAuth: "none" } })).to.deep.equal([
      "apigateway-route-authorization",
    ]);
    const { report } = await checkProgramPolicies(await servedPack(), {
      stack: "prod",
      config: { apiAuth: "none" },
      packConfig: readPackConfig("policies/config/public-api.json"),
    });
    expect(report.mandatoryViolations).to.equal(0);
    expect(report.findings.map((f) => [f.policy, f.level])).to.deep.equal([
      ["apigateway-route-authorization", "advisory"],
      ["apigateway-route-authorization", "advisory"],
    ]);
  });
});

// The one full run of npm run policy in npm test: every committed stack, as CI gates on it.
describe("npm run policy", function () {
  this.timeout(120_000);

  it("checks every committed stack with its own pack config, every policy applied, and exits 0", async () => {
    const { code, stdout } = await promisify(execFile)("npm", ["run", "--silent", "policy"]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(code).to.equal(0);
    const all = `${policies.length} of ${policies.length} policies applied`;
    expect(stdout).to.include(
      `stack dev (policies/config/dev.json): ${all}, 0 mandatory violation(s), 5 advisory finding(s)`,
    );
    expect(stdout).to.include(
      `stack prod (policies/config/prod.json): ${all}, 0 mandatory violation(s), 0 advisory finding(s)`,
    );
    // Dev reports, as advisories, only what it chooses: no reservation, no table protection.
    const rows = stdout.split("\n").filter((line) => /^(dev|prod)\s/.test(line));
    expect(rows.map((row) => row.split(/\s{2,}/).slice(0, 4)).sort()).to.deep.equal([
      ["dev", "dynamodb-deletion-protection", "advisory", "tasks"],
      ["dev", "dynamodb-deletion-protection", "advisory", "tasks"],
      ["dev", "lambda-reserved-concurrency", "advisory", "deadline-sweeper"],
      ["dev", "lambda-reserved-concurrency", "advisory", "task-status"],
      ["dev", "lambda-reserved-concurrency", "advisory", "webhook-sender"],
    ]);
  });
});

describe("formatReport", () => {
  it("prints a mandatory violation as a row naming its stack, and a summary per stack", async () => {
    const mutation = PROGRAM_MUTATIONS["memory-1024"];
    const { report } = await checkProgramPolicies(await servedPack(), {
      stack: "prod",
      ...(mutation === undefined ? {} : { mutation }),
    });
    const text = formatReport([{ stack: "prod", packConfig: "policies/config/prod.json", report }]);
    expect(text).to.match(/^STACK\s+POLICY\s+LEVEL\s+RESOURCE\s+MESSAGE$/m);
    expect(text).to.match(
      /^prod\s+lambda-memory-max\s+mandatory\s+task-status\s+Lambda function task-status has 1024 MB/m,
    );
    expect(text).to.match(
      /^stack prod \(policies\/config\/prod\.json\): \d+ of \d+ policies applied, 1 mandatory violation\(s\)/m,
    );
  });
});
