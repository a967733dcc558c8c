/**
 * Deadlines a processor sets at start so that no task stays `processing` forever, and the
 * failure a task past one of them becomes. The record carries, for each deadline it has:
 *   <Kind>Seconds  (N) the period the processor asked for, whole seconds;
 *   <Kind>Deadline (N) when it passes, epoch seconds to the millisecond;
 *   <Kind>Shard    (N) the task's partition in the sweeper's index, only while unfinished.
 * A heartbeat deadline moves with every report (start, progress, heartbeat); a timeout
 * deadline is start + TimeoutSeconds and never moves.
 */

export type DeadlineKind = "heartbeat" | "timeout";

/** One deadline's attributes, the sweeper's index over them, and how its failure reads. */
export interface DeadlineDefinition {
  readonly kind: DeadlineKind;
  readonly secondsAttribute: "HeartbeatSeconds" | "TimeoutSeconds";
  readonly deadlineAttribute: "HeartbeatDeadline" | "TimeoutDeadline";
  readonly shardAttribute: "HeartbeatShard" | "TimeoutShard";
  /** The sparse global secondary index: (shard, deadline), holding only unfinished tasks with this deadline. */
  readonly indexName: string;
  /** The ErrorMessage of a task failed by this deadline: its period, and the grace it was judged with. */
  failureMessage(seconds: number, graceSeconds: number): string;
}

/** What a deadline failure's ErrorMessage says of the grace, so that a reader knows when it was judged. */
const withGrace = (message: string, graceSeconds: number) =>
  graceSeconds > 0 ? `${message} (judged ${graceSeconds} s after the deadline)` : message;

export const DEADLINES: Readonly<Record<DeadlineKind, DeadlineDefinition>> = {
  heartbeat: {
    kind: "heartbeat",
    secondsAttribute: "HeartbeatSeconds",
    deadlineAttribute: "HeartbeatDeadline",
    shardAttribute: "HeartbeatShard",
    indexName: "heartbeat-deadlines",
    failureMessage: (seconds, graceSeconds) => withGrace(`no progress report for ${seconds} s`, graceSeconds),
  },
  timeout: {
    kind: "timeout",
    secondsAttribute: "TimeoutSeconds",
    deadlineAttribute: "TimeoutDeadline",
    shardAttribute: "TimeoutShard",
    indexName: "timeout-deadlines",
    failureMessage: (seconds, graceSeconds) => withGrace(`not finished within ${seconds} s`, graceSeconds),
  },
};

/**
 * The kit's bound on one write, retries included, in milliseconds (TaskWriter's callTimeoutMs
 * default): a write built before a deadline lands, if at all, within this of being built. The
 * deadline grace (DEADLINE_GRACE_SECONDS) is longer.
 */
export const WRITE_CALL_TIMEOUT_MS = 3000;

/** When both deadlines pass at the same instant, this one names the failure. */
export const NAMES_A_TIE: DeadlineKind = "timeout";

/** The ErrorCode of a task failed by a deadline; reserved: processors may not set it themselves. */
export const DEADLINE_EXCEEDED_CODE = "DEADLINE_EXCEEDED";

/** A deadline period: whole seconds from 1 s to 30 days (the default retention). */
export const DEADLINE_SECONDS = { min: 1, max: 2_592_000 } as const;

export function isDeadlineSeconds(value: unknown): value is number {
  return (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= DEADLINE_SECONDS.min &&
    value <= DEADLINE_SECONDS.max
  );
}

/**
 * Partitions of each deadline index. Writes to an index partition are capped (1,000 WCU/s);
 * 16 shards keep 1,000 starts/s and 10,000 heartbeating tasks at a quarter of that per shard
 * (docs/writing-tasks.md, "Deadlines": the arithmetic).
 */
export const DEADLINE_SHARDS = 16;

/** A task's shard: FNV-1a of its ID, so that the same task always lands in the same one. */
export function deadlineShardOf(taskId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i++) {
    hash ^= taskId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % DEADLINE_SHARDS;
}

/** A time as the deadline attributes hold it: epoch seconds, to the millisecond. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** A deadline attribute's instant as an ISO 8601 timestamp: a failed task's Updated_at. */
export function deadlineTimestamp(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** The part of a record the deadline rules read; values are unchecked (processors own the data). */
export type DeadlineFields = { readonly [K in "Status" | DeadlineAttribute]?: unknown };

type DeadlineAttribute = DeadlineDefinition["secondsAttribute"] | DeadlineDefinition["deadlineAttribute"];

/** What a task past a deadline is answered and stored as. */
export interface DeadlineFailure {
  kind: DeadlineKind;
  /** When the deadline passed, epoch seconds. */
  deadline: number;
  ErrorCode: typeof DEADLINE_EXCEEDED_CODE;
  ErrorMessage: string;
  /** The deadline as an ISO 8601 timestamp: the failed record's Updated_at. */
  Updated_at: string;
}

/** A deadline the record holds (valid period and instant), or undefined. */
export function deadlineOf(record: DeadlineFields, kind: DeadlineKind): { seconds: number; at: number } | undefined {
  const definition = DEADLINES[kind];
  const seconds = record[definition.secondsAttribute];
  const at = record[definition.deadlineAttribute];
  if (!isDeadlineSeconds(seconds) || typeof at !== "number" || !Number.isFinite(at)) return undefined;
  return { seconds, at };
}

/**
 * The failure of a task in progress whose earliest deadline passed at least `graceSeconds`
 * before `nowSeconds`, or undefined. When both passed, the earlier one names the failure (the
 * timeout on a tie), so the API, the sweeper and the kit all tell the same story. The API and the
 * sweeper judge with the stack's grace; the kit judges its own write with none (its condition
 * refuses any write built at or after the deadline).
 */
export function deadlineFailure(
  record: DeadlineFields,
  nowSeconds: number,
  graceSeconds: number,
): DeadlineFailure | undefined {
  if (record.Status !== "processing") return undefined;
  const heartbeat = deadlineOf(record, "heartbeat");
  const timeout = deadlineOf(record, "timeout");
  const [kind, passed] =
    heartbeat !== undefined &&
    (timeout === undefined || heartbeat.at < timeout.at || (heartbeat.at === timeout.at && NAMES_A_TIE === "heartbeat"))
      ? (["heartbeat", heartbeat] as const)
      : (["timeout", timeout] as const);
  if (passed === undefined || passed.at + graceSeconds > nowSeconds) return undefined;
  return {
    kind,
    deadline: passed.at,
    ErrorCode: DEADLINE_EXCEEDED_CODE,
    ErrorMessage: DEADLINES[kind].failureMessage(passed.seconds, graceSeconds),
    Updated_at: deadlineTimestamp(passed.at),
  };
}

/** The earliest deadline of a task in progress, epoch seconds; undefined when it has none. */
export function nextDeadline(record: DeadlineFields): number | undefined {
  if (record.Status !== "processing") return undefined;
  const times = (["heartbeat", "timeout"] as const).flatMap((kind) => deadlineOf(record, kind)?.at ?? []);
  return times.length === 0 ? undefined : Math.min(...times);
}
