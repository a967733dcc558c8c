import { nextWebhookAttemptDelaySeconds, parseWebhookJob } from "@task-api/contract";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { DeliveryOutcome, TaskWebhookSender } from "./taskWebhookSender";

/** Sets when a failed message is seen again: SQS's ChangeMessageVisibility. */
export type VisibilityChanger = (receiptHandle: string, seconds: number) => Promise<void>;

/** The part of a structured logger the queue handler needs. */
export interface DeliveryLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * One batch of the sender's queue. Each message is one attempt of one delivery; its
 * ApproximateReceiveCount is the attempt's number. A delivery that is due again stays on the
 * queue, hidden until its next attempt (ChangeMessageVisibility to the schedule's next delay, at
 * most 10 h of SQS's 12 h), and is reported as a batch item failure so that Lambda does not
 * delete it. After the last attempt it is made visible at once, and SQS's redrive policy
 * (maxReceiveCount = WEBHOOK_ATTEMPTS) moves it to the dead-letter queue at its next receive.
 */
export async function handleWebhookBatch(
  event: SQSEvent,
  deps: { sender: Pick<TaskWebhookSender, "send">; changeVisibility: VisibilityChanger; logger: DeliveryLogger },
): Promise<SQSBatchResponse> {
  const failures = await Promise.all(event.Records.map((record) => handleRecord(record, deps)));
  return {
    batchItemFailures: failures.flatMap((failed) => (failed === undefined ? [] : [{ itemIdentifier: failed }])),
  };
}

/** The message's id when it must stay on the queue, undefined when it is done with. */
async function handleRecord(
  record: SQSRecord,
  deps: { sender: Pick<TaskWebhookSender, "send">; changeVisibility: VisibilityChanger; logger: DeliveryLogger },
): Promise<string | undefined> {
  const job = parseWebhookJob(record.body);
  if (job === undefined) {
    deps.logger.error("Webhook queue message is not a delivery; dropped", { messageId: record.messageId });
    return undefined;
  }
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  let outcome: DeliveryOutcome;
  try {
    outcome = await deps.sender.send(job);
  } catch (error) {
    // The table or the secret could not be read: the attempt did not happen; try again soon.
    deps.logger.error("Webhook attempt failed before sending", { taskId: job.TaskId, attempt, error });
    return record.messageId;
  }
  const attributes = { taskId: job.TaskId, attempt, ...outcome };
  if (outcome.result !== "retry") {
    if (outcome.result === "refused") deps.logger.warn("Webhook refused: not a public address", attributes);
    else deps.logger.info(`Webhook ${outcome.result}`, attributes);
    return undefined;
  }
  const delay = nextWebhookAttemptDelaySeconds(attempt);
  deps.logger.warn(
    delay === undefined
      ? "Webhook failed its last attempt; to the dead-letter queue"
      : "Webhook attempt failed; retrying",
    {
      ...attributes,
      nextAttemptInSeconds: delay,
    },
  );
  try {
    await deps.changeVisibility(record.receiptHandle, delay ?? 0);
  } catch (error) {
    // The message comes back after the queue's own visibility timeout instead: sooner, never lost.
    deps.logger.error("Could not schedule the webhook's next attempt", { ...attributes, error });
  }
  return record.messageId;
}
