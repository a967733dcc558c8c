import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LAMBDA_RUNTIME } from "../infra/lambdaBundle";

/** The Node.js major version the functions deploy on (nodejs24.x -> 24). */
export const LAMBDA_NODE_MAJOR = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)?.[1]);

/**
 * A `node` binary of the Lambda runtime's major version: this process's own when it is one,
 * else the npm registry's `node-<platform>-<arch>@<major>` package, installed once into a cache
 * folder outside the repository (the package carries the official binary; nothing else is
 * downloaded). So the bench measures the runtime users deploy, whatever Node runs it.
 */
export function lambdaNodeBinary(): string {
  if (Number(process.versions.node.split(".")[0]) === LAMBDA_NODE_MAJOR) return process.execPath;
  const name = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(tmpdir(), `task-api-node${LAMBDA_NODE_MAJOR}`);
  const binary = path.join(prefix, "node_modules", name, "bin", "node");
  if (!existsSync(binary)) {
    execFileSync(
      "npm",
      ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", `${name}@${LAMBDA_NODE_MAJOR}`],
      { stdio: "ignore" },
    );
  }
  return binary;
}

/** The version a node binary reports, e.g. "v24.22.3". */
export function nodeVersionOf(binary: string): string {
  return execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
}
