// npm pack of policies/ (what `pulumi policy publish` runs) bundles @task-api/contract, which the
// pack imports and no registry serves. npm bundles only a package that sits in policies' own
// node_modules, and a workspace's sits in the root's, so `prepack` puts one there, built for
// the folder a consumer installs the tarball in: index.js (CommonJS, by esbuild, because Node
// and ts-node do not compile TypeScript under node_modules) and the sources as its types.
// `postpack` removes it, so policies/ resolves the workspace's live contract again.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const contract = path.join(root, "contract");
const bundled = path.join(root, "policies", "node_modules", "@task-api/contract");

rmSync(bundled, { recursive: true, force: true });
if (process.argv[2] === "remove") {
  // The scope's folder and policies/node_modules itself only if the bundle was all they held.
  for (const folder of [path.dirname(bundled), path.dirname(path.dirname(bundled))]) {
    if (readdirSync(folder).length === 0) rmSync(folder, { recursive: true });
  }
  process.exit(0);
}
mkdirSync(bundled, { recursive: true });
buildSync({
  entryPoints: [path.join(contract, "index.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  outfile: path.join(bundled, "index.js"),
  logLevel: "warning",
});
for (const file of readdirSync(contract).filter((name) => name.endsWith(".ts"))) {
  cpSync(path.join(contract, file), path.join(bundled, file));
}
const { name, version, description, license } = JSON.parse(readFileSync(path.join(contract, "package.json"), "utf8"));
writeFileSync(
  path.join(bundled, "package.json"),
  `${JSON.stringify({ name, version, description, license, main: "index.js", types: "index.ts" }, null, 2)}\n`,
);
