import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ServedPolicyPack } from "../../policy-check/policyAnalyzer";

const run = promisify(execFile);
const PACK_DIR = path.join(__dirname, "..", "..", "policies");

/** A policy pack installed and served the way Pulumi Cloud hands a published pack to the CLI. */
export interface ServedPack {
  /** The folder the tarball was unpacked and installed in, outside the repository. */
  folder: string;
  /** What the tarball holds, as `npm pack` listed it. */
  files: string[];
  /** The port of the pack's gRPC analyzer. */
  port: number;
  stop(): Promise<void>;
}

/**
 * Does what `pulumi policy publish` and a consumer's `pulumi preview` do: `npm pack` of
 * policies/, the tarball unpacked into an empty temporary folder, `npm install` there, then the
 * policy host `@pulumi/pulumi/cmd/run-policy-pack <engine> <pack>` from that folder's own
 * node_modules. The engine address is only used for logging. Resolves once the pack prints
 * its analyzer's port.
 */
export async function serveTheTarballAsPublished(): Promise<ServedPack> {
  const folder = await mkdtemp(path.join(tmpdir(), "task-api-published-pack-"));
  const { stdout: packed } = await run("npm", ["pack", "--json", "--pack-destination", folder], { cwd: PACK_DIR });
  const [tarball] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (tarball === undefined) throw new Error("npm pack made no tarball");
  const { filename, files } = tarball;
  await run("tar", ["-xzf", path.join(folder, filename), "-C", folder]);
  const pack = path.join(folder, "package");
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--omit=dev"], {
    cwd: pack,
    maxBuffer: 16 << 20,
  });
  const served = await ServedPolicyPack.start(pack, path.join(pack, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"));
  return {
    folder: pack,
    files: files.map((f) => f.path).sort(),
    port: served.port,
    stop: async () => {
      await served.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The packages installed in the pack's own node_modules under `scope` ("." for the top level). */
export async function installedPackages(pack: string, scope: string): Promise<string[]> {
  return (await readdir(path.join(pack, "node_modules", scope))).sort();
}
