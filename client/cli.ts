/**
 * task-status: the API from a shell. `task-status --help` prints the usage below.
 */
import { parseArgs } from "node:util";
import {
  InvalidTaskIdError,
  TaskClientConfigError,
  TaskFailedError,
  TaskNotFoundError,
  TasksWaitTimeoutError,
  TaskWaitTimeoutError,
} from "./errors.js";
import { isFailed, type Task } from "./task.js";
import { type PollEvent, TaskStatusClient } from "./taskStatusClient.js";
import { createTaskWebhookListener } from "./webhookListener.js";

/** `answered` is `get`'s 0 for a task that has not failed (completed or still in progress), `completed` wait's. */
export const EXIT = { completed: 0, answered: 0, help: 0, failed: 1, notFound: 2, timedOut: 3, error: 4 } as const;

/** The numeric options, their bounds in seconds, and their defaults. */
const NUMBERS = {
  timeout: { min: 1, max: 86_400, default: 300 },
  "min-delay": { min: 0.1, max: 3600, default: 2 },
  "max-delay": { min: 0.1, max: 3600, default: 30 },
} as const;
type NumberOption = keyof typeof NUMBERS;

export const USAGE = `usage: task-status get <task_id>... [options]
       task-status wait <task_id>... [--timeout SECONDS] [--min-delay SECONDS] [--max-delay SECONDS] [options]
       task-status listen --port PORT [--host HOST] [--secret whsec_...] [--count N]
       task-status --help

  get    print the task as JSON (several IDs: one JSON line per task, in one request per 100)
  wait   poll until the task finishes (progress on stderr), then print it as JSON; several IDs:
         one request per round for the unfinished ones, each task's JSON line as it finishes
  listen receive task webhooks on http://HOST:PORT/ (any path): verify each delivery's signature
         and timestamp, print it as one JSON line {"webhookId", "type", "timestamp", "data"}
         and answer 204; answer 401 to one that does not verify (named on stderr)

options:
  --endpoint URL        the API's base URL, with its scheme (or TASK_API_ENDPOINT), e.g.
                        http://127.0.0.1:3000 or https://<api-id>.execute-api.<region>.amazonaws.com/
  --signing sigv4|none  sign requests with SigV4 (default for https) or not (default for http)
  --region REGION       the region to sign for (default: from an execute-api hostname, or AWS_REGION)
  --timeout SECONDS     wait: give up after this long (${NUMBERS.timeout.min} to ${NUMBERS.timeout.max}, default ${NUMBERS.timeout.default})
  --min-delay SECONDS   wait: least time between polls (${NUMBERS["min-delay"].min} to ${NUMBERS["min-delay"].max}); polls otherwise come when the API's Retry-After says
  --max-delay SECONDS   wait: most time between polls when the API gives no Retry-After (${NUMBERS["max-delay"].min} to ${NUMBERS["max-delay"].max}, default ${NUMBERS["max-delay"].default})
  --port PORT           listen: the port (0 for any free one, printed on stderr)
  --host HOST           listen: the address to listen on (default 127.0.0.1)
  --secret whsec_...    listen: the signing secret (or WEBHOOK_SIGNING_SECRET)
  --count N             listen: exit 0 after N verified deliveries (default: run until stopped)
  -h, --help            print this and exit 0

exit codes (with several IDs, the first that applies, from the bottom up):
  0  wait: completed; get: the API answered a task that has not failed (completed or in
     progress); several: all of them
  1  the task failed (its JSON on stdout, the error on stderr); several: at least one did
  2  no such task, or an invalid task ID; several: at least one has no task
  3  wait: the task did not finish in time; several: at least one did not
  4  API or network error (after retries), or a usage error`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** A command line the CLI cannot run; the message names the value and what would fix it. */
class UsageError extends Error {}

interface Invocation {
  command: "get" | "wait";
  taskIds: string[];
  endpoint: URL;
  signing: "sigv4" | "none";
  region: string | undefined;
  numbers: Partial<Record<NumberOption, number>>;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  if (argv[0] === "listen") return runListener(argv.slice(1), io);
  let invocation: Invocation | "help";
  try {
    invocation = parseInvocation(argv, io.env);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return EXIT.error;
  }
  if (invocation === "help") {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.help;
  }
  const { command, taskIds, endpoint, signing, region, numbers } = invocation;
  try {
    const client = new TaskStatusClient({
      endpoint: endpoint.href,
      signing,
      ...(region === undefined ? {} : { region }),
    });
    if (taskIds.length > 1) return await runForMany(client, command, taskIds, numbers, io);
    const [taskId = ""] = taskIds;
    if (command === "get") {
      const task = await client.getTask(taskId);
      io.stdout.write(`${JSON.stringify(task, null, 2)}\n`);
      return isFailed(task) ? EXIT.failed : EXIT.answered;
    }
    const progress = progressLine(io.stderr);
    const task = await client
      .waitForTask(taskId, {
        maxWaitSeconds: numbers.timeout ?? NUMBERS.timeout.default,
        ...(numbers["min-delay"] === undefined ? {} : { minDelaySeconds: numbers["min-delay"] }),
        ...(numbers["max-delay"] === undefined ? {} : { maxDelaySeconds: numbers["max-delay"] }),
        onPoll: progress.update,
      })
      .finally(progress.end);
    io.stdout.write(`${JSON.stringify(task, null, 2)}\n`);
    return EXIT.completed;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function parseInvocation(argv: string[], env: NodeJS.ProcessEnv): Invocation | "help" {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // node:util's own message ("Unknown option '--x'") names the value; the usage says what fixes it.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return "help";
  const [command, ...taskIds] = positionals;
  if (command !== "get" && command !== "wait") {
    throw new UsageError(
      command === undefined
        ? "no command: give get, wait or listen"
        : `unknown command ${JSON.stringify(command)}: give get, wait or listen`,
    );
  }
  if (taskIds.length === 0) throw new UsageError(`${command} needs a task ID: task-status ${command} <task_id>...`);

  const numbers: Partial<Record<NumberOption, number>> = {};
  for (const name of Object.keys(NUMBERS) as NumberOption[]) {
    const raw = values[name];
    if (raw === undefined) continue;
    const { min, max } = NUMBERS[name];
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
      throw new UsageError(`--${name} ${raw} is not a number of seconds from ${min} to ${max}`);
    }
    numbers[name] = value;
  }
  if (command === "get") {
    const given = (Object.keys(numbers) as NumberOption[]).map((name) => `--${name}`);
    if (given.length > 0) throw new UsageError(`${given.join(", ")} only apply to wait`);
  }
  const minDelay = numbers["min-delay"];
  const maxDelay = numbers["max-delay"];
  if (minDelay !== undefined && maxDelay !== undefined && minDelay > maxDelay) {
    throw new UsageError(`--min-delay ${minDelay} is more than --max-delay ${maxDelay}: make it at most ${maxDelay}`);
  }

  const rawEndpoint = values.endpoint ?? env.TASK_API_ENDPOINT;
  if (rawEndpoint === undefined || rawEndpoint === "") {
    throw new UsageError("no endpoint: pass --endpoint URL or set TASK_API_ENDPOINT");
  }
  const endpoint = parseEndpoint(rawEndpoint, values.endpoint === undefined ? "TASK_API_ENDPOINT" : "--endpoint");
  const signing = values.signing ?? (endpoint.protocol === "https:" ? "sigv4" : "none");
  if (signing !== "sigv4" && signing !== "none") {
    throw new UsageError(`--signing ${signing} is not a signing mode: give sigv4 or none`);
  }
  return { command, taskIds, endpoint, signing, region: values.region, numbers };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      endpoint: { type: "string" },
      region: { type: "string" },
      signing: { type: "string" },
      timeout: { type: "string" },
      "min-delay": { type: "string" },
      "max-delay": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/**
 * `task-status listen`: a webhook receiver that prints each verified delivery as a JSON line.
 * Runs until SIGINT or SIGTERM (exit 0), or until --count deliveries have arrived.
 */
async function runListener(argv: string[], io: Io): Promise<number> {
  let options: { port: number; host: string; secret: string; count: number | undefined };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        secret: { type: "string" },
        count: { type: "string" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`listen takes no argument, not ${positionals.join(" ")}`);
    const port = Number(values.port);
    if (values.port === undefined || !/^\d{1,5}$/.test(values.port) || port > 65_535) {
      throw new UsageError("listen needs --port PORT (0 to 65535)");
    }
    const secret = values.secret ?? io.env.WEBHOOK_SIGNING_SECRET ?? "";
    if (!secret.startsWith("whsec_")) {
      throw new UsageError("listen needs the signing secret: --secret whsec_... or WEBHOOK_SIGNING_SECRET");
    }
    const count = values.count === undefined ? undefined : Number(values.count);
    if (count !== undefined && !(Number.isInteger(count) && count >= 1)) {
      throw new UsageError(`--count ${values.count} is not a whole number of deliveries from 1`);
    }
    options = { port, host: values.host ?? "127.0.0.1", secret, count };
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return EXIT.error;
  }
  return new Promise((resolve) => {
    let received = 0;
    const stop = (code: number) => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      server.closeAllConnections();
      server.close(() => resolve(code));
    };
    const onSignal = () => stop(EXIT.completed);
    const server = createTaskWebhookListener({
      secret: options.secret,
      onDelivery: (delivery, webhookId) => {
        io.stdout.write(`${JSON.stringify({ webhookId, ...delivery })}\n`);
        received += 1;
        if (options.count !== undefined && received >= options.count) stop(EXIT.completed);
      },
      onRejected: (reason) => io.stderr.write(`rejected a delivery: ${reason}\n`),
    });
    server.once("error", (error) => {
      io.stderr.write(`listen: ${error.message}\n`);
      resolve(EXIT.error);
    });
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : options.port;
      io.stderr.write(`listening for task webhooks on http://${options.host}:${port}/\n`);
    });
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

/** An http(s) URL; anything else is a usage error that shows what a valid one looks like. */
function parseEndpoint(raw: string, source: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const guess = /^[\w.-]+(:\d+)?(\/|$)/.test(raw) ? ` (did you mean http://${raw} ?)` : "";
    throw new UsageError(`${source} ${raw} is not an http(s) URL: give the scheme, e.g. http://127.0.0.1:3000${guess}`);
  }
  return url;
}

/**
 * Several IDs: `get` prints each task found as one JSON line, in the order asked; `wait` prints
 * each as it finishes. An ID with no task is named on stderr. The exit code is the worst outcome.
 */
async function runForMany(
  client: TaskStatusClient,
  command: "get" | "wait",
  taskIds: string[],
  numbers: Partial<Record<NumberOption, number>>,
  io: Io,
): Promise<number> {
  const line = (task: Task) => io.stdout.write(`${JSON.stringify(task)}\n`);
  let timedOut = false;
  let batch: { tasks: Task[]; notFound: string[] };
  if (command === "get") {
    batch = await client.getTasks(taskIds);
    for (const task of batch.tasks) line(task);
  } else {
    try {
      batch = await client.waitForTasks(taskIds, {
        maxWaitSeconds: numbers.timeout ?? NUMBERS.timeout.default,
        ...(numbers["min-delay"] === undefined ? {} : { minDelaySeconds: numbers["min-delay"] }),
        ...(numbers["max-delay"] === undefined ? {} : { maxDelaySeconds: numbers["max-delay"] }),
        onTaskFinished: (task) => {
          line(task);
          if (isFailed(task)) io.stderr.write(`${new TaskFailedError(task).message}\n`);
        },
      });
    } catch (error) {
      if (!(error instanceof TasksWaitTimeoutError)) throw error;
      io.stderr.write(`${error.message}\n`);
      timedOut = true;
      batch = { tasks: [], notFound: [] };
    }
  }
  for (const taskId of batch.notFound) io.stderr.write(`Task not found: ${taskId}\n`);
  if (timedOut) return EXIT.timedOut;
  if (batch.notFound.length > 0) return EXIT.notFound;
  if (batch.tasks.some(isFailed)) return EXIT.failed;
  return command === "get" ? EXIT.answered : EXIT.completed;
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
  if (error instanceof TaskClientConfigError) {
    io.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return EXIT.error;
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
      const next = event.nextPollInSeconds === undefined ? "" : `, next poll in ${event.nextPollInSeconds.toFixed(1)}s`;
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
  const status = task.Status ?? (task.Result === undefined ? "no status" : "result ready");
  return task.Progress === undefined || task.Status !== "processing" ? status : `${status} ${task.Progress}%`;
}
