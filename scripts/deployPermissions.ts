/**
 * `npm run deploy-permissions`: writes the CI roles' permission documents from the program's
 * permission table (infra/deployPermissions.ts): `.github/aws/deploy-permissions.json` and
 * `.github/aws/preview-permissions.json`. Run it after changing the table; a test fails while a
 * committed file differs from what this writes.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { PERMISSION_FILES, permissionDocument } from "../infra/deployPermissions";

for (const kind of ["deploy", "preview"] as const) {
  const file = path.join(__dirname, "..", PERMISSION_FILES[kind]);
  writeFileSync(file, `${JSON.stringify(permissionDocument(kind), null, 2)}\n`);
  console.log(`wrote ${PERMISSION_FILES[kind]}`);
}
// Laid out as the repository's formatter keeps JSON, so that `npm run lint` stays clean.
execFileSync("npx", ["biome", "format", "--write", ...Object.values(PERMISSION_FILES)], { stdio: "ignore" });
