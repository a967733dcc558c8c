import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect } from "chai";
import { LAMBDA_NODE_MAJOR } from "../scripts/lambdaNode";

/** The environment a user's shell has: nothing of ours that would hide the SDK's warnings. */
function userEnv(): NodeJS.ProcessEnv {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _hidden, NODE_OPTIONS: _options, ...env } = process.env;
  return { ...env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" };
}

/** Runs a command to its end, whatever its exit code; resolves with its stderr. */
async function stderrOf(command: string, args: string[]): Promise<string> {
  return promisify(execFile)(command, args, { env: userEnv(), timeout: 60_000 }).then(
    ({ stderr }) => stderr,
    (error: { stderr?: string }) => error.stderr ?? "",
  );
}

describe("the Node.js the project runs on", function () {
  this.timeout(90_000);

  it("is the Lambda runtime's major in .nvmrc, and a maintained one (22 or newer) as the lowest engines allow", () => {
    expect(readFileSync(".nvmrc", "utf8").trim()).to.equal(String(LAMBDA_NODE_MAJOR));
    for (const file of ["package.json", "client/package.json", "processor/package.json", "policies/package.json"]) {
      const { engines } = JSON.parse(readFileSync(file, "utf8")) as { engines?: { node?: string } };
      expect(engines?.node, file).to.match(/^>=2[2-9]\./);
    }
  });

  it("runs these tests on the Lambda runtime's major (CI puts it first on PATH)", () => {
    expect(process.versions.node.split(".")[0], "use the Node.js .nvmrc names (nvm use, or .ci/run's way)").to.equal(
      String(LAMBDA_NODE_MAJOR),
    );
  });

  it("lets both CLIs create their SDK clients without the SDK's Node.js deprecation warning", async () => {
    // Each command builds its client and fails to connect: the warning, if any, comes at construction.
    const unreachable = "http://127.0.0.1:9";
    const outputs = await Promise.all([
      stderrOf("npx", [
        "--no-install",
        "task-record",
        "progress",
        "x",
        "1",
        "--table",
        "tasks",
        "--endpoint",
        unreachable,
      ]),
      stderrOf("npx", ["--no-install", "task-status", "get", "x", "--endpoint", unreachable, "--timeout", "1"]),
    ]);
    for (const stderr of outputs) {
      expect(stderr).to.match(/ECONNREFUSED|connect|fetch failed|failed/i);
      expect(stderr).to.not.include("NodeVersionSupportWarning");
    }
  });
});
