import { randomUUID } from "node:crypto";
import { type AttributeValue, ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import {
  CALLBACK_URL_RULE,
  CONTENT_FIELDS,
  CORRELATION_ID_RULE,
  DEADLINE_ATTRIBUTE_NAMES,
  DEADLINE_EXCEEDED_CODE,
  DEADLINE_PLACEHOLDERS,
  DEADLINE_SECONDS,
  DEADLINES,
  type DeadlineKind,
  deadlineFailure,
  deadlineShardOf,
  ERROR_CODE_RULE,
  ESTIMATED_SECONDS,
  epochSeconds,
  isCallbackUrl,
  isDeadlineSeconds,
  isErrorCode,
  isEstimatedSeconds,
  isValidProgress,
  isWellFormedCorrelationId,
  isWellFormedTaskId,
  NO_DEADLINE_PASSED,
  PROGRESS_ATTRIBUTE,
  TASK_ID_ATTRIBUTE,
  TASK_ID_RULE,
  usedIn,
} from "@task-api/contract";
import { boundedClientConfig, type CallBounds, callBoundsFrom, withinCallTimeout } from "./callBounds.js";
import {
  InvalidTaskInputError,
  TaskAlreadyExistsError,
  TaskDeadlineExceededError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  TaskTransitionError,
} from "./errors.js";
import {
  type Completion,
  type Deadlines,
  type FailureDetails,
  type NewTask,
  readTaskRecord,
  type TaskRecord,
} from "./taskRecord.js";

export interface TaskWriterOptions extends Deadlines {
  /** The task table (`pulumi stack output tableName`). */
  tableName: string;
  /** A DynamoDB client; by default one from the environment (region, credentials, AWS_ENDPOINT_URL_DYNAMODB). */
  client?: DynamoDBClient;
  /** How long records live after `start` (the table's TTL, ExpiresAt); default 30 days. */
  retentionDays?: number;
  /** The time; a parameter so that tests can hold it still. */
  now?: () => Date;
  /**
   * The most each call takes, retries included (default 3000 ms): past it, the call sends no
   * further attempt and throws TaskCallTimeoutError. It applies to a given `client` too.
   */
  callTimeoutMs?: number;
  /** The kit's own client only (not a given `client`): connection timeout (default 500 ms). */
  connectionTimeoutMs?: number;
  /** The kit's own client only: the most one attempt waits for its answer (default 1000 ms). */
  requestTimeoutMs?: number;
  /** The kit's own client only: attempts in all, the first included (default 3). */
  maxAttempts?: number;
}

const DEFAULT_RETENTION_DAYS = 30;
/**
 * How far behind the record's Updated_at a writer's clock may be and still write: two reports a
 * millisecond apart from two hosts are both taken (at the stored Updated_at, which never goes
 * back); a clock further behind is refused as out of order.
 */
export const CLOCK_TOLERANCE_MS = 1000;

const { heartbeat: HEARTBEAT, timeout: TIMEOUT } = DEADLINES;

// Status is a DynamoDB reserved word; every attribute goes through a placeholder for uniformity.
const NAMES = {
  "#id": TASK_ID_ATTRIBUTE,
  "#s": "Status",
  "#u": "Updated_at",
  ...DEADLINE_ATTRIBUTE_NAMES,
  "#hbk": HEARTBEAT.shardAttribute,
  "#tok": TIMEOUT.shardAttribute,
};
/** In progress, written no later than this write's time, and no deadline passed by it. */
const IN_TIME = `attribute_exists(#id) AND #s = :processing AND #u <= :now AND ${NO_DEADLINE_PASSED}`;
/**
 * A report (start, progress, heartbeat) moves the heartbeat deadline to now + HeartbeatSeconds.
 * DynamoDB cannot branch inside an update, so a task without a heartbeat gets `now + 0`, which
 * nothing reads: a heartbeat deadline counts only beside its HeartbeatSeconds.
 */
const BEAT = DEADLINE_PLACEHOLDERS.heartbeat;
const REPORT = `#u = :now, ${BEAT.deadline} = if_not_exists(${BEAT.seconds}, :zero) + :nowSeconds`;
/** A finished task leaves the sweeper's indexes. */
const LEAVE_INDEXES = "REMOVE #hbk, #tok";

/**
 * When a write happens: `at`, the Updated_at it writes (ISO 8601), and `seconds`, this writer's
 * clock (epoch seconds), which the deadlines are judged by. They differ only when a write is
 * made again at a stored Updated_at a little ahead of this writer's clock.
 */
interface WriteTime {
  at: string;
  seconds: number;
}

/**
 * Writes task records the API reads. Every write is one conditional DynamoDB request, so no
 * read-then-write race exists: a task starts once; only a task in progress takes progress, and
 * progress never goes down; only a task in progress completes or fails, and those states are
 * final; nothing is written to a task past its deadline; Updated_at never goes back. A retried
 * write that already took effect (the same start, the same completion or failure) succeeds and
 * changes nothing; a conflicting one throws, with the record as the table holds it. Throttling
 * and 5xx are retried by the SDK. A write refused only because another writer's clock is up to
 * CLOCK_TOLERANCE_MS ahead is made again at that writer's time.
 */
export class TaskWriter {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly defaults: Deadlines;
  private readonly now: () => Date;
  private readonly bounds: CallBounds;

  constructor(options: TaskWriterOptions) {
    if (options.tableName.trim() === "") throw new InvalidTaskInputError("tableName is required");
    const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
      throw new InvalidTaskInputError(`retentionDays must be a positive number, not ${retentionDays}`);
    }
    this.defaults = checkDeadlines(options);
    this.bounds = callBoundsFrom(options);
    this.documents = DynamoDBDocumentClient.from(
      options.client ?? new DynamoDBClient(boundedClientConfig(this.bounds)),
      {
        marshallOptions: { removeUndefinedValues: true },
      },
    );
    this.tableName = options.tableName;
    this.retentionSeconds = Math.round(retentionDays * 86_400);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Creates the task, processing, and returns its record; the same start again returns the stored
   * one. `deadlines` (or the writer's defaults) fail the task if it goes `heartbeatSeconds`
   * without a report, or is not finished `timeoutSeconds` after this start.
   */
  async start(task: NewTask, deadlines: Deadlines = {}): Promise<TaskRecord> {
    const taskId = task.TaskId ?? randomUUID();
    checkTaskId(taskId);
    for (const field of ["TaskType", "SourceBucket", "SourceKey"] as const) {
      if (typeof task[field] !== "string" || task[field].trim() === "") {
        throw new InvalidTaskInputError(`${field} is required and must be a non-empty string`);
      }
    }
    if (task.CorrelationId !== undefined && !isWellFormedCorrelationId(task.CorrelationId)) {
      throw new InvalidTaskInputError(`Invalid CorrelationId: ${CORRELATION_ID_RULE}`);
    }
    if (task.CallbackUrl !== undefined && !isCallbackUrl(task.CallbackUrl)) {
      throw new InvalidTaskInputError(`Invalid CallbackUrl: ${CALLBACK_URL_RULE}`);
    }
    if (task.EstimatedSeconds !== undefined && !isEstimatedSeconds(task.EstimatedSeconds)) {
      throw new InvalidTaskInputError(
        `EstimatedSeconds must be a whole number of seconds from ${ESTIMATED_SECONDS.min} to ${ESTIMATED_SECONDS.max}, not ${task.EstimatedSeconds}`,
      );
    }
    const { heartbeatSeconds, timeoutSeconds } = { ...this.defaults, ...checkDeadlines(deadlines) };
    const now = this.now();
    const at = now.toISOString();
    const seconds = epochSeconds(now);
    const shard = deadlineShardOf(taskId);
    const record: TaskRecord = {
      TaskId: taskId,
      Status: "processing",
      TaskType: task.TaskType,
      SourceBucket: task.SourceBucket,
      SourceKey: task.SourceKey,
      ...(task.TargetBucket === undefined ? {} : { TargetBucket: task.TargetBucket }),
      ...(task.TargetKey === undefined ? {} : { TargetKey: task.TargetKey }),
      ...(task.CorrelationId === undefined ? {} : { CorrelationId: task.CorrelationId }),
      ...(task.CallbackUrl === undefined ? {} : { CallbackUrl: task.CallbackUrl }),
      ...(task.EstimatedSeconds === undefined ? {} : { EstimatedSeconds: task.EstimatedSeconds }),
      Created_at: at,
      Updated_at: at,
      ExpiresAt: Math.floor(seconds) + this.retentionSeconds,
      ...(heartbeatSeconds === undefined
        ? {}
        : { HeartbeatSeconds: heartbeatSeconds, HeartbeatDeadline: seconds + heartbeatSeconds, HeartbeatShard: shard }),
      ...(timeoutSeconds === undefined
        ? {}
        : { TimeoutSeconds: timeoutSeconds, TimeoutDeadline: seconds + timeoutSeconds, TimeoutShard: shard }),
    };
    try {
      await withinCallTimeout(`start(${taskId})`, this.bounds, (abortSignal) =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: record,
            ConditionExpression: `attribute_not_exists(${TASK_ID_ATTRIBUTE})`,
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
          { abortSignal },
        ),
      );
      return record;
    } catch (error) {
      const existing = recordIn(error);
      if (existing === undefined) throw error;
      if (CONTENT_FIELDS.every((field) => existing[field] === record[field])) return existing;
      throw new TaskAlreadyExistsError(existing);
    }
  }

  /**
   * Sets Progress (a whole percentage) on a task in progress; a report, so it also keeps the
   * heartbeat. A value below the stored one changes nothing and returns the stored record:
   * progress reports race, and the higher one is the truth.
   */
  async progress(taskId: string, percent: number): Promise<TaskRecord> {
    checkTaskId(taskId);
    if (!isValidProgress(percent)) {
      throw new InvalidTaskInputError(`progress must be a whole number from 0 to 100, not ${percent}`);
    }
    return this.transition(taskId, "processing (progress)", this.writeTime(), {
      call: "progress",
      update: `SET #p = :p, ${REPORT}`,
      condition: `${IN_TIME} AND (attribute_not_exists(#p) OR #p <= :p)`,
      values: { ":p": percent, ":zero": 0 },
      names: { "#p": PROGRESS_ATTRIBUTE },
      // A higher value already stored is the truth; only a lower one stored is worth a retry.
      settled: (existing) => existing.Status === "processing" && (existing.Progress ?? -1) >= percent,
    });
  }

  /** Reports that the task is alive, without news: moves its heartbeat deadline on. */
  async heartbeat(taskId: string): Promise<TaskRecord> {
    checkTaskId(taskId);
    return this.transition(taskId, "processing (heartbeat)", this.writeTime(), {
      call: "heartbeat",
      update: `SET ${REPORT}`,
      condition: IN_TIME,
      values: { ":zero": 0 },
      settled: () => false,
      // Another report a moment ahead of this one's clock has already moved the deadline.
      retryWhenBehind: false,
    });
  }

  /** Completes a task in progress (Progress 100); the same completion again returns the stored record. */
  async complete(taskId: string, completion: Completion = {}): Promise<TaskRecord> {
    checkTaskId(taskId);
    const fields = Object.entries(completion).filter(([, value]) => value !== undefined) as Array<[string, string]>;
    for (const [field, value] of fields) {
      if (typeof value !== "string" || value === "")
        throw new InvalidTaskInputError(`${field} must be a non-empty string`);
    }
    const sets = fields.map((_, i) => `, #c${i} = :c${i}`).join("");
    return this.transition(taskId, "completed", this.writeTime(), {
      call: "complete",
      update: `SET #s = :completed, #u = :now, #p = :hundred${sets} ${LEAVE_INDEXES}`,
      condition: IN_TIME,
      values: {
        ":completed": "completed",
        ":hundred": 100,
        ...Object.fromEntries(fields.map(([, value], i) => [`:c${i}`, value])),
      },
      names: { "#p": PROGRESS_ATTRIBUTE, ...Object.fromEntries(fields.map(([field], i) => [`#c${i}`, field])) },
      settled: (existing) =>
        existing.Status === "completed" &&
        fields.every(([field, value]) => existing[field as keyof TaskRecord] === value),
    });
  }

  /**
   * Fails a task in progress with the error callers will see and, optionally, a machine-readable
   * `errorCode` (DEADLINE_EXCEEDED is reserved for deadlines); the same failure again returns the
   * stored record.
   */
  async fail(taskId: string, errorMessage: string, details: FailureDetails = {}): Promise<TaskRecord> {
    checkTaskId(taskId);
    if (typeof errorMessage !== "string" || errorMessage.trim() === "") {
      throw new InvalidTaskInputError("errorMessage is required and must be a non-empty string");
    }
    const { errorCode } = details;
    if (errorCode !== undefined && (!isErrorCode(errorCode) || errorCode === DEADLINE_EXCEEDED_CODE)) {
      throw new InvalidTaskInputError(
        errorCode === DEADLINE_EXCEEDED_CODE
          ? `errorCode ${DEADLINE_EXCEEDED_CODE} is reserved for tasks past their deadline`
          : `Invalid errorCode: ${ERROR_CODE_RULE}`,
      );
    }
    return this.transition(taskId, "failed", this.writeTime(), {
      call: "fail",
      update: `SET #s = :failed, #u = :now, #e = :error${errorCode === undefined ? "" : ", #c = :code"} ${LEAVE_INDEXES}`,
      condition: IN_TIME,
      values: {
        ":failed": "failed",
        ":error": errorMessage,
        ...(errorCode === undefined ? {} : { ":code": errorCode }),
      },
      names: { "#e": "ErrorMessage", ...(errorCode === undefined ? {} : { "#c": "ErrorCode" }) },
      settled: (existing) =>
        existing.Status === "failed" && existing.ErrorMessage === errorMessage && existing.ErrorCode === errorCode,
    });
  }

  private writeTime(): WriteTime {
    const now = this.now();
    return { at: now.toISOString(), seconds: epochSeconds(now) };
  }

  /**
   * One conditional UpdateItem from a task in progress. When the table refuses it: the stored
   * record is returned if it already says what this write would (`settled`); the write is made
   * once more at the stored Updated_at if another writer's clock was at most CLOCK_TOLERANCE_MS
   * ahead; otherwise the refusal is thrown, explained.
   */
  private transition(taskId: string, to: string, time: WriteTime, write: TransitionWrite): Promise<TaskRecord> {
    // One bound for the whole call, the write made again at another writer's time included.
    return withinCallTimeout(`${write.call}(${taskId})`, this.bounds, (abortSignal) =>
      this.attempt(taskId, to, time, write, abortSignal),
    );
  }

  private async attempt(
    taskId: string,
    to: string,
    time: WriteTime,
    write: TransitionWrite,
    abortSignal: AbortSignal,
  ): Promise<TaskRecord> {
    try {
      return await this.update(taskId, write, time, abortSignal);
    } catch (error) {
      const existing = recordIn(error);
      if (existing === undefined) throw new TaskNotFoundError(taskId);
      // Judged at this write's own time with no grace: the condition refused it for that.
      const passed = deadlineFailure(existing, time.seconds, 0);
      if (passed !== undefined) throw new TaskDeadlineExceededError(taskId, to, existing, passed.ErrorMessage);
      if (write.settled(existing)) return existing;
      if (existing.Status === "failed" && existing.ErrorCode === DEADLINE_EXCEEDED_CODE) {
        throw new TaskDeadlineExceededError(taskId, to, existing, existing.ErrorMessage ?? DEADLINE_EXCEEDED_CODE);
      }
      if (existing.Status === "processing" && existing.Updated_at > time.at) {
        if (write.retryWhenBehind === false) return existing;
        // Measured against this writer's own clock, however many times it has been made again.
        if (Date.parse(existing.Updated_at) - time.seconds * 1000 <= CLOCK_TOLERANCE_MS) {
          return this.attempt(taskId, to, { at: existing.Updated_at, seconds: time.seconds }, write, abortSignal);
        }
        throw new TaskOutOfOrderError(taskId, new Date(time.seconds * 1000).toISOString(), existing);
      }
      throw new TaskTransitionError(taskId, existing.Status, to, existing);
    }
  }

  /** One conditional UpdateItem that returns the new record, or the old one when the condition fails. */
  private async update(
    taskId: string,
    write: TransitionWrite,
    time: WriteTime,
    abortSignal: AbortSignal,
  ): Promise<TaskRecord> {
    const expression = `${write.update} ${write.condition}`;
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TASK_ID_ATTRIBUTE]: taskId },
        UpdateExpression: write.update,
        ConditionExpression: write.condition,
        // DynamoDB refuses placeholders an expression does not use.
        ExpressionAttributeNames: usedIn({ ...NAMES, ...write.names }, expression),
        ExpressionAttributeValues: usedIn(
          { ":now": time.at, ":nowSeconds": time.seconds, ":processing": "processing", ...write.values },
          expression,
        ),
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
      { abortSignal },
    );
    if (Attributes === undefined)
      throw new Error(`UpdateItem on task ${taskId} returned no attributes (ReturnValues: ALL_NEW)`);
    return readTaskRecord(Attributes);
  }
}

/** One kind of write from `processing`, and when a refusal of it means it had already been made. */
interface TransitionWrite {
  /** The call's name, for the error when it runs out of time. */
  call: "progress" | "heartbeat" | "complete" | "fail";
  update: string;
  condition: string;
  values: Record<string, unknown>;
  names?: Record<string, string>;
  settled(existing: TaskRecord): boolean;
  /** false: a newer Updated_at already says what this write would (a heartbeat). */
  retryWhenBehind?: boolean;
}

function checkDeadlines(deadlines: Deadlines): Deadlines {
  const checked: Deadlines = {};
  for (const [kind, key] of [
    ["heartbeat", "heartbeatSeconds"],
    ["timeout", "timeoutSeconds"],
  ] as const satisfies ReadonlyArray<readonly [DeadlineKind, keyof Deadlines]>) {
    const value = deadlines[key];
    if (value === undefined) continue;
    if (!isDeadlineSeconds(value)) {
      throw new InvalidTaskInputError(
        `${key} (the ${kind} deadline) must be a whole number of seconds from ${DEADLINE_SECONDS.min} to ${DEADLINE_SECONDS.max}, not ${value}`,
      );
    }
    checked[key] = value;
  }
  return checked;
}

function checkTaskId(taskId: string): void {
  if (typeof taskId !== "string" || !isWellFormedTaskId(taskId)) {
    throw new InvalidTaskInputError(`Invalid TaskId: ${TASK_ID_RULE}`);
  }
}

/** The record DynamoDB returned with a failed condition (ReturnValuesOnConditionCheckFailure: ALL_OLD). */
function recordIn(error: unknown): TaskRecord | undefined {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return item === undefined ? undefined : readTaskRecord(unmarshall(item));
}
