/**
 * task-status: the API from a shell.
 *
 *   task-status get <task_id>                      print the task as JSON
 *   task-status wait <task_id> [--timeout SECONDS] poll until it finishes; progress on stderr
 *
 * --endpoint URL (or TASK_API_ENDPOINT), --region, --signing sigv4|none (default: sigv4 for
 * https, none for http). Exit codes: 0 completed (get: answered), 1 task failed, 2 not found or
 * invalid ID, 3 timed out, 4 API or network error (and usage errors).
 */
import { parseArgs } from "node:util";
import { InvalidTaskIdError, TaskFailedError, TaskNotFoundError, TaskWaitTimeoutError } from "./errors";
import { isFailed, type Task } from "./task";
import { type PollEvent, TaskStatusClient } from "./taskStatusClient";

export const EXIT = { completed: 0, failed: 1, notFound: 2, timedOut: 3, error: 4 } as const;

const USAGE = `usage: task-status get <task_id> [--endpoint URL]
       task-status wait <task_id> [--timeout SECONDS] [--endpoint URL]
options: --endpoint URL (or TASK_API_ENDPOINT)  --region REGION  --signing sigv4|none
         --min-delay SECONDS  --max-delay SECONDS`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT.error;
  }
  const { command, taskId, values } = parsed;
  const endpoint = values.endpoint ?? io.env.TASK_API_ENDPOINT;
  if (endpoint === undefined || endpoint === "") {
    io.stderr.write(`no endpoint: pass --endpoint URL or set TASK_API_ENDPOINT\n${USAGE}\n`);
    return EXIT.error;
  }
  const signing = (values.signing ?? (endpoint.startsWith("https:") ? "sigv4" : "none")) as "sigv4" | "none";
  try {
    const client = new TaskStatusClient({
      endpoint,
      signing,
      ...(values.region === undefined ? {} : { region: values.region }),
    });
    if (command === "get") {
      const task = await client.getTask(taskId);
      io.stdout.write(`${JSON.stringify(task, null, 2)}\n`);
      return isFailed(task) ? EXIT.failed : EXIT.completed;
    }
    const progress = progressLine(io.stderr);
    const task = await client
      .waitForTask(taskId, {
        maxWaitSeconds: Number(values.timeout ?? "300"),
        ...(values["min-delay"] === undefined ? {} : { minDelaySeconds: Number(values["min-delay"]) }),
        ...(values["max-delay"] === undefined ? {} : { maxDelaySeconds: Number(values["max-delay"]) }),
        onPoll: progress.update,
      })
      .finally(progress.end);
    io.stdout.write(`${JSON.stringify(task, null, 2)}\n`);
    return EXIT.completed;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function parseCliArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      endpoint: { type: "string" },
      region: { type: "string" },
      signing: { type: "string" },
      timeout: { type: "string" },
      "min-delay": { type: "string" },
      "max-delay": { type: "string" },
    },
  });
  const [command, taskId, ...extra] = positionals;
  if ((command !== "get" && command !== "wait") || taskId === undefined || extra.length > 0) {
    throw new Error("expected a command (get or wait) and one task ID");
  }
  for (const name of ["timeout", "min-delay", "max-delay"] as const) {
    const value = values[name];
    if (value !== undefined && !(Number(value) > 0)) throw new Error(`--${name} must be a positive number of seconds`);
  }
  if (values.signing !== undefined && values.signing !== "sigv4" && values.signing !== "none") {
    throw new Error("--signing must be sigv4 or none");
  }
  return { command, taskId, values };
}

function reportFailure(error: unknown, io: Io): number {
  if (error instanceof TaskFailedError) {
    io.stdout.write(`${JSON.stringify(error.task, null, 2)}\n`);
    io.stderr.write(`${error.message}\n`);
    return EXIT.failed;
  }
  if (error instanceof TaskNotFoundError || error instanceof InvalidTaskIdError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.notFound;
  }
  if (error instanceof TaskWaitTimeoutError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.timedOut;
  }
  io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.error;
}

/** One line per poll; on a terminal, one line rewritten in place. */
function progressLine(stderr: Io["stderr"]) {
  const live = stderr.isTTY === true;
  let drawn = false;
  return {
    update: (event: PollEvent) => {
      const status = describe(event.task);
      const next =
        event.nextPollNotBeforeSeconds === undefined ? "" : `, next poll in ≥${event.nextPollNotBeforeSeconds}s`;
      const line = `poll ${event.attempt}: ${status} after ${event.elapsedSeconds.toFixed(1)}s${event.notModified ? " (unchanged)" : ""}${next}`;
      if (live) {
        stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        stderr.write(`${line}\n`);
      }
    },
    end: () => {
      if (live && drawn) stderr.write("\n");
    },
  };
}

function describe(task: Task): string {
  return task.Status ?? (task.Result === undefined ? "no status" : "result ready");
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
