import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { INVALID_TASK_ID_MESSAGE } from "@task-api/contract";
import { expect } from "chai";
import { EXIT, runCli, USAGE } from "../../client/cli";
import { freePort } from "../../local/emulators";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";
import { TextSink } from "../helpers/textSink";

/** Runs the CLI in-process with captured output. */
/** The CLI's stdout read as what it is: one JSON task per line. */
function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, tty = false) {
  const stdout = new TextSink();
  const stderr = new TextSink(tty);
  const code = await runCli(args, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
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
    // The real delay before the next poll: the API's Retry-After (1 s here) and its jitter.
    expect(lines[0]).to.match(/^poll 1: processing after \d+\.\ds, next poll in 1\.\ds$/);
    // The last poll is made at the deadline; the message says so.
    expect(lines.at(-1)).to.match(
      /did not finish: stopped after \d+\.\d s of the 2 s allowed, because it was still unfinished at the deadline's last poll \(the next was due in \d+\.\d s\) \(last status: processing\)$/,
    );
  });

  it("prints usage with the exit-code table and exits 0 for --help and -h", async () => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout, stderr } = await cli([flag]);
      expect(code, flag).to.equal(EXIT.completed);
      expect(stderr).to.equal("");
      expect(stdout).to.equal(`${USAGE}\n`);
      expect(stdout).to.match(/^exit codes \(with several IDs, the first that applies, from the bottom up\):$/m);
      for (const exitCode of [0, 1, 2, 3, 4]) expect(stdout).to.match(new RegExp(`^  ${exitCode}  \\S`, "m"));
    }
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ["an infinite timeout", ["--timeout", "Infinity"], /--timeout Infinity is not a number of seconds from 1 to 86400/],
    ["an overflowing timeout", ["--timeout", "1e9999"], /--timeout 1e9999 is not a number of seconds from 1 to 86400/],
    ["a zero min-delay", ["--min-delay", "0"], /--min-delay 0 is not a number of seconds from 0\.1 to 3600/],
    [
      "min-delay above max-delay",
      ["--min-delay", "9", "--max-delay", "3"],
      /--min-delay 9 is more than --max-delay 3: make it at most 3/,
    ],
    ["an unknown signing mode", ["--signing", "v2"], /--signing v2 is not a signing mode: give sigv4 or none/],
    ["an unknown option", ["--frobnicate"], /Unknown option '--frobnicate'/],
  ];
  for (const [label, extra, message] of usageErrors) {
    it(`exits 4 on ${label}, naming the value and what would fix it`, async () => {
      const { code, stderr } = await cli(["wait", "x", "--endpoint", api.base, ...extra]);
      expect(code).to.equal(EXIT.error);
      expect(stderr).to.match(message);
      expect(stderr).to.include("usage: task-status");
    });
  }

  it("exits 4 on an endpoint without a scheme, suggesting the URL it probably meant", async () => {
    const { code, stderr } = await cli(["get", "x", "--endpoint", "localhost:3000"]);
    expect(code).to.equal(EXIT.error);
    expect(stderr).to.match(
      /^--endpoint localhost:3000 is not an http\(s\) URL: give the scheme, e.g\. http:\/\/127\.0\.0\.1:3000 \(did you mean http:\/\/localhost:3000 \?\)/,
    );
  });

  it("exits 4 when it cannot tell the region to sign for, naming --region and --signing none", async () => {
    const { code, stderr } = await withProcessEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }, () =>
      cli(["get", "x", "--endpoint", "https://tasks.example.com/"], {}),
    );
    expect(code).to.equal(EXIT.error);
    expect(stderr).to.match(
      /cannot tell the AWS region of https:\/\/tasks\.example\.com\/ .*--region REGION.*--signing none/,
    );
  });

  it("exits 4, not 2, when the endpoint path is wrong (the gateway's route-level 404), naming the URL", async () => {
    const { code, stderr } = await cli(["get", SPEC_EXAMPLE_TASKS.completed.TaskId, "--endpoint", `${api.base}/v1/`]);
    expect(code).to.equal(EXIT.error);
    expect(stderr).to.include(
      `GET ${api.base}/v1/task/${SPEC_EXAMPLE_TASKS.completed.TaskId} answered 404 without reaching the task API (Not Found): check the endpoint`,
    );
  });

  it("exits 2 for an ID of dots, with the server's message, without asking", async () => {
    for (const id of [".", ".."]) {
      const { code, stderr } = await cli(["get", id, "--endpoint", "http://127.0.0.1:9"]);
      expect(code, id).to.equal(EXIT.notFound);
      expect(stderr).to.equal(`${INVALID_TASK_ID_MESSAGE}\n`);
    }
  });

  it("wait shows a task's progress beside its status", async () => {
    const backends = await sharedBackends();
    await DynamoDBDocumentClient.from(backends.dynamo).send(
      new PutCommand({
        TableName: backends.env.DDB_TABLE_NAME,
        Item: { ...SPEC_EXAMPLE_TASKS.processing, TaskId: "cli-progress-1", Progress: 40 },
      }),
    );
    const { code, stderr } = await cli(["wait", "cli-progress-1", "--endpoint", api.base, "--timeout", "1"]);
    expect(code).to.equal(EXIT.timedOut);
    expect(stderr.split("\n")[0]).to.match(/^poll 1: processing 40% after \d+\.\ds, next poll in 1\.\ds$/);
  });

  it("get takes several IDs: one JSON line per task in the order asked, the missing named, the worst outcome as exit code", async () => {
    const { completed, failed, processing } = SPEC_EXAMPLE_TASKS;
    const all = await cli(["get", completed.TaskId, processing.TaskId, "--endpoint", api.base]);
    expect(all.code).to.equal(EXIT.completed);
    expect(jsonLines(all.stdout).map((task) => task.TaskId)).to.deep.equal([completed.TaskId, processing.TaskId]);
    const withFailed = await cli(["get", completed.TaskId, failed.TaskId, "--endpoint", api.base]);
    expect(withFailed.code).to.equal(EXIT.failed);
    const withMissing = await cli(["get", failed.TaskId, "no-such-1", "--endpoint", api.base]);
    expect(withMissing.code).to.equal(EXIT.notFound);
    expect(withMissing.stderr).to.equal("Task not found: no-such-1\n");
    expect(jsonLines(withMissing.stdout)).to.have.length(1);
  });

  it("wait takes several IDs: each finished task's line as it finishes, and 3 while one is still running at the deadline", async () => {
    const { completed, failed, processing } = SPEC_EXAMPLE_TASKS;
    const finished = await cli(["wait", completed.TaskId, failed.TaskId, "--endpoint", api.base]);
    expect(finished.code).to.equal(EXIT.failed);
    expect(jsonLines(finished.stdout).map((task) => task.Status)).to.deep.equal(["completed", "failed"]);
    expect(finished.stderr).to.include("Failed to process document: insufficient memory");
    const running = await cli(["wait", completed.TaskId, processing.TaskId, "--endpoint", api.base, "--timeout", "1"]);
    expect(running.code).to.equal(EXIT.timedOut);
    expect(jsonLines(running.stdout).map((task) => task.TaskId)).to.deep.equal([completed.TaskId]);
    expect(running.stderr).to.match(/^1 task\(s\) did not finish within 1 s .*1234-5678-9013\n$/);
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
    const unknown = await cli(["frobnicate", "x", "--endpoint", api.base]);
    expect(unknown.code).to.equal(EXIT.error);
    expect(unknown.stderr).to.match(/^unknown command "frobnicate": give get, wait or listen/);
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
    const help = await run(["--help"]);
    expect(help.code).to.equal(EXIT.completed);
    expect(help.stdout).to.equal(`${USAGE}\n`);
  });
});
