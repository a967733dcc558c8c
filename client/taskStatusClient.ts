import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import {
  BATCH_GET_MAX_IDS,
  BATCH_GET_PATH,
  INVALID_TASK_ID_MESSAGE,
  isTaskNotFoundBody,
  isWellFormedTaskId,
  taskPath,
} from "@task-api/contract";
import {
  InvalidTaskIdError,
  TaskApiRequestError,
  TaskClientConfigError,
  TaskFailedError,
  TaskNotFoundError,
  TasksWaitTimeoutError,
  TaskWaitTimeoutError,
} from "./errors.js";
import { type RequestSigner, regionOfEndpoint, sigv4Signer, unsignedRequests } from "./requestSigner.js";
import {
  DEFAULT_MAX_POLL_DELAY_SECONDS,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  pollDelayMs,
  type RetryPolicy,
  retryDelayMs,
} from "./retrySchedule.js";
import { isCompleted, isFailed, MalformedAnswerError, parseBatch, parseTask, type Task } from "./task.js";

/**
 * The sleep before a waiter's next poll: `waitMs`, or, when that would end past the deadline, the
 * time left, so that one last poll comes at the deadline. Undefined once that poll has been made
 * (or no time is left): the wait is over.
 */
function nextPollWithin(
  waitMs: number,
  deadline: number,
  polledAtDeadline: boolean,
): { sleepMs: number; atDeadline: boolean } | undefined {
  const remaining = deadline - Date.now();
  if (waitMs <= remaining) return { sleepMs: waitMs, atDeadline: polledAtDeadline };
  if (polledAtDeadline || remaining <= 0) return undefined;
  return { sleepMs: remaining, atDeadline: true };
}

export interface TaskStatusClientOptions {
  /** The API's base URL, e.g. `pulumi stack output apiUrl`, or http://127.0.0.1:3000. */
  endpoint: string;
  /** For SigV4; taken from an execute-api hostname when not given. */
  region?: string;
  /** Credentials for SigV4; the default AWS credential chain when not given. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** "sigv4" (default) for IAM-protected stacks; "none" for the local run or a public stack. */
  signing?: "sigv4" | "none";
  retry?: Partial<RetryPolicy>;
  /** How the client waits between attempts; replaceable so tests can record instead of sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
}

/** What one poll saw, for progress displays. */
export interface PollEvent {
  attempt: number;
  task: Task;
  elapsedSeconds: number;
  /** The server's Retry-After: the task's own poll hint. */
  nextPollNotBeforeSeconds: number | undefined;
  /** When the next poll will really go out (the hint with jitter, or the client's own backoff); undefined once finished. */
  nextPollInSeconds: number | undefined;
  /** True when the server answered 304 and the kept copy was used. */
  notModified: boolean;
}

export interface WaitOptions {
  /** Give up (TaskWaitTimeoutError) after this long. */
  maxWaitSeconds: number;
  /** The least time between polls, whatever Retry-After says; without a Retry-After, the backoff's start (default 2 s). */
  minDelaySeconds?: number;
  /**
   * The most the client's own backoff waits when the server gives no Retry-After, and the most the
   * jitter takes a hint to (default 30 s, the stack's default pollIntervalSeconds: a stack with a
   * lower one is called with that).
   */
  maxDelaySeconds?: number;
  signal?: AbortSignal;
  onPoll?: (event: PollEvent) => void;
}

interface Fetched {
  task: Task;
  retryAfterSeconds: number | undefined;
  notModified: boolean;
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A typed client for GET /task/{task_id} that polls the way the API asks: it retries 429, 5xx
 * and network errors with backoff (never 4xx), revalidates with If-None-Match so an unchanged
 * task costs an empty 304, and waits for a task in its own loop, timed by the server's
 * Retry-After (the SDK's waiter picks every delay itself and cannot be told one).
 */
export class TaskStatusClient {
  private readonly endpoint: URL;
  private readonly sign: RequestSigner;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly fetch: typeof fetch;
  private readonly kept = new Map<string, { etag: string; task: Task }>();

  constructor(options: TaskStatusClientOptions) {
    this.endpoint = new URL(options.endpoint.endsWith("/") ? options.endpoint : `${options.endpoint}/`);
    if (options.signing === "none") {
      this.sign = unsignedRequests;
    } else {
      const region = options.region ?? regionOfEndpoint(this.endpoint) ?? process.env.AWS_REGION;
      if (region === undefined) throw new TaskClientConfigError(this.endpoint);
      this.sign = sigv4Signer(region, options.credentials);
    }
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? abortableSleep;
    this.fetch = options.fetch ?? fetch;
  }

  /** The task now. Throws TaskNotFoundError (404), InvalidTaskIdError (400) or TaskApiRequestError. */
  async getTask(taskId: string, options: { signal?: AbortSignal } = {}): Promise<Task> {
    return (await this.fetchTask(taskId, options.signal)).task;
  }

  /**
   * Polls until the task completes (resolves with it) or fails (rejects with TaskFailedError);
   * past maxWaitSeconds rejects with TaskWaitTimeoutError. Each next poll comes when the API's
   * Retry-After says (the task's own poll hint, plus a little jitter); only an answer without one
   * falls back to the client's own backoff. A next poll due past the deadline is made at the
   * deadline instead, once, so that the whole wait is used; only then does it time out. (Not the
   * SDK's waiter: it picks every delay itself and cannot be told one by the server.)
   */
  async waitForTask(taskId: string, options: WaitOptions): Promise<Task> {
    const started = Date.now();
    const deadline = started + options.maxWaitSeconds * 1000;
    let polledAtDeadline = false;
    for (let attempt = 1; ; attempt += 1) {
      const fetched = await this.fetchTask(taskId, options.signal);
      const finished = isCompleted(fetched.task) || isFailed(fetched.task);
      const delayMs = finished ? undefined : this.nextPollDelayMs(attempt, fetched.retryAfterSeconds, options);
      options.onPoll?.({
        attempt,
        task: fetched.task,
        elapsedSeconds: (Date.now() - started) / 1000,
        nextPollNotBeforeSeconds: fetched.retryAfterSeconds,
        nextPollInSeconds: delayMs === undefined ? undefined : delayMs / 1000,
        notModified: fetched.notModified,
      });
      if (isCompleted(fetched.task)) return fetched.task;
      if (isFailed(fetched.task)) throw new TaskFailedError(fetched.task);
      const wait = delayMs ?? 0;
      const next = nextPollWithin(wait, deadline, polledAtDeadline);
      if (next === undefined) {
        throw new TaskWaitTimeoutError(
          taskId,
          options.maxWaitSeconds,
          (Date.now() - started) / 1000,
          fetched.task,
          `it was still unfinished at the deadline's last poll (the next was due in ${(wait / 1000).toFixed(1)} s)`,
        );
      }
      polledAtDeadline = next.atDeadline;
      await this.sleep(next.sleepMs, options.signal);
    }
  }

  /**
   * The tasks with these IDs now, in the order asked (each once), and the IDs with no task:
   * POST /tasks/batch-get, 100 IDs a request.
   */
  async getTasks(taskIds: readonly string[], options: { signal?: AbortSignal } = {}): Promise<TaskBatch> {
    const { tasks, notFound } = await this.fetchTasks(taskIds, options.signal);
    return { tasks, notFound };
  }

  /**
   * Polls many tasks until every one has finished, asking only for the unfinished ones, one batch
   * request a round, timed by the soonest Retry-After among them. A failed task does not stop the
   * others: it is reported (onTaskFinished) and counted among the finished. Resolves with every
   * finished task (completed or failed, in the order asked) and the IDs with no task; past
   * maxWaitSeconds rejects with TasksWaitTimeoutError naming the unfinished ones.
   */
  async waitForTasks(
    taskIds: readonly string[],
    options: WaitOptions & { onTaskFinished?: (task: Task) => void },
  ): Promise<TaskBatch> {
    const started = Date.now();
    const deadline = started + options.maxWaitSeconds * 1000;
    const asked = [...new Set(taskIds)];
    const finished = new Map<string, Task>();
    const notFound = new Set<string>();
    let pending = asked;
    let polledAtDeadline = false;
    for (let attempt = 1; ; attempt += 1) {
      const batch = await this.fetchTasks(pending, options.signal);
      for (const id of batch.notFound) notFound.add(id);
      const stillRunning: Task[] = [];
      for (const task of batch.tasks) {
        if (isCompleted(task) || isFailed(task)) {
          finished.set(task.TaskId, task);
          options.onTaskFinished?.(task);
        } else {
          stillRunning.push(task);
        }
      }
      pending = stillRunning.map((task) => task.TaskId);
      if (pending.length === 0) {
        return {
          tasks: asked.flatMap((id) => finished.get(id) ?? []),
          notFound: asked.filter((id) => notFound.has(id)),
        };
      }
      const wait = this.nextPollDelayMs(attempt, batch.retryAfterSeconds, options);
      const next = nextPollWithin(wait, deadline, polledAtDeadline);
      if (next === undefined) {
        throw new TasksWaitTimeoutError(pending, options.maxWaitSeconds, (Date.now() - started) / 1000, stillRunning);
      }
      polledAtDeadline = next.atDeadline;
      await this.sleep(next.sleepMs, options.signal);
    }
  }

  private nextPollDelayMs(attempt: number, retryAfterSeconds: number | undefined, options: WaitOptions): number {
    return pollDelayMs({
      attempt,
      retryAfterSeconds,
      minDelaySeconds: options.minDelaySeconds,
      maxDelaySeconds: options.maxDelaySeconds ?? DEFAULT_MAX_POLL_DELAY_SECONDS,
    });
  }

  /** POST /tasks/batch-get in chunks of 100, with the GET's retries; the soonest Retry-After of all chunks. */
  private async fetchTasks(taskIds: readonly string[], signal?: AbortSignal): Promise<TaskBatch & BatchHint> {
    const unique = [...new Set(taskIds)];
    for (const taskId of unique) {
      if (!isWellFormedTaskId(taskId)) throw new InvalidTaskIdError(taskId, INVALID_TASK_ID_MESSAGE);
    }
    const result: TaskBatch & BatchHint = { tasks: [], notFound: [], retryAfterSeconds: undefined };
    const url = new URL(BATCH_GET_PATH, this.endpoint);
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX_IDS) {
      const chunk = unique.slice(i, i + BATCH_GET_MAX_IDS);
      const { response, retryAfterSeconds } = await this.send(url, signal, {
        method: "POST",
        body: JSON.stringify({ TaskIds: chunk }),
        contentType: "application/json",
      });
      const body = parseAnswer(url, "POST", await response.text(), parseBatch);
      result.tasks.push(...body.tasks);
      result.notFound.push(...body.notFound);
      if (retryAfterSeconds !== undefined) {
        result.retryAfterSeconds = Math.min(result.retryAfterSeconds ?? retryAfterSeconds, retryAfterSeconds);
      }
    }
    return result;
  }

  /**
   * One request that must answer 200, with the GET's retries (429, 5xx and network errors, with
   * backoff, never sooner than Retry-After); any other answer throws TaskApiRequestError.
   */
  private async send(
    url: URL,
    signal: AbortSignal | undefined,
    request: { method: "POST"; body: string; contentType: string },
  ): Promise<{ response: Response; retryAfterSeconds: number | undefined }> {
    for (let attempt = 1; ; attempt += 1) {
      let response: Response | undefined;
      let networkError: unknown;
      try {
        const headers: Record<string, string> = {
          accept: "application/json",
          "content-type": request.contentType,
          ...(await this.sign(url, request)),
        };
        response = await this.fetch(url, {
          method: request.method,
          headers,
          body: request.body,
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        networkError = error;
      }
      const retryAfterSeconds = parseRetryAfter(response?.headers.get("retry-after") ?? null);
      if (response?.status === 200) return { response, retryAfterSeconds };
      const retryable = response === undefined || response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= this.retry.maxAttempts) {
        const reason =
          response === undefined
            ? describeNetworkError(networkError)
            : `${response.status}: ${(await errorOf(response)).message}`;
        throw new TaskApiRequestError(
          `${request.method} ${url.pathname} answered ${reason}${attempt > 1 ? ` (${attempt} attempts)` : ""}`,
          response?.status,
          attempt,
          ...(networkError === undefined ? [] : [{ cause: networkError }]),
        );
      }
      await this.sleep(retryDelayMs(attempt, this.retry, retryAfterSeconds), signal);
    }
  }

  /** Keeps a task's last answer for If-None-Match, the most recently used KEPT_ANSWERS of them. */
  private keep(taskId: string, answer: { etag: string; task: Task }): void {
    this.kept.delete(taskId);
    this.kept.set(taskId, answer);
    const oldest = this.kept.keys().next();
    if (this.kept.size > KEPT_ANSWERS && oldest.done !== true) this.kept.delete(oldest.value);
  }

  /** One GET with retries; keeps the answer's ETag and body for the next If-None-Match. */
  private async fetchTask(taskId: string, signal?: AbortSignal): Promise<Fetched> {
    // The contract's ID rule, checked here too: an ID of dots would be collapsed out of the URL.
    if (!isWellFormedTaskId(taskId)) throw new InvalidTaskIdError(taskId, INVALID_TASK_ID_MESSAGE);
    const url = new URL(taskPath(taskId), this.endpoint);
    for (let attempt = 1; ; attempt += 1) {
      const kept = this.kept.get(taskId);
      let response: Response | undefined;
      let networkError: unknown;
      try {
        const headers: Record<string, string> = { accept: "application/json", ...(await this.sign(url)) };
        if (kept !== undefined) headers["if-none-match"] = kept.etag;
        response = await this.fetch(url, { headers, ...(signal === undefined ? {} : { signal }) });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        networkError = error;
      }

      if (response !== undefined) {
        const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
        if (response.status === 304 && kept !== undefined) {
          return { task: kept.task, retryAfterSeconds, notModified: true };
        }
        if (response.status === 200) {
          const task = parseAnswer(url, "GET", await response.text(), parseTask);
          const etag = response.headers.get("etag");
          if (etag !== null) this.keep(taskId, { etag, task });
          return { task, retryAfterSeconds, notModified: false };
        }
        const { message, body } = await errorOf(response);
        if (response.status === 404) {
          if (isTaskNotFoundBody(body)) throw new TaskNotFoundError(taskId, message);
          // API Gateway's route-level 404 ({"message":"Not Found"}): the endpoint is wrong, not the task.
          throw new TaskApiRequestError(
            `GET ${url.href} answered 404 without reaching the task API (${message}): check the endpoint`,
            404,
            attempt,
          );
        }
        if (response.status === 400) throw new InvalidTaskIdError(taskId, message);
        if (response.status !== 429 && response.status < 500) {
          throw new TaskApiRequestError(
            `GET ${url.pathname} answered ${response.status}: ${message}`,
            response.status,
            attempt,
          );
        }
        if (attempt >= this.retry.maxAttempts) {
          throw new TaskApiRequestError(
            `GET ${url.pathname} answered ${response.status} ${attempt} times: ${message}`,
            response.status,
            attempt,
          );
        }
        await this.sleep(retryDelayMs(attempt, this.retry, retryAfterSeconds), signal);
        continue;
      }
      if (attempt >= this.retry.maxAttempts) {
        throw new TaskApiRequestError(
          `GET ${url.pathname} failed ${attempt} times: ${describeNetworkError(networkError)}`,
          undefined,
          attempt,
          {
            cause: networkError,
          },
        );
      }
      await this.sleep(retryDelayMs(attempt, this.retry, undefined), signal);
    }
  }
}

/**
 * How many tasks' last answers a client keeps for If-None-Match: a long-lived client polling many
 * tasks stays bounded; a task beyond it just costs a 200 instead of a 304.
 */
const KEPT_ANSWERS = 1000;

/** A 200's body through a parser; a body the contract does not allow is a TaskApiRequestError naming what was wrong. */
function parseAnswer<T>(url: URL, method: string, text: string, parse: (value: unknown) => T): T {
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    const problem = error instanceof MalformedAnswerError ? error.problem : "the body is not JSON";
    throw new TaskApiRequestError(
      `${method} ${url.pathname} answered 200 with a body that breaks the contract: ${problem}`,
      200,
      1,
    );
  }
}

/** What many tasks' polls see: the tasks, in the order asked, and the IDs with no task. */
export interface TaskBatch {
  tasks: Task[];
  notFound: string[];
}

interface BatchHint {
  retryAfterSeconds: number | undefined;
}

/** fetch's TypeError says only "fetch failed"; the reason is in its cause (ECONNREFUSED, ENOTFOUND, ...). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** An error answer's message (the API's `error`, or a gateway's `message`) and its parsed body. */
async function errorOf(response: Response): Promise<{ message: string; body: unknown }> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown } | null;
    return { message: String(body?.error ?? body?.message ?? text), body };
  } catch {
    return { message: text.slice(0, 200), body: undefined };
  }
}
