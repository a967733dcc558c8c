import { type TaskWebhook, WEBHOOK_TYPES } from "@task-api/contract";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

/** A delivery that is not task-api's: a bad or missing signature, a timestamp outside 5 minutes, or a body that is not a task webhook. */
export class TaskWebhookVerificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TaskWebhookVerificationError";
  }
}

/** Headers as a receiver has them: a fetch Headers, Node's IncomingHttpHeaders, or a plain record. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

const NAMES = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

function headerValues(headers: WebhookHeaders): Record<string, string> {
  const values: Record<string, string> = {};
  const get =
    typeof headers.get === "function"
      ? (name: string) => (headers as { get(name: string): string | null }).get(name) ?? undefined
      : (name: string) => {
          const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
          const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
          const value = key === undefined ? undefined : record[key];
          return Array.isArray(value) ? value.join(" ") : (value as string | undefined);
        };
  for (const name of NAMES) {
    const value = get(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/**
 * Checks a task webhook as it arrived (the raw body, exactly as received, and its headers) with
 * the `standardwebhooks` library, and returns the delivery. Throws TaskWebhookVerificationError
 * when no signature matches `secret` (a whsec_ secret; during a rotation, either of the two the
 * stack signs with matches), when webhook-timestamp is more than 5 minutes from this clock, or
 * when the body is not a task webhook. De-duplicate by the `webhook-id` header: every attempt of
 * one delivery carries the same one.
 */
export function verifyTaskWebhook(body: string | Buffer, headers: WebhookHeaders, secret: string): TaskWebhook {
  let parsed: unknown;
  try {
    parsed = new Webhook(secret).verify(body, headerValues(headers));
  } catch (error) {
    const reason = error instanceof WebhookVerificationError || error instanceof Error ? error.message : String(error);
    throw new TaskWebhookVerificationError(`Not a valid task webhook: ${reason}`, { cause: error });
  }
  const delivery = parsed as Partial<TaskWebhook> | undefined;
  const types: readonly string[] = Object.values(WEBHOOK_TYPES);
  if (
    typeof delivery !== "object" ||
    delivery === null ||
    typeof delivery.type !== "string" ||
    !types.includes(delivery.type) ||
    typeof delivery.timestamp !== "string" ||
    typeof delivery.data !== "object" ||
    delivery.data === null ||
    typeof delivery.data.TaskId !== "string"
  ) {
    throw new TaskWebhookVerificationError("Not a valid task webhook: the signed body is not a task delivery");
  }
  return delivery as TaskWebhook;
}
