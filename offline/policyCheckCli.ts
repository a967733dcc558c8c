/**
 * `npm run policy [-- --stack NAME] [--policy-pack-config FILE] [--mutation NAME]`:
 * the program under mocks with the stack's config, checked by the whole policy pack as the
 * engine would; prints the findings and exits 1 on any mandatory violation.
 */
import { parseArgs } from "node:util";
import { policies } from "../policies/rules";
import { checkProgramPolicies, formatReport, readPackConfig } from "./policyCheck";
import { PROGRAM_MUTATIONS } from "./programMutations";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string", default: "dev" },
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
  const packConfigFile = values["policy-pack-config"];
  const { report } = await checkProgramPolicies({
    stack: values.stack,
    ...(packConfigFile === undefined ? {} : { packConfig: readPackConfig(packConfigFile) }),
    ...(mutation === undefined ? {} : { mutation }),
  });
  console.log(
    `Policy check of stack ${values.stack}${mutation ? ` with ${mutation.description}` : ""} (offline, under mocks)`,
  );
  console.log(formatReport(report, policies.length));
  return report.mandatoryViolations > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
