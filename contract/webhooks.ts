import type { TaskRecordField } from "./taskFields.js";
import type { TaskResponse } from "./taskRecord.js";

/**
 * A task's callback: the URL its caller gave the processor at `start`, POSTed a signed delivery
 * when the task completes or fails (Standard Webhooks, https://www.standardwebhooks.com/). Stored
 * on the record, never answered by GET or batch-get: it may carry the receiver's own token.
 */
export const CALLBACK_URL_ATTRIBUTE = "CallbackUrl" satisfies TaskRecordField;

/** The longest callback URL a task takes, in characters. */
export const CALLBACK_URL_MAX_LENGTH = 2048;

// Grouped by hand: toLocaleString would load ICU's number formats at module load, 12-19 ms of
// CPU in every cold start of the functions that bundle the contract (measured with node -e).
export const CALLBACK_URL_RULE = `must be an absolute https:// or http:// URL of at most ${String(CALLBACK_URL_MAX_LENGTH).replace(/\B(?=(\d{3})+$)/g, ",")} characters, without user info`;

/** Whether a value is a callback URL a task takes: absolute http(s), at most 2,048 characters, no user info. */
export function isCallbackUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > CALLBACK_URL_MAX_LENGTH) return false;
  // URL.parse (Node 22.1+) returns null for anything that is not an absolute URL.
  const url = URL.parse(value);
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") return false;
  // A scheme must be followed by "//" (new URL("https:example.com") parses, as a special scheme's quirk).
  if (!/^https?:\/\//i.test(value)) return false;
  return url.username === "" && url.password === "";
}

/** The delivery's `type` for each status that sends one (the same transitions the task events fire on). */
export const WEBHOOK_TYPES = {
  completed: "task.completed",
  failed: "task.failed",
} as const;

export type WebhookStatus = keyof typeof WEBHOOK_TYPES;
export type TaskWebhookType = (typeof WEBHOOK_TYPES)[WebhookStatus];

/** The body of a delivery: its type, when the task moved, and the task exactly as GET /task/{id} answered it when sent. */
export interface TaskWebhook {
  type: TaskWebhookType;
  /** ISO 8601 UTC: when the task moved into its final status (its Updated_at). */
  timestamp: string;
  data: TaskResponse;
}

/**
 * The delivery's `webhook-id`: the same on every attempt and every redelivery of one task's one
 * transition (a receiver de-duplicates by it), and different for any other. A task moves into a
 * final status once, so its ID and that status name the delivery.
 */
export function webhookIdFor(taskId: string, status: WebhookStatus): string {
  return `task_${status}_${taskId}`;
}

/**
 * When each retry is sent, in seconds after the attempt before it: Standard Webhooks' published
 * schedule (Svix's and Replicate's): at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.
 * Eight attempts over 27 h 35 min; after the last, the delivery goes to the dead-letter queue.
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;

/** Every attempt a delivery gets: the first, and one per retry delay. */
export const WEBHOOK_ATTEMPTS = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;

/** How far a delivery's webhook-timestamp may be from the receiver's clock (Standard Webhooks: 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * A delivery to make, as the sender's queue holds it: the task and the status it moved into. The
 * stack's rule builds it from each Task Completed / Task Failed event; `task-record redeliver`
 * sends the same. The sender reads the rest (the callback URL, the answer) from the table.
 */
export interface WebhookJob {
  TaskId: string;
  Status: WebhookStatus;
}

/** A queue message's body as a WebhookJob, or undefined when it is not one. */
export function parseWebhookJob(body: string): WebhookJob | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { TaskId, Status } = value as Record<string, unknown>;
  if (typeof TaskId !== "string" || TaskId === "") return undefined;
  if (Status !== "completed" && Status !== "failed") return undefined;
  return { TaskId, Status };
}

/**
 * How long after attempt `attemptsMade` (1 for the first) the next is due, in seconds; undefined
 * once the last attempt has been made (the delivery goes to the dead-letter queue).
 */
export function nextWebhookAttemptDelaySeconds(attemptsMade: number): number | undefined {
  return WEBHOOK_RETRY_DELAYS_SECONDS[attemptsMade - 1];
}
