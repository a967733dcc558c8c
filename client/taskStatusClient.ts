import { createWaiter, WaiterState } from "@smithy/core/client";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { INVALID_TASK_ID_MESSAGE, isTaskNotFoundBody, isWellFormedTaskId, taskPath } from "task-api-contract";
import {
  InvalidTaskIdError,
  TaskApiRequestError,
  TaskClientConfigError,
  TaskFailedError,
  TaskNotFoundError,
  TaskWaitTimeoutError,
} from "./errors";
import { type RequestSigner, regionOfEndpoint, sigv4Signer, unsignedRequests } from "./requestSigner";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy, retryDelayMs } from "./retrySchedule";
import { isCompleted, isFailed, type Task } from "./task";

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
  /** The server's Retry-After: the earliest the next poll will go out. */
  nextPollNotBeforeSeconds: number | undefined;
  /** True when the server answered 304 and the kept copy was used. */
  notModified: boolean;
}

export interface WaitOptions {
  /** Give up (TaskWaitTimeoutError) after this long. */
  maxWaitSeconds: number;
  /** The waiter's smallest delay between polls (default 2 s, or the server's Retry-After if larger). */
  minDelaySeconds?: number;
  /** The waiter's largest delay between polls (default 30 s). */
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
 * task costs an empty 304, and waits for a task with the AWS SDK's waiter, never polling sooner
 * than the server's Retry-After.
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
   * past maxWaitSeconds rejects with TaskWaitTimeoutError.
   */
  async waitForTask(taskId: string, options: WaitOptions): Promise<Task> {
    const started = Date.now();
    const deadline = started + options.maxWaitSeconds * 1000;
    const maxDelay = Math.max(options.maxDelaySeconds ?? 30, 0.001);
    let minDelay = Math.min(options.minDelaySeconds ?? 2, maxDelay);
    let notBefore = 0;
    let lastSeen: Task | undefined;
    let attempt = 0;
    let endedEarly: string | undefined;
    const tooLate = (delaySeconds: number) =>
      `the next poll could not come before the deadline (polls are at least ${delaySeconds} s apart)`;

    const poll = async (): Promise<{ state: WaiterState; reason?: Task }> => {
      const wait = notBefore - Date.now();
      if (wait > 0) {
        // The waiter's backoff is at least minDelay, but it shortens the last delay to meet the
        // deadline: that must not bring a poll before Retry-After.
        if (Date.now() + wait > deadline) {
          endedEarly = tooLate(minDelay);
          return { state: WaiterState.TIMEOUT };
        }
        await this.sleep(wait, options.signal);
      }
      const fetched = await this.fetchTask(taskId, options.signal);
      attempt += 1;
      lastSeen = fetched.task;
      if (fetched.retryAfterSeconds !== undefined) {
        notBefore = Date.now() + fetched.retryAfterSeconds * 1000;
        minDelay = Math.min(Math.max(minDelay, fetched.retryAfterSeconds), maxDelay);
      }
      options.onPoll?.({
        attempt,
        task: fetched.task,
        elapsedSeconds: (Date.now() - started) / 1000,
        nextPollNotBeforeSeconds: fetched.retryAfterSeconds,
        notModified: fetched.notModified,
      });
      if (isCompleted(fetched.task)) return { state: WaiterState.SUCCESS, reason: fetched.task };
      if (isFailed(fetched.task)) return { state: WaiterState.FAILURE, reason: fetched.task };
      return { state: WaiterState.RETRY, reason: fetched.task };
    };

    // The first poll tells the waiter the server's Retry-After before it picks any delay.
    const first = await poll();
    // The waiter checks once at once, then backs off; that check must wait like any other.
    notBefore = Math.max(notBefore, Date.now() + minDelay * 1000);
    let result: { state: WaiterState; reason?: Task } = first;
    const remaining = (deadline - Date.now()) / 1000;
    if (first.state === WaiterState.RETRY) {
      result =
        remaining > minDelay
          ? await createWaiter(
              {
                client: this,
                maxWaitTime: remaining,
                minDelay,
                maxDelay: Math.max(maxDelay, minDelay),
                ...(options.signal === undefined ? {} : { abortSignal: options.signal }),
              },
              taskId,
              poll,
            )
          : { state: WaiterState.TIMEOUT };
      if (remaining <= minDelay) endedEarly = tooLate(minDelay);
    }
    switch (result.state) {
      case WaiterState.SUCCESS:
        return result.reason ?? expectTask(lastSeen);
      case WaiterState.FAILURE:
        throw new TaskFailedError(result.reason ?? expectTask(lastSeen));
      case WaiterState.ABORTED:
        throw options.signal?.reason ?? new Error("aborted");
      default:
        throw new TaskWaitTimeoutError(
          taskId,
          options.maxWaitSeconds,
          (Date.now() - started) / 1000,
          lastSeen,
          // Ended before the deadline: the next poll would have come after it.
          Date.now() < deadline ? (endedEarly ?? tooLate(minDelay)) : undefined,
        );
    }
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
          const task = (await response.json()) as Task;
          const etag = response.headers.get("etag");
          if (etag !== null) this.kept.set(taskId, { etag, task });
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

/** fetch's TypeError says only "fetch failed"; the reason is in its cause (ECONNREFUSED, ENOTFOUND, ...). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function expectTask(task: Task | undefined): Task {
  if (task === undefined) throw new Error("no task was seen");
  return task;
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
