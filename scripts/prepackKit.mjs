// `prepack` of each published kit (contract/, processor/, client/), run by npm in the kit's folder:
// compiles it to dist/ (tsconfig.build.json) and puts the project's LICENSE beside it, since npm
// packs a package's own LICENSE file only. `postpack` (argument "remove") takes the copy away, so
// that packing leaves the working tree as it was. dist/ is ignored by git.
import { execFileSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const kit = process.cwd();
const license = path.join(kit, "LICENSE");
if (process.argv[2] === "remove") {
  rmSync(license, { force: true });
} else {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(kit, "tsconfig.build.json")], { stdio: "inherit" });
  copyFileSync(path.join(kit, "..", "LICENSE"), license);
}
