/**
 * `npm run policy [-- --stack NAME] [--policy-pack-config FILE] [--mutation NAME]`:
 * the program under mocks with each committed stack's config (every Pulumi.<stack>.yaml, or only
 * --stack), checked by the whole policy pack as the engine would, with the stack's own pack
 * config (policies/config/<stack>.json) unless --policy-pack-config names one; prints the
 * findings and exits 1 on any mandatory violation.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { policies } from "../policies/rules";
import { checkProgramPolicies, formatReport, readPackConfig, type StackReport } from "./policyCheck";
import { PROGRAM_MUTATIONS } from "./programMutations";
import { committedStacks, stackPackConfigFile } from "./stackConfigFiles";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      "policy-pack-config": { type: "string" },
      mutation: { type: "string" },
    },
  });
  const mutationName = values.mutation;
  const mutation = mutationName === undefined ? undefined : PROGRAM_MUTATIONS[mutationName];
  if (mutationName !== undefined && mutation === undefined) {
    console.error(`unknown mutation ${mutationName}; one of: ${Object.keys(PROGRAM_MUTATIONS).join(", ")}`);
    return 2;
  }
  const stacks = values.stack === undefined ? committedStacks() : [values.stack];
  const reports: StackReport[] = [];
  for (const stack of stacks) {
    const packConfigFile = values["policy-pack-config"] ?? stackPackConfigFile(stack);
    const { report } = await checkProgramPolicies({
      stack,
      ...(packConfigFile === undefined ? {} : { packConfig: readPackConfig(packConfigFile) }),
      ...(mutation === undefined ? {} : { mutation }),
    });
    const configName = packConfigFile === undefined ? "no pack config" : path.relative(process.cwd(), packConfigFile);
    reports.push({ stack, packConfig: configName, report });
  }
  console.log(`Policy check (offline, under mocks)${mutation ? ` with ${mutation.description}` : ""}`);
  console.log(formatReport(reports, policies.length));
  return reports.some(({ report }) => report.mandatoryViolations > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
