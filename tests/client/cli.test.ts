import { execFile } from "node:child_process";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { expect } from "chai";
import { EXIT, runCli } from "../../client/cli";
import { freePort } from "../../local/emulators";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { type LocalApi, startLocalApi } from "../helpers/localApi";

/** Runs the CLI in-process with captured output. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}, tty = false) {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const err = Object.assign(
    sink((t) => (stderr += t)),
    { isTTY: tty },
  );
  const code = await runCli(args, { stdout: sink((t) => (stdout += t)), stderr: err, env });
  return { code, stdout, stderr };
}

describe("task-status CLI", function () {
  this.timeout(60_000);
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ POLL_INTERVAL_SECONDS: "1" });
  });
  after(() => api?.close());

  it("get prints the task as JSON and exits 0", async () => {
    const { code, stdout } = await cli(["get", SPEC_EXAMPLE_TASKS.processing.TaskId, "--endpoint", api.base]);
    expect(code).to.equal(EXIT.completed);
    expect(JSON.parse(stdout)).to.deep.equal(SPEC_EXAMPLE_TASKS.processing);
  });

  it("takes the endpoint from TASK_API_ENDPOINT", async () => {
    const { code } = await cli(["get", SPEC_EXAMPLE_TASKS.completed.TaskId], { TASK_API_ENDPOINT: api.base });
    expect(code).to.equal(EXIT.completed);
  });

  it("wait exits 0 with the completed task on stdout and progress lines on stderr", async () => {
    const { code, stdout, stderr } = await cli(["wait", SPEC_EXAMPLE_TASKS.completed.TaskId, "--endpoint", api.base]);
    expect(code).to.equal(EXIT.completed);
    expect(JSON.parse(stdout)).to.have.property("TargetObjectURL");
    expect(stderr).to.match(/^poll 1: completed after \d+\.\ds\n$/);
  });

  it("wait exits 1 for a failed task, with the task on stdout and the error on stderr", async () => {
    const { code, stdout, stderr } = await cli(["wait", SPEC_EXAMPLE_TASKS.failed.TaskId, "--endpoint", api.base]);
    expect(code).to.equal(EXIT.failed);
    expect(JSON.parse(stdout)).to.include({ Status: "failed" });
    expect(stderr).to.include("Failed to process document: insufficient memory");
  });

  it("exits 2 for a task that does not exist, and for an invalid ID, with the message on stderr", async () => {
    const missing = await cli(["get", "no-such-task", "--endpoint", api.base]);
    expect(missing.code).to.equal(EXIT.notFound);
    expect(missing.stderr).to.equal("Task not found: no-such-task\n");
    const invalid = await cli(["wait", "bad id", "--endpoint", api.base]);
    expect(invalid.code).to.equal(EXIT.notFound);
    expect(invalid.stderr).to.match(/^Invalid task_id: /);
  });

  it("wait exits 3 when the task does not finish in time, one progress line per poll", async () => {
    const { code, stderr } = await cli([
      "wait",
      SPEC_EXAMPLE_TASKS.processing.TaskId,
      "--endpoint",
      api.base,
      "--timeout",
      "2",
    ]);
    expect(code).to.equal(EXIT.timedOut);
    const lines = stderr.trim().split("\n");
    expect(lines[0]).to.match(/^poll 1: processing after \d+\.\ds, next poll in ≥1s$/);
    expect(lines.at(-1)).to.match(/did not finish within 2 s \(last status: processing\)$/);
  });

  it("draws one live line on a terminal, rewritten at each poll", async () => {
    const { stderr } = await cli(
      ["wait", SPEC_EXAMPLE_TASKS.processing.TaskId, "--endpoint", api.base, "--timeout", "2.5"],
      {},
      true,
    );
    const redraws = stderr.split("\r\x1b[2K").slice(1);
    expect(redraws.length).to.be.at.least(2);
    for (const redraw of redraws.slice(0, -1)) expect(redraw).to.match(/^poll \d+: processing after [\d.]+s[^\n]*$/);
    // One newline ends the live line, one ends the timeout message: no line per poll.
    expect(stderr.match(/\n/g)).to.have.length(2);
  });

  it("exits 4 when the API cannot be reached, and on usage errors", async () => {
    const closed = await freePort();
    const unreachable = await cli(["get", "x", "--endpoint", `http://127.0.0.1:${closed}`]);
    expect(unreachable.code).to.equal(EXIT.error);
    expect(unreachable.stderr).to.include("ECONNREFUSED");
    expect((await cli(["frobnicate", "x", "--endpoint", api.base])).code).to.equal(EXIT.error);
    expect((await cli(["get", "x"])).stderr).to.match(/^no endpoint/);
  });

  it("runs as npx task-status, with the same exit codes", async () => {
    const run = (args: string[]) =>
      promisify(execFile)("npx", ["--no-install", "task-status", ...args]).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const found = await run(["get", SPEC_EXAMPLE_TASKS.failed.TaskId, "--endpoint", api.base]);
    expect(found.code).to.equal(EXIT.failed);
    expect(JSON.parse(found.stdout)).to.include({ Status: "failed" });
    expect((await run(["get", "no-such-task", "--endpoint", api.base])).code).to.equal(EXIT.notFound);
  });
});
