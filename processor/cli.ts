/**
 * task-record: write task records from a shell, as a processor or an operator would.
 * `task-record --help` prints the usage below.
 */
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { boundedClientConfig, type CallBounds, callBoundsFrom, withinCallTimeout } from "./callBounds.js";
import { createTaskTable } from "./createTaskTable.js";
import {
  InvalidTaskInputError,
  MalformedTaskRecordError,
  TaskAlreadyExistsError,
  TaskCallTimeoutError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  TaskTransitionError,
} from "./errors.js";
import { captureRequests, RequestCapturedError } from "./printedRequest.js";
import { redeliverTaskWebhook } from "./redeliverTaskWebhook.js";
import { republishTaskEvent } from "./republishTaskEvent.js";
import type { TaskRecord } from "./taskRecord.js";
import { TaskWriter } from "./taskWriter.js";

export const EXIT = { written: 0, help: 0, notFound: 2, refused: 3, error: 4, timedOut: 5 } as const;

export const USAGE = `usage: task-record start --type TYPE --source-bucket BUCKET --source-key KEY [--target-bucket BUCKET] [--target-key KEY]
                         [--id TASK_ID] [--correlation-id ID] [--callback-url URL] [--estimated-seconds SECONDS]
                         [--heartbeat SECONDS] [--timeout SECONDS]
       task-record progress <task_id> <percent>
       task-record heartbeat <task_id>
       task-record complete <task_id> [--target-bucket BUCKET] [--target-key KEY] [--result TEXT]
       task-record fail <task_id> <error message> [--code ERROR_CODE]
       task-record create-table --table NAME [--endpoint URL]
       task-record republish <task_id> --bus NAME --stack NAME
       task-record redeliver <task_id> --queue URL
       task-record --help
       any task command: [--print-request]; any command: [--json]
                         [--call-timeout MS] [--connect-timeout MS] [--request-timeout MS] [--attempts N]

Each task command is one conditional write and prints the task's record as JSON. create-table
makes the task table as the Pulumi program defines it (key, stream, deadline indexes, TTL), for
tests against DynamoDB Local. republish puts a finished task's Task Completed / Task Failed event
on the stack's bus again, from its record as the table holds it now (the recovery for an event
that ended in the dead-letter queue; it needs dynamodb:GetItem and events:PutEvents). redeliver
queues a finished task's webhook again, with the same webhook-id and a fresh schedule of attempts
(the recovery for a delivery in the webhook dead-letter queue; dynamodb:GetItem, sqs:SendMessage).

options:
  --table NAME          the task table (or TASK_TABLE_NAME, or DDB_TABLE_NAME)
  --endpoint URL        a DynamoDB endpoint (or AWS_ENDPOINT_URL_DYNAMODB; default: AWS)
  --region REGION       (or AWS_REGION); credentials come from the standard AWS chain
  --retention-days N    start: how long the record lives (ExpiresAt, the table's TTL; default 30)
  --heartbeat SECONDS   start: fail the task when no start, progress or heartbeat comes for this long
  --timeout SECONDS     start: fail the task when it is not finished this long after its start
  --correlation-id ID   start: the caller's own reference, carried by the task's events
  --callback-url URL    start: where the task's signed webhook goes when it completes or fails
                        (absolute https:// or http://, at most 2,048 characters, no user info)
  --estimated-seconds N start: how long the task should take; callers poll around it until progress
  --code ERROR_CODE     fail: a machine-readable reason (A-Z 0-9 _; DEADLINE_EXCEEDED is reserved)
  --print-request       start, progress, heartbeat, complete, fail: print the one DynamoDB request
                        the command makes (DynamoDB's JSON, as aws dynamodb <op> --cli-input-json,
                        boto3 and the Go SDK take it) instead of sending it; needs no credentials
  --json                every outcome as one JSON document on stdout: the record (or what the
                        command made), or {"error": {"name", "message", "exitCode"}, "record"?}
  --bus NAME            republish: the stack's event bus (pulumi stack output eventBusName)
  --stack NAME          republish: the stack's name, as its events carry it
  --queue URL           redeliver: the sender's queue (pulumi stack output webhookQueueUrl)
  --call-timeout MS     the most one command's calls take, retries included (default 3000); past
                        it, no attempt is sent and the command exits 5
  --connect-timeout MS  the most a connection takes to open (default 500)
  --request-timeout MS  the most one attempt waits for its answer (default 1000)
  --attempts N          attempts in all for each request, the first included (default 3)
  -h, --help            print this and exit 0

exit codes:
  0  written (or the same write had already been made)
  2  no such task
  3  refused: the task is not in progress (terminal states are final), is past a deadline,
     already exists with other content, was updated later than this write's time, or is a
     record the table holds that the writer cannot read (printed as stored)
  4  usage error, or an AWS error
  5  out of time (--call-timeout) without an answer: whether it was written is unknown; the
     same command again is safe`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {
  override name = "UsageError";
}

/** Runs the CLI; resolves with the exit code. */
export async function runTaskRecordCli(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        table: { type: "string" },
        endpoint: { type: "string" },
        region: { type: "string" },
        "retention-days": { type: "string" },
        id: { type: "string" },
        type: { type: "string" },
        "source-bucket": { type: "string" },
        "source-key": { type: "string" },
        "target-bucket": { type: "string" },
        "target-key": { type: "string" },
        result: { type: "string" },
        heartbeat: { type: "string" },
        timeout: { type: "string" },
        "correlation-id": { type: "string" },
        "callback-url": { type: "string" },
        "estimated-seconds": { type: "string" },
        queue: { type: "string" },
        code: { type: "string" },
        bus: { type: "string" },
        stack: { type: "string" },
        "call-timeout": { type: "string" },
        "connect-timeout": { type: "string" },
        "request-timeout": { type: "string" },
        attempts: { type: "string" },
        "print-request": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help === true) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.help;
    }
    const [command, taskId, ...rest] = positionals;
    const tableName = values.table ?? io.env.TASK_TABLE_NAME ?? io.env.DDB_TABLE_NAME;
    if (tableName === undefined || tableName === "") {
      throw new UsageError("no table: pass --table NAME or set TASK_TABLE_NAME");
    }
    const retention = values["retention-days"];
    const retentionDays = retention === undefined ? undefined : Number(retention);
    if (retentionDays !== undefined && !(Number.isFinite(retentionDays) && retentionDays > 0)) {
      throw new UsageError(`--retention-days ${retention} is not a positive number of days`);
    }
    const printRequest = values["print-request"] === true;
    const bounds = callBoundsFrom({
      ...whole("call-timeout", values["call-timeout"], "callTimeoutMs"),
      ...whole("connect-timeout", values["connect-timeout"], "connectionTimeoutMs"),
      ...whole("request-timeout", values["request-timeout"], "requestTimeoutMs"),
      ...whole("attempts", values.attempts, "maxAttempts"),
    });
    // Every client the command makes (DynamoDB, EventBridge, SQS): the bounds and the region.
    const clientConfig = {
      ...boundedClientConfig(bounds),
      ...(values.region === undefined ? {} : { region: values.region }),
    };
    const client = new DynamoDBClient({
      ...clientConfig,
      ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
      // Nothing is sent when printing: no region or credentials need be found.
      ...(printRequest
        ? { region: values.region ?? "us-east-1", credentials: { accessKeyId: "unused", secretAccessKey: "unused" } }
        : {}),
    });
    if (printRequest) {
      if (command === "republish" || command === "redeliver" || command === "create-table") {
        throw new UsageError(
          "--print-request prints a task command's write: start, progress, heartbeat, complete, fail",
        );
      }
      captureRequests(client);
    }
    if (command === "republish") {
      if (taskId === undefined || rest.length > 0) throw new UsageError("republish needs one task ID");
      if (values.bus === undefined || values.stack === undefined) {
        throw new UsageError("republish needs --bus NAME and --stack NAME (pulumi stack output eventBusName)");
      }
      const events = new EventBridgeClient(clientConfig);
      const { bus, stack } = values;
      const detail = await withinCallTimeout(`republish(${taskId})`, bounds, () =>
        republishTaskEvent({ dynamo: client, events, tableName, busName: bus, stack, taskId }),
      );
      io.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
      return EXIT.written;
    }
    if (command === "redeliver") {
      if (taskId === undefined || rest.length > 0) throw new UsageError("redeliver needs one task ID");
      if (values.queue === undefined) {
        throw new UsageError("redeliver needs --queue URL (pulumi stack output webhookQueueUrl)");
      }
      const sqs = new SQSClient(clientConfig);
      const { queue } = values;
      const job = await withinCallTimeout(`redeliver(${taskId})`, bounds, () =>
        redeliverTaskWebhook({ dynamo: client, sqs, tableName, queueUrl: queue, taskId }),
      );
      io.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
      return EXIT.written;
    }
    if (command === "create-table") {
      if (taskId !== undefined) throw new UsageError("create-table takes no positional argument; give --table NAME");
      await createTaskTable(client, tableName);
      io.stdout.write(`${JSON.stringify({ created: tableName })}\n`);
      return EXIT.written;
    }
    const writer = new TaskWriter({
      tableName,
      client,
      callTimeoutMs: bounds.callTimeoutMs,
      ...(retentionDays === undefined ? {} : { retentionDays }),
    });
    const record = await run(writer, command, taskId, rest, values).catch((error: unknown) => {
      if (error instanceof RequestCapturedError) return error.request;
      throw error;
    });
    io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    return EXIT.written;
  } catch (error) {
    return report(error, io, argv.includes("--json"));
  }
}

async function run(
  writer: TaskWriter,
  command: string | undefined,
  taskId: string | undefined,
  rest: string[],
  values: Record<string, string | boolean | undefined>,
): Promise<TaskRecord> {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const need = (name: string) => {
    const value = text(name);
    if (value === undefined) throw new UsageError(`${command} needs --${name}`);
    return value;
  };
  switch (command) {
    case "start": {
      if (taskId !== undefined) throw new UsageError(`start takes no positional task ID; give --id ${taskId}`);
      return writer.start(
        {
          ...(text("id") === undefined ? {} : { TaskId: need("id") }),
          TaskType: need("type"),
          SourceBucket: need("source-bucket"),
          SourceKey: need("source-key"),
          ...(text("target-bucket") === undefined ? {} : { TargetBucket: need("target-bucket") }),
          ...(text("target-key") === undefined ? {} : { TargetKey: need("target-key") }),
          ...(text("correlation-id") === undefined ? {} : { CorrelationId: need("correlation-id") }),
          ...(text("callback-url") === undefined ? {} : { CallbackUrl: need("callback-url") }),
          ...(text("estimated-seconds") === undefined
            ? {}
            : { EstimatedSeconds: seconds("estimated-seconds", need("estimated-seconds")) }),
        },
        {
          ...(text("heartbeat") === undefined ? {} : { heartbeatSeconds: seconds("heartbeat", need("heartbeat")) }),
          ...(text("timeout") === undefined ? {} : { timeoutSeconds: seconds("timeout", need("timeout")) }),
        },
      );
    }
    case "progress": {
      const [percent, ...extra] = rest;
      if (taskId === undefined || percent === undefined || extra.length > 0) {
        throw new UsageError("progress needs a task ID and a percentage: task-record progress <task_id> <percent>");
      }
      if (!/^\d{1,3}$/.test(percent)) throw new UsageError(`${percent} is not a whole percentage from 0 to 100`);
      return writer.progress(taskId, Number(percent));
    }
    case "heartbeat":
      if (taskId === undefined || rest.length > 0) throw new UsageError("heartbeat needs one task ID");
      return writer.heartbeat(taskId);
    case "complete":
      if (taskId === undefined || rest.length > 0) throw new UsageError("complete needs one task ID");
      return writer.complete(taskId, {
        ...(text("target-bucket") === undefined ? {} : { TargetBucket: need("target-bucket") }),
        ...(text("target-key") === undefined ? {} : { TargetKey: need("target-key") }),
        ...(text("result") === undefined ? {} : { Result: need("result") }),
      });
    case "fail":
      if (taskId === undefined || rest.length === 0) {
        throw new UsageError("fail needs a task ID and the error: task-record fail <task_id> <error message>");
      }
      return writer.fail(taskId, rest.join(" "), text("code") === undefined ? {} : { errorCode: need("code") });
    default:
      throw new UsageError(
        command === undefined
          ? "no command: give start, progress, heartbeat, complete, fail, create-table, republish or redeliver"
          : `unknown command ${JSON.stringify(command)}: give start, progress, heartbeat, complete, fail, create-table, republish or redeliver`,
      );
  }
}

/** A whole-number option for one of the call bounds, or nothing when it was not given. */
function whole(option: string, raw: string | undefined, name: keyof CallBounds): Partial<CallBounds> {
  if (raw === undefined) return {};
  if (!/^\d{1,6}$/.test(raw)) throw new UsageError(`--${option} ${raw} is not a whole number`);
  return { [name]: Number(raw) };
}

/** A whole number of seconds from an option, as the deadlines take it. */
function seconds(option: string, raw: string): number {
  if (!/^\d{1,7}$/.test(raw)) throw new UsageError(`--${option} ${raw} is not a whole number of seconds`);
  return Number(raw);
}

function report(error: unknown, io: Io, json: boolean): number {
  const code = exitCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const record = recordOf(error);
  if (json) {
    const name = error instanceof Error ? error.name : "Error";
    const body = { error: { name, message, exitCode: code }, ...(record === undefined ? {} : { record }) };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return code;
  }
  if (record !== undefined) io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  io.stderr.write(isUsage(error) ? `${message}\n\n${USAGE}\n` : `${message}\n`);
  return code;
}

function isUsage(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof InvalidTaskInputError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true
  );
}

/** The record a refusal carries: the task as the table holds it (or the item it could not read). */
function recordOf(error: unknown): unknown {
  if (
    error instanceof TaskTransitionError ||
    error instanceof TaskAlreadyExistsError ||
    error instanceof TaskOutOfOrderError
  ) {
    return error.record;
  }
  return error instanceof MalformedTaskRecordError ? error.item : undefined;
}

function exitCodeOf(error: unknown): number {
  if (error instanceof TaskNotFoundError) return EXIT.notFound;
  if (error instanceof TaskCallTimeoutError) return EXIT.timedOut;
  return recordOf(error) === undefined ? EXIT.error : EXIT.refused;
}
