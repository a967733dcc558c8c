/**
 * `npm run deploy-permissions`: writes the CI roles' documents from the program's permission
 * table (infra/deployPermissions.ts) and the roles' permissions boundary (infra/permissionsBoundary.ts),
 * for every committed stack (each Pulumi.<stack>.yaml):
 *   .github/aws/deploy-permissions.<stack>.json   the deploy role of that stack
 *   .github/aws/deploy-permissions.smoke.json     the smoke test's role (stacks smoke-*, dev's config)
 *   .github/aws/preview-permissions.json          the preview role (reads only, every stack)
 *   .github/aws/permissions-boundary.json         the boundary every role of the project carries
 * with the placeholder `<account>`; a test fails while a committed file differs from this.
 *
 * `npm run deploy-permissions -- --account 123456789012 [--out DIR]` writes the same documents for
 * that account, complete (nothing to replace by hand), into DIR (default aws-permissions-<account>).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { deployPolicyDocument, PERMISSION_FILES, previewPolicyDocument } from "../infra/deployPermissions";
import { permissionsBoundaryDocument } from "../infra/permissionsBoundary";
import {
  ACCOUNT_PLACEHOLDER,
  deployTargetOf,
  projectOf,
  smokeDeployTarget,
  stackNeedsOf,
} from "../policy-check/deployTargets";
import { committedStacks } from "../policy-check/stackConfigFiles";

const ROOT = path.join(__dirname, "..");
const { values } = parseArgs({ options: { account: { type: "string" }, out: { type: "string" } } });
const account = values.account ?? ACCOUNT_PLACEHOLDER;
if (!/^\d{12}$/.test(account) && account !== ACCOUNT_PLACEHOLDER) {
  console.error(`--account takes a 12-digit AWS account ID, not ${account}`);
  process.exit(2);
}
const out = values.account === undefined ? ROOT : path.resolve(values.out ?? `aws-permissions-${account}`);

const stacks = committedStacks();
const targets = stacks.map((stack) => deployTargetOf(stack, account));
const documents: Record<string, unknown> = {
  ...Object.fromEntries(
    [...targets, smokeDeployTarget(account)].map((target) => [
      PERMISSION_FILES.deploy(target.stack),
      deployPolicyDocument(target),
    ]),
  ),
  [PERMISSION_FILES.preview]: previewPolicyDocument(targets),
  [PERMISSION_FILES.boundary]: permissionsBoundaryDocument({
    account,
    project: projectOf().name,
    stacks: stacks.map((stack) => stackNeedsOf(stack)),
  }),
};
const written: string[] = [];
for (const [file, document] of Object.entries(documents)) {
  const target = values.account === undefined ? path.join(ROOT, file) : path.join(out, path.basename(file));
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  written.push(target);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
// Laid out as the repository's formatter keeps JSON, so that `npm run lint` stays clean.
if (values.account === undefined) execFileSync("npx", ["biome", "format", "--write", ...written], { stdio: "ignore" });
