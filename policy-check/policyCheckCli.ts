/**
 * `npm run policy [-- --stack NAME] [--policy-pack-config FILE]`:
 * the program under mocks with each committed stack's config (every Pulumi.<stack>.yaml, or only
 * --stack), sent to the policy pack served by Pulumi's own run-policy-pack, with the stack's pack
 * config (policies/config/<stack>.json) unless --policy-pack-config names one; prints the
 * findings and exits 1 on any mandatory violation. (Mutations that show rules bite live in
 * tests/policy-check/.)
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ServedPolicyPack } from "./policyAnalyzer";
import { checkProgramPolicies, formatReport, readPackConfig, type StackReport } from "./policyCheck";
import { committedStacks, stackPackConfigFile } from "./stackConfigFiles";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      "policy-pack-config": { type: "string" },
    },
  });
  const stacks = values.stack === undefined ? committedStacks() : [values.stack];
  const pack = await ServedPolicyPack.start();
  try {
    const reports: StackReport[] = [];
    for (const stack of stacks) {
      const packConfigFile = values["policy-pack-config"] ?? stackPackConfigFile(stack);
      const { report } = await checkProgramPolicies(pack, {
        stack,
        ...(packConfigFile === undefined ? {} : { packConfig: readPackConfig(packConfigFile) }),
      });
      const configName = packConfigFile === undefined ? "no pack config" : path.relative(process.cwd(), packConfigFile);
      reports.push({ stack, packConfig: configName, report });
    }
    console.log("Policy check (the pack served by run-policy-pack, the program under mocks)");
    console.log(formatReport(reports));
    return reports.some(({ report }) => report.mandatoryViolations > 0) ? 1 : 0;
  } finally {
    await pack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
