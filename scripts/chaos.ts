/**
 * `npm run chaos [-- --lifecycles 240 --writers 8 --pollers 4 --max-seconds 240 --seed N]`: a
 * fault run against the processor kit, the local API and the sweeper, on loopback only.
 *
 * Writers (the kit, 1 s heartbeats) reach DynamoDB Local through a fault proxy
 * (scripts/chaos/faultProxy.ts) that delays requests, drops answers to writes that took effect,
 * resets connections and hangs; it also refuses connections for a second now and then, and
 * DynamoDB Local itself is killed and started again (its tables on disk) twice. Pollers follow
 * every task through the API, which reads DynamoDB Local directly, with the least deadline grace
 * a stack may set (5 s). Each lifecycle starts a task, reports progress at random intervals (some
 * past the heartbeat), and completes, fails or abandons it; a call that fails without an answer
 * is made again, as docs/writing-tasks.md tells processors to.
 *
 * Prints lifecycles, calls, faults, attempts whose answer was lost and how their calls ended,
 * calls made again after running out of attempts and how those were answered, polls,
 * 503s, regressions (an answer that contradicts an earlier terminal one or an acknowledged write,
 * progress going back) and acknowledged writes absent from the table; exits 1 on any regression
 * or absent write, 2 when it runs out of --max-seconds.
 */
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { DEADLINE_GRACE_SECONDS } from "@task-api/contract";
import {
  TaskCallTimeoutError,
  TaskDeadlineExceededError,
  TaskNotFoundError,
  TaskTransitionError,
  TaskWriter,
} from "@task-api/processor";
import { loadHandlerConfig } from "../handler/config";
import { createHandler } from "../handler/createHandler";
import { EMULATOR_CREDENTIALS, freePort, startDynamoDbLocal } from "../local/emulators";
import { createLocalApiServer } from "../local/localApiServer";
import { boundedClientConfig, DEFAULT_CALL_BOUNDS } from "../processor/callBounds";
import { createTaskTable } from "../processor/createTaskTable";
import { sweepDeadlines } from "../sweeper/sweepDeadlines";
import { type Fault, startFaultProxy } from "./chaos/faultProxy";

const { values } = parseArgs({
  options: {
    lifecycles: { type: "string", default: "240" },
    writers: { type: "string", default: "8" },
    pollers: { type: "string", default: "4" },
    "max-seconds": { type: "string", default: "240" },
    seed: { type: "string" },
  },
});
/** A whole-number option within its bounds: the run is bounded in count and time whatever is asked. */
function whole(name: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`chaos: --${name} must be a whole number from ${min} to ${max}, not ${raw}`);
    process.exit(2);
  }
  return value;
}
const LIFECYCLES = whole("lifecycles", values.lifecycles, 1, 2000);
const WRITERS = whole("writers", values.writers, 1, 32);
const POLLERS = whole("pollers", values.pollers, 1, 16);
const MAX_SECONDS = whole("max-seconds", values["max-seconds"], 10, 900);
const SEED =
  values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : whole("seed", values.seed, 0, 2 ** 31 - 1);
const GRACE_SECONDS = DEADLINE_GRACE_SECONDS.min;
const TABLE = "chaos-tasks";
const REGION = "us-east-1";

/** mulberry32: a seeded PRNG, so that a run can be repeated with --seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const between = (min: number, max: number) => min + random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One answer the API gave a poller. */
interface Seen {
  sent: number;
  received: number;
  status: string | undefined;
  progress: number | undefined;
}

/** What the run counts. */
const figures = {
  calls: 0,
  acknowledged: 0,
  refused: { deadline: 0, transition: 0 },
  /** Calls that threw without an answer (the kit's own retries spent), made again by the lifecycle. */
  ambiguous: 0,
  /** How the retry of an ambiguous call was answered. */
  retriedAs: { written: 0, deadline: 0, transition: 0, notFound: 0, gaveUp: 0 },
  /** Attempts whose answer the proxy dropped, reset or withheld (the SDK retries those itself), by how their call ended. */
  ambiguousAttempts: { written: 0, deadline: 0, transition: 0, notFound: 0, noAnswer: 0 },
  polls: 0,
  unavailable: 0,
  unavailableWithoutRetryAfter: 0,
  slowestPollMs: 0,
  sweeps: 0,
  sweepErrors: 0,
  sweptFailed: 0,
  restarts: 0,
  refusals: 0,
};
const regressions: string[] = [];
const seen = new Map<string, Seen[]>();
/** The terminal write the kit acknowledged for each task. */
const acknowledged = new Map<string, { Status: "completed" | "failed"; Result?: string; ErrorMessage?: string }>();
/** Tasks whose completion the kit refused as past the deadline. */
const refusedAsLate = new Set<string>();
const active = new Set<string>();
/** Attempts for each task whose answer was lost, not yet counted against the call they belonged to. */
const lostAnswers = new Map<string, number>();

async function main(): Promise<void> {
  const runStarted = Date.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), "task-api-chaos-"));
  const port = await freePort();
  let dynamo = await startDynamoDbLocal({ port, dataDir });
  const direct = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: EMULATOR_CREDENTIALS });
  await createTaskTable(direct, TABLE);

  const proxy = await startFaultProxy(
    () => dynamo.endpoint,
    (request) => {
      const fault = planFault();
      if (fault.kind === "dropAnswer" || fault.kind === "reset" || fault.kind === "hang") {
        const taskId = /"TaskId":\{"S":"([^"]+)"/.exec(request.body)?.[1];
        if (taskId !== undefined) lostAnswers.set(taskId, (lostAnswers.get(taskId) ?? 0) + 1);
      }
      return fault;
    },
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    DDB_TABLE_NAME: TABLE,
    TARGET_BUCKETS: "",
    DEADLINE_GRACE_SECONDS: String(GRACE_SECONDS),
    POWERTOOLS_LOG_LEVEL: "CRITICAL",
  });
  const server = createLocalApiServer(createHandler(loadHandlerConfig(process.env)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const proxied = () =>
    new DynamoDBClient({
      ...boundedClientConfig(DEFAULT_CALL_BOUNDS),
      endpoint: proxy.endpoint,
      region: REGION,
      credentials: EMULATOR_CREDENTIALS,
    });
  let running = true;
  const overrun = setTimeout(() => {
    console.error(`chaos: out of time after ${MAX_SECONDS} s`);
    // DynamoDB Local dies with this process (its exit hook); its folder goes now.
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(2);
  }, MAX_SECONDS * 1000);

  // The sweeper, every second, on DynamoDB Local directly (with the kit's bounds), as the stack's
  // and npm start's run beside the processors.
  const sweeping = (async () => {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        ...boundedClientConfig(DEFAULT_CALL_BOUNDS),
        endpoint: dynamo.endpoint,
        region: REGION,
        credentials: EMULATOR_CREDENTIALS,
      }),
    );
    while (running) {
      figures.sweeps += 1;
      try {
        figures.sweptFailed += (
          await sweepDeadlines({ documents, tableName: TABLE, graceSeconds: GRACE_SECONDS })
        ).failed;
      } catch {
        figures.sweepErrors += 1;
      }
      await sleep(1000);
    }
  })();
  // Refused connections now and then, and DynamoDB Local killed and started again twice.
  const disrupting = (async () => {
    for (let round = 1; running; round += 1) {
      await sleep(between(8000, 14_000));
      if (!running) break;
      if (round % 2 === 0 && figures.restarts < 2) {
        await dynamo.kill();
        await sleep(1500);
        dynamo = await startDynamoDbLocal({ port, dataDir });
        figures.restarts += 1;
      } else {
        figures.refusals += 1;
        await proxy.refuseFor(1000);
      }
    }
  })();
  const polling = Array.from({ length: POLLERS }, () => poll(base, () => running));

  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const writer = new TaskWriter({ tableName: TABLE, client: proxied() });
      while (next < LIFECYCLES) {
        next += 1;
        await lifecycle(writer, `chaos-${SEED}-${next}`);
      }
    }),
  );
  // Let every abandoned or late task pass its deadline and grace, and be swept.
  await sleep((GRACE_SECONDS + 3) * 1000);
  running = false;
  await Promise.all([sweeping, disrupting, ...polling]);

  // The last word, read from the table itself: every acknowledged terminal write must be there.
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: EMULATOR_CREDENTIALS }),
  );
  let absent = 0;
  for (const [taskId, ack] of acknowledged) {
    const { Item } = await documents.send(
      new GetCommand({ TableName: TABLE, Key: { TaskId: taskId }, ConsistentRead: true }),
    );
    if (Item?.Status !== ack.Status) {
      absent += 1;
      regressions.push(`${taskId}: the kit acknowledged ${ack.Status}, the table holds ${Item?.Status ?? "nothing"}`);
    }
  }
  // A completion refused as past the deadline on a retry, whose earlier attempt (built before the
  // deadline, its answer lost) landed afterwards within the grace: completed, and the API never
  // answered failed (the poll checks below say so if it did). docs/writing-tasks.md, "After an
  // ambiguous failure", tells processors to read the task after the grace in this case.
  let overturned = 0;
  for (const taskId of refusedAsLate) {
    const { Item } = await documents.send(
      new GetCommand({ TableName: TABLE, Key: { TaskId: taskId }, ConsistentRead: true }),
    );
    if (Item?.Status === "completed") overturned += 1;
  }
  for (const [taskId, answers] of seen) checkAnswers(taskId, answers);

  clearTimeout(overrun);
  server.closeAllConnections();
  server.close();
  await proxy.close();
  await dynamo.stop();
  await rm(dataDir, { recursive: true, force: true });

  const seconds = ((Date.now() - runStarted) / 1000).toFixed(1);
  console.log(
    `chaos run (seed ${SEED}, Node ${process.version}): ${LIFECYCLES} lifecycles, ${WRITERS} writers, ${POLLERS} pollers, ${seconds} s`,
  );
  console.log(
    `kit calls ${figures.calls}: acknowledged ${figures.acknowledged}, refused past a deadline ${figures.refused.deadline}, refused as a transition ${figures.refused.transition}`,
  );
  console.log(
    `faults applied: ${Object.entries(proxy.applied)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", ")}; connection refusals ${figures.refusals}; DynamoDB Local restarts ${figures.restarts}`,
  );
  const listed = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([how, n]) => `${how} ${n}`)
      .join(", ");
  const lost = Object.values(figures.ambiguousAttempts).reduce((sum, n) => sum + n, 0);
  console.log(
    `attempts whose answer was lost ${lost}; the calls they belonged to: ${listed(figures.ambiguousAttempts)}`,
  );
  console.log(
    `calls that ran out of attempts or time ${figures.ambiguous}; made again, answered: ${listed(figures.retriedAs)}`,
  );
  console.log(
    `completions refused as late on such a retry whose earlier attempt then landed (completed, never answered failed): ${overturned}`,
  );
  console.log(
    `polls ${figures.polls}: 503 ${figures.unavailable} (without Retry-After ${figures.unavailableWithoutRetryAfter}), slowest ${figures.slowestPollMs} ms`,
  );
  console.log(
    `sweeps ${figures.sweeps} (errors ${figures.sweepErrors}), tasks failed by the sweeper ${figures.sweptFailed}`,
  );
  console.log(`regressions ${regressions.length - absent}, acknowledged writes absent from the table ${absent}`);
  for (const line of regressions.slice(0, 20)) console.log(`  ${line}`);
  process.exit(regressions.length > 0 ? 1 : 0);
}

/** What the proxy does to one request: mostly nothing; faults on about one in five. */
function planFault(): Fault {
  const draw = random();
  if (draw < 0.8) return { kind: "pass" };
  if (draw < 0.9) return { kind: "delay", ms: Math.round(between(100, 1500)) };
  if (draw < 0.94) return { kind: "dropAnswer" };
  if (draw < 0.97) return { kind: "reset" };
  return { kind: "hang" };
}

/** One task from start to its end, each call made again after an ambiguous failure. */
async function lifecycle(writer: TaskWriter, taskId: string): Promise<void> {
  active.add(taskId);
  try {
    const started = await call(taskId, () =>
      writer.start(
        { TaskId: taskId, TaskType: "document", SourceBucket: "media-bucket", SourceKey: "in.pdf" },
        { heartbeatSeconds: 1, timeoutSeconds: 30 },
      ),
    );
    if (!started) return;
    const reports = 1 + Math.floor(random() * 4);
    for (let i = 1; i <= reports; i++) {
      // Mostly within the 1 s heartbeat; now and then past it.
      await sleep(random() < 0.85 ? between(100, 800) : between(1000, 1600));
      if (!(await call(taskId, () => writer.progress(taskId, Math.min(99, i * 20))))) return;
    }
    const ending = random();
    if (ending < 0.7) {
      const result = `done-${taskId}`;
      const ok = await call(
        taskId,
        () => writer.complete(taskId, { Result: result }),
        (error) => {
          if (error instanceof TaskDeadlineExceededError) refusedAsLate.add(taskId);
        },
      );
      if (ok) acknowledged.set(taskId, { Status: "completed", Result: result });
    } else if (ending < 0.9) {
      const message = `gave up on ${taskId}`;
      if (await call(taskId, () => writer.fail(taskId, message)))
        acknowledged.set(taskId, { Status: "failed", ErrorMessage: message });
    }
    // Otherwise abandoned: the deadline and the sweeper end it.
  } finally {
    setTimeout(() => active.delete(taskId), (GRACE_SECONDS + 2) * 1000);
  }
}

/**
 * One kit call, made again (up to 5 times) while it fails without an answer. True when it was
 * acknowledged; false when the kit refused it (the lifecycle ends there).
 */
async function call(
  taskId: string,
  make: () => Promise<unknown>,
  onRefused: (error: unknown) => void = () => undefined,
): Promise<boolean> {
  let wasAmbiguous = false;
  /** Counts the attempts of this call whose answer was lost, by how the call ended. */
  const settle = (how: keyof typeof figures.ambiguousAttempts) => {
    figures.ambiguousAttempts[how] += lostAnswers.get(taskId) ?? 0;
    lostAnswers.delete(taskId);
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    figures.calls += 1;
    try {
      await make();
      figures.acknowledged += 1;
      settle("written");
      if (wasAmbiguous) figures.retriedAs.written += 1;
      return true;
    } catch (error) {
      const refusal =
        error instanceof TaskDeadlineExceededError
          ? "deadline"
          : error instanceof TaskTransitionError
            ? "transition"
            : undefined;
      if (refusal !== undefined) {
        figures.refused[refusal] += 1;
        settle(refusal);
        if (wasAmbiguous) figures.retriedAs[refusal] += 1;
        onRefused(error);
        return false;
      }
      if (error instanceof TaskNotFoundError) {
        settle("notFound");
        if (wasAmbiguous) figures.retriedAs.notFound += 1;
        return false;
      }
      // No answer: a timeout, a reset, a refused connection, a 5xx the SDK gave up on.
      settle("noAnswer");
      if (!wasAmbiguous) figures.ambiguous += 1;
      wasAmbiguous = true;
      // Backing off as a processor would: 0.25, 0.5, 1, 2 s (a restart of DynamoDB Local takes seconds).
      if (!(error instanceof TaskCallTimeoutError)) await sleep(250 * 2 ** (attempt - 1));
    }
  }
  figures.retriedAs.gaveUp += 1;
  return false;
}

/** A poller: GETs a random active task every 50-150 ms, recording each answer. */
async function poll(base: string, running: () => boolean): Promise<void> {
  while (running()) {
    const ids = [...active];
    const taskId = ids[Math.floor(random() * ids.length)];
    if (taskId !== undefined) {
      const sent = Date.now();
      try {
        const response = await fetch(`${base}/task/${taskId}`, { signal: AbortSignal.timeout(10_000) });
        const took = Date.now() - sent;
        figures.polls += 1;
        figures.slowestPollMs = Math.max(figures.slowestPollMs, took);
        if (response.status === 503) {
          figures.unavailable += 1;
          if (response.headers.get("retry-after") === null) figures.unavailableWithoutRetryAfter += 1;
          await response.body?.cancel();
        } else if (response.status === 200) {
          const body = (await response.json()) as { Status?: string; Progress?: number };
          const list = seen.get(taskId) ?? [];
          list.push({ sent, received: Date.now(), status: body.Status, progress: body.Progress });
          seen.set(taskId, list);
        } else {
          await response.body?.cancel();
        }
      } catch {
        figures.polls += 1;
      }
    }
    await sleep(between(50, 150));
  }
}

/**
 * Regressions in one task's answers. Polls overlap, so an answer only binds the ones sent after
 * it was received: once a poll has come back completed or failed, every poll sent later must say
 * the same, and a later poll's Progress may not be lower.
 */
function checkAnswers(taskId: string, answers: Seen[]): void {
  const ack = acknowledged.get(taskId);
  for (const earlier of answers) {
    const terminal = earlier.status === "completed" || earlier.status === "failed" ? earlier.status : undefined;
    if (terminal !== undefined && ack !== undefined && terminal !== ack.Status) {
      regressions.push(`${taskId}: the kit acknowledged ${ack.Status}, the API answered ${terminal}`);
      return;
    }
    for (const later of answers) {
      if (later.sent <= earlier.received) continue;
      if (terminal !== undefined && later.status !== terminal) {
        regressions.push(`${taskId}: answered ${terminal}, then ${later.status}`);
        return;
      }
      if (
        earlier.status === "processing" &&
        later.status === "processing" &&
        (later.progress ?? -1) < (earlier.progress ?? -1)
      ) {
        regressions.push(`${taskId}: progress ${earlier.progress}, then ${later.progress ?? "none"}`);
        return;
      }
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
