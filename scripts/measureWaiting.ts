/**
 * `npm run measure:waiting`: what server-timed polling and the batch route save callers, on the
 * local server over the emulators.
 *
 * 1. Waiting: 20 tasks of 5 to 120 s, half reporting progress every 5 s, half silent, driven by
 *    the processor kit. Each is followed by two waiters at once: the client as it is now (polls
 *    when the server's Retry-After says) and the schedule callers had before (the SDK waiters'
 *    own backoff from 2 s to 30 s, whatever the server says). Per task: polls, and how late the
 *    completion was learned (from the kit's complete() to the waiter's answer).
 * 2. Batch: the function's CPU for one POST /tasks/batch-get of 100 tasks against 100 single GETs
 *    of the same tasks, in this process (the handler and the SDK; DynamoDB Local runs apart).
 * Prints both tables. Takes about two and a half minutes: the longest task runs 120 s.
 */
import type { AddressInfo } from "node:net";
import { TaskStatusClient } from "@task-api/client";
import { BATCH_GET_ROUTE_KEY, TASK_ROUTE_KEY } from "@task-api/contract";
import { TaskWriter } from "@task-api/processor";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { pollDelayMs } from "../client/retrySchedule";
import { loadHandlerConfig } from "../handler/config";
import { createHandler } from "../handler/createHandler";
import { startEmbeddedBackends } from "../local/embeddedBackends";
import { createLocalApiServer } from "../local/localApiServer";

const LENGTHS_SECONDS = [5, 10, 15, 20, 30, 45, 60, 75, 90, 120];
const REPORT_EVERY_MS = 5000;
const BATCH_SIZE = 100;
const BATCH_ROUNDS = 5;

interface Followed {
  polls: number;
  learnedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A client whose requests for each task are counted. */
function countingClient(base: string, counts: Map<string, number>): TaskStatusClient {
  return new TaskStatusClient({
    endpoint: base,
    signing: "none",
    fetch: (input, init) => {
      const id = decodeURIComponent(String(input).split("/task/")[1] ?? "");
      counts.set(id, (counts.get(id) ?? 0) + 1);
      return fetch(input, init);
    },
  });
}

/** The schedule callers had before: the waiters' own backoff, 2 s growing to 30 s, Retry-After ignored. */
async function followWithOwnBackoff(client: TaskStatusClient, taskId: string): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    const task = await client.getTask(taskId);
    if (task.Status === "completed" || task.Status === "failed") return Date.now();
    await sleep(pollDelayMs({ attempt, retryAfterSeconds: undefined, minDelaySeconds: 2, maxDelaySeconds: 30 }));
  }
}

async function measureWaiting(base: string, writer: TaskWriter) {
  const nowCounts = new Map<string, number>();
  const beforeCounts = new Map<string, number>();
  const now = countingClient(base, nowCounts);
  const before = countingClient(base, beforeCounts);
  const tasks = LENGTHS_SECONDS.flatMap((seconds) => [
    { id: `wait-${seconds}s-progress`, seconds, reports: true },
    { id: `wait-${seconds}s-silent`, seconds, reports: false },
  ]);
  const completedAt = new Map<string, number>();
  const rows = await Promise.all(
    tasks.map(async ({ id, seconds, reports }) => {
      const started = Date.now();
      await writer.start({ TaskId: id, TaskType: "document", SourceBucket: "media-bucket", SourceKey: "in.pdf" });
      const driver = (async () => {
        while (Date.now() - started < seconds * 1000) {
          await sleep(Math.min(REPORT_EVERY_MS, seconds * 1000 - (Date.now() - started)));
          const elapsed = Date.now() - started;
          if (reports && elapsed < seconds * 1000)
            await writer.progress(id, Math.floor((elapsed / (seconds * 1000)) * 100));
        }
        await writer.complete(id, { Result: "done" });
        completedAt.set(id, Date.now());
      })();
      const [nowLearned, beforeLearned] = await Promise.all([
        now.waitForTask(id, { maxWaitSeconds: seconds + 120 }).then(() => Date.now()),
        followWithOwnBackoff(before, id),
        driver,
      ]);
      const done = completedAt.get(id) ?? Number.NaN;
      const followed = (learnedAt: number, counts: Map<string, number>): Followed => ({
        polls: counts.get(id) ?? 0,
        learnedAt: (learnedAt - done) / 1000,
      });
      return {
        id,
        seconds,
        reports,
        now: followed(nowLearned, nowCounts),
        before: followed(beforeLearned, beforeCounts),
      };
    }),
  );
  return rows;
}

function event(routeKey: string, taskIds: string[]): APIGatewayProxyEventV2 {
  const single = routeKey === TASK_ROUTE_KEY;
  return {
    version: "2.0",
    routeKey,
    rawPath: single ? `/task/${taskIds[0]}` : "/tasks/batch-get",
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    ...(single ? { pathParameters: { task_id: taskIds[0] ?? "" } } : { body: JSON.stringify({ TaskIds: taskIds }) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "measure",
      domainName: "localhost",
      domainPrefix: "local",
      http: { method: single ? "GET" : "POST", path: "/", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" },
      requestId: "measure",
      routeKey,
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
  };
}

const unused = () => undefined;
const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "measure",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:measure",
  memoryLimitInMB: "128",
  awsRequestId: "measure",
  logGroupName: "/aws/lambda/measure",
  logStreamName: "measure",
  getRemainingTimeInMillis: () => 5000,
  done: unused,
  fail: unused,
  succeed: unused,
};

async function measureBatchCpu(writer: TaskWriter) {
  const handler = createHandler(loadHandlerConfig(process.env));
  const ids = Array.from({ length: BATCH_SIZE }, (_, i) => `cpu-${i}`);
  for (let i = 0; i < ids.length; i += 25) {
    await Promise.all(
      ids
        .slice(i, i + 25)
        .map((TaskId) =>
          writer.start({ TaskId, TaskType: "document", SourceBucket: "media-bucket", SourceKey: "in.pdf" }),
        ),
    );
  }
  const cpuOf = async (work: () => Promise<unknown>) => {
    const start = process.cpuUsage();
    await work();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  // Warm both paths once: a cold start is not what this compares.
  await handler(event(BATCH_GET_ROUTE_KEY, ids), context);
  for (const id of ids.slice(0, 10)) await handler(event(TASK_ROUTE_KEY, [id]), context);
  const singles: number[] = [];
  const batches: number[] = [];
  for (let round = 0; round < BATCH_ROUNDS; round += 1) {
    singles.push(
      await cpuOf(async () => {
        for (const id of ids) await handler(event(TASK_ROUTE_KEY, [id]), context);
      }),
    );
    batches.push(await cpuOf(() => handler(event(BATCH_GET_ROUTE_KEY, ids), context)));
  }
  return { singlesMs: median(singles), batchMs: median(batches) };
}

async function main(): Promise<void> {
  const backends = await startEmbeddedBackends();
  try {
    Object.assign(process.env, backends.env);
    const server = createLocalApiServer(createHandler(loadHandlerConfig(process.env)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const writer = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo });
    const rows = await measureWaiting(base, writer);
    server.closeAllConnections();
    server.close();

    console.log(
      `waiting for ${rows.length} tasks (Node ${process.version}); lateness = learned after complete(), seconds`,
    );
    console.log("task                     polls now  polls before  late now  late before");
    for (const row of rows) {
      console.log(
        `${row.id.padEnd(24)} ${String(row.now.polls).padStart(9)}  ${String(row.before.polls).padStart(12)}  ${row.now.learnedAt.toFixed(1).padStart(8)}  ${row.before.learnedAt.toFixed(1).padStart(11)}`,
      );
    }
    const total = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
    console.log(
      `${"mean".padEnd(24)} ${(total((r) => r.now.polls) / rows.length).toFixed(1).padStart(9)}  ${(total((r) => r.before.polls) / rows.length).toFixed(1).padStart(12)}  ${(total((r) => r.now.learnedAt) / rows.length).toFixed(1).padStart(8)}  ${(total((r) => r.before.learnedAt) / rows.length).toFixed(1).padStart(11)}`,
    );

    const { singlesMs, batchMs } = await measureBatchCpu(writer);
    console.log("");
    console.log(
      `function CPU for ${BATCH_SIZE} tasks (median of ${BATCH_ROUNDS}): ${BATCH_SIZE} single GETs ${singlesMs.toFixed(1)} ms, one batch ${batchMs.toFixed(1)} ms`,
    );
    console.log(
      `per task: single ${(singlesMs / BATCH_SIZE).toFixed(3)} ms, batch ${(batchMs / BATCH_SIZE).toFixed(3)} ms (${(batchMs / singlesMs).toFixed(2)}x)`,
    );
  } finally {
    await backends.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
