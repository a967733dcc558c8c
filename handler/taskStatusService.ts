import { createHash } from "node:crypto";
import {
  ANSWERED_FIELDS,
  deadlineFailure,
  ESTIMATED_SECONDS_ATTRIBUTE,
  epochSeconds,
  expiresAtSeconds,
  isAnswerable,
  isEstimatedSeconds,
  isFinished,
  isSpecStatus,
  isWellFormedTaskId,
  nextDeadline,
  pollHintSeconds,
  type SignableTarget,
  TASK_TTL_ATTRIBUTE,
  type TaskResponse,
} from "@task-api/contract";
import { InvalidTaskIdError, TaskIdMissingError, TaskNotFoundError } from "./errors";
import type { StoredTask } from "./storedTask";
import { isoSeconds, type UrlWindow, urlWindowAt } from "./urlWindow";

/** Checks a task_id from the path before any I/O, by the contract's ID rule. */
export function parseTaskId(raw: string | undefined): string {
  if (raw === undefined) throw new TaskIdMissingError();
  if (!isWellFormedTaskId(raw)) throw new InvalidTaskIdError();
  return raw;
}

/** Reads tasks by id. */
export interface TaskRepository {
  /** One task, or undefined. `signal` fires when the caller's time budget is spent; the read must give up then. */
  findTask(taskId: string, signal?: AbortSignal): Promise<StoredTask | undefined>;
  /** Up to 100 tasks in one read, by id (absent ones left out); all of them or an error, never some. */
  findTasks(taskIds: readonly string[], signal?: AbortSignal): Promise<Map<string, StoredTask>>;
}

/** Makes a GET URL for an object, signed as of `signedAt` and valid for the configured lifetime from then. */
export interface TargetUrlSigner {
  signTargetUrl(bucket: string, key: string, signedAt: Date): Promise<string>;
}

/** The part of a structured logger the service needs. */
export interface WarningLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface TaskStatusServiceDeps {
  repository: TaskRepository;
  signer: TargetUrlSigner;
  /** Bucket and key-prefix pairs whose objects the API may sign URLs for; empty signs none. */
  signableTargets: readonly SignableTarget[];
  /** Lifetime of a presigned URL. */
  urlTtlSeconds: number;
  /** The longest poll hint (Retry-After, max-age) for a task still in progress; the hint follows its progress. */
  pollIntervalSeconds: number;
  /** How long after a deadline a task in progress is answered failed: the stack's grace for writes in flight. */
  deadlineGraceSeconds: number;
  logger: WarningLogger;
  /** The time; a parameter so that tests can hold it still. */
  clock?: () => Date;
}

/** How long a finished task's answer without a URL may be reused. */
export const TERMINAL_FRESH_SECONDS = 60;

/** What POST /tasks/batch-get answers. */
export interface BatchAnswer {
  tasks: TaskResponse[];
  notFound: string[];
  /** The soonest poll hint among the tasks still in progress; undefined when all are finished. */
  retryAfterSeconds: number | undefined;
}

/** What the API answers for a task, and how long that answer holds. */
export interface TaskAnswer {
  /** The body; undefined when the caller already holds this version (HTTP 304). */
  task: TaskResponse | undefined;
  /** Changes exactly when the body would: the record's fields, or the URL's window. */
  version: string;
  /** How long the caller may reuse the answer without asking again. */
  freshForSeconds: number;
  /** Set while the task is in progress: when to poll next. */
  retryAfterSeconds: number | undefined;
  /** The record's Status, for logs. */
  status: string | undefined;
}

/**
 * The API's logic, free of AWS and HTTP: validate the id, read the task, shape the answer, sign
 * a URL to the result only where the task and the configuration allow it, and say how long the
 * answer holds and when to poll again.
 */
export class TaskStatusService {
  private readonly clock: () => Date;

  constructor(private readonly deps: TaskStatusServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * The task as callers see it; throws the TaskApiError that explains why not. When the
   * caller already holds the current version (`knownVersions`, from If-None-Match), the answer
   * carries no body and nothing is signed.
   */
  async getTaskStatus(
    rawTaskId: string | undefined,
    knownVersions: readonly string[] = [],
    signal?: AbortSignal,
  ): Promise<TaskAnswer> {
    const taskId = parseTaskId(rawTaskId);
    const stored = await this.deps.repository.findTask(taskId, signal);
    const now = this.clock();
    if (stored === undefined || isExpired(stored, now)) throw new TaskNotFoundError(taskId);
    return this.answerFor(taskId, stored, now, knownVersions);
  }

  /**
   * The body GET /task/{id} answers for a task already read (with a fresh URL where one is
   * signed), or undefined when that task is gone (expired): what a webhook delivery carries.
   */
  async answerStoredTask(taskId: string, stored: StoredTask): Promise<TaskResponse | undefined> {
    const now = this.clock();
    if (isExpired(stored, now)) return undefined;
    return (await this.answerFor(taskId, stored, now, [])).task;
  }

  /**
   * Many tasks at once (POST /tasks/batch-get), each answered exactly as GET /task/{id} would
   * answer it, in the order asked; the IDs with no task (or an expired one) in `notFound`.
   * `retryAfterSeconds` is the soonest poll hint among the unfinished ones.
   */
  async getTasks(taskIds: readonly string[], signal?: AbortSignal): Promise<BatchAnswer> {
    const stored = await this.deps.repository.findTasks(taskIds, signal);
    const now = this.clock();
    const tasks: TaskResponse[] = [];
    const notFound: string[] = [];
    let retryAfterSeconds: number | undefined;
    for (const taskId of taskIds) {
      const record = stored.get(taskId);
      if (record === undefined || isExpired(record, now)) {
        notFound.push(taskId);
        continue;
      }
      const answer = await this.answerFor(taskId, record, now, []);
      if (answer.task !== undefined) tasks.push(answer.task);
      if (answer.retryAfterSeconds !== undefined) {
        retryAfterSeconds = Math.min(retryAfterSeconds ?? answer.retryAfterSeconds, answer.retryAfterSeconds);
      }
    }
    return { tasks, notFound, retryAfterSeconds };
  }

  /** One stored task's answer: shaped, versioned, signed where allowed, with its caching and poll hint. */
  private async answerFor(
    taskId: string,
    stored: StoredTask,
    now: Date,
    knownVersions: readonly string[],
  ): Promise<TaskAnswer> {
    // A task past its deadline and the grace is failed from then on, exactly as the sweeper will
    // write it; within the grace, a write the kit built before the deadline may still land.
    const failure = deadlineFailure(stored, epochSeconds(now), this.deps.deadlineGraceSeconds);
    const effective: StoredTask =
      failure === undefined
        ? stored
        : {
            ...stored,
            Status: "failed",
            ErrorMessage: failure.ErrorMessage,
            ErrorCode: failure.ErrorCode,
            Updated_at: failure.Updated_at,
          };
    const task = this.toResponse(taskId, effective);
    const target = this.signableTarget(task);
    const window = target === undefined ? undefined : urlWindowAt(now, this.deps.urlTtlSeconds);
    const version = versionOf(task, window);
    const pollHint = isFinished(task)
      ? undefined
      : pollHintSeconds({
          startedAtMs: typeof task.Created_at === "string" ? Date.parse(task.Created_at) : undefined,
          progress: task.Progress,
          progressAtMs: typeof task.Updated_at === "string" ? Date.parse(task.Updated_at) : undefined,
          estimatedSeconds: isEstimatedSeconds(stored[ESTIMATED_SECONDS_ATTRIBUTE])
            ? stored[ESTIMATED_SECONDS_ATTRIBUTE]
            : undefined,
          nowMs: now.getTime(),
          ceilingSeconds: this.deps.pollIntervalSeconds,
          deadlineSeconds: this.answerTurnsFailedAt(effective),
        });
    const answer: TaskAnswer = {
      task: undefined,
      version,
      freshForSeconds: this.freshFor(now, effective, pollHint, window),
      retryAfterSeconds: pollHint,
      status: task.Status,
    };
    if (knownVersions.includes(version) || knownVersions.includes("*")) return answer;

    if (target !== undefined && window !== undefined) {
      task.TargetObjectURL = await this.deps.signer.signTargetUrl(target.bucket, target.key, window.signedAt);
      task.TargetObjectURLExpiresAt = isoSeconds(window.expiresAt);
    }
    return { ...answer, task };
  }

  /** Copies the fields the contract answers whose stored values it may answer; anything else is dropped and reported. */
  private toResponse(taskId: string, stored: StoredTask): TaskResponse {
    const response: Record<string, unknown> = { TaskId: taskId };
    const malformed: string[] = [];
    for (const field of ANSWERED_FIELDS) {
      const value = stored[field];
      if (value === undefined) continue;
      if (isAnswerable(field, value)) response[field] = value;
      else malformed.push(field);
    }
    if (malformed.length > 0) {
      this.deps.logger.warn("Task record has attributes of the wrong type; they are left out of the answer", {
        malformedAttributes: malformed,
      });
    }
    // isAnswerable checked each value against its field's type: the cast restates that.
    const task = response as TaskResponse;
    if (task.Status !== undefined && !isSpecStatus(task.Status)) {
      this.deps.logger.warn("Task record has a Status the spec does not define; answering it as stored", {
        status: task.Status.slice(0, 64),
      });
    }
    return task;
  }

  /** The object to sign a URL for, if the task is completed and its target is one the API may sign. */
  private signableTarget(task: TaskResponse): { bucket: string; key: string } | undefined {
    if (task.Status !== "completed") return undefined;
    const { TargetBucket: bucket, TargetKey: key } = task;
    if (bucket === undefined || key === undefined || key === "") {
      // A task whose outcome is a Result (deblindwatermark-style) has no object to sign: nothing wrong.
      if (task.Result === undefined) {
        this.deps.logger.warn("Completed task has no target object; answering without a URL", {
          hasTargetBucket: bucket !== undefined,
          hasTargetKey: key !== undefined && key !== "",
        });
      }
      return undefined;
    }
    if (!isTrustworthyKey(key)) {
      this.deps.logger.warn("Completed task's TargetKey is not a usable S3 key; answering without a URL", {
        targetKeyLength: key.length,
      });
      return undefined;
    }
    if (!this.deps.signableTargets.some((target) => target.bucket === bucket && key.startsWith(target.prefix))) {
      this.deps.logger.warn("Completed task's target is not in TARGET_BUCKETS; answering without a URL", {
        targetBucket: bucket,
      });
      return undefined;
    }
    return { bucket, key };
  }

  /** When a task in progress will be answered failed if nothing is written: its next deadline plus the grace. */
  private answerTurnsFailedAt(stored: StoredTask): number | undefined {
    const deadline = nextDeadline(stored);
    return deadline === undefined ? undefined : deadline + this.deps.deadlineGraceSeconds;
  }

  /** Never past the next poll (and so the next deadline) while in progress, the URL's window, or the record's retention. */
  private freshFor(now: Date, stored: StoredTask, pollHint: number | undefined, window: UrlWindow | undefined): number {
    let seconds = pollHint ?? TERMINAL_FRESH_SECONDS;
    if (window !== undefined) seconds = Math.floor((window.endsAt.getTime() - now.getTime()) / 1000);
    const deadline = this.answerTurnsFailedAt(stored);
    if (deadline !== undefined) seconds = Math.min(seconds, Math.floor(deadline - epochSeconds(now)));
    const expiresAt = expiresAtSeconds(stored[TASK_TTL_ATTRIBUTE]);
    if (expiresAt !== undefined) seconds = Math.min(seconds, Math.floor(expiresAt - now.getTime() / 1000));
    return Math.max(0, seconds);
  }
}

/** An S3 key is at most 1024 bytes of UTF-8; control characters in one are a processor's bug, not a file. */
function isTrustworthyKey(key: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  return Buffer.byteLength(key, "utf8") <= 1024 && !/[\u0000-\u001f\u007f]/.test(key);
}

/** DynamoDB deletes expired items lazily (within days), so an expired record is treated as gone. */
function isExpired(stored: StoredTask, now: Date): boolean {
  const expiresAt = expiresAtSeconds(stored[TASK_TTL_ATTRIBUTE]);
  return expiresAt !== undefined && expiresAt <= now.getTime() / 1000;
}

function versionOf(task: TaskResponse, window: UrlWindow | undefined): string {
  const hash = createHash("sha256").update(JSON.stringify(task));
  if (window !== undefined) hash.update(`\n${window.signedAt.getTime()}`);
  return hash.digest("base64url").slice(0, 22);
}
