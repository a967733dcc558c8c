import { nextWebhookAttemptDelaySeconds, WEBHOOK_ATTEMPTS, type WebhookJob } from "@task-api/contract";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { expect } from "chai";
import { type DeliveryLogger, handleWebhookBatch } from "../../webhooks/queueHandler";
import type { DeliveryOutcome } from "../../webhooks/taskWebhookSender";

function record(messageId: string, body: unknown, receiveCount: number): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "0",
      SenderId: "events",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:task-webhooks-1",
    awsRegion: "eu-west-1",
  };
}

const quiet: DeliveryLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The batch's answer and the visibility changes, with each task's outcome scripted. */
async function handle(records: SQSRecord[], outcomes: Record<string, DeliveryOutcome | Error>) {
  const visibility: Array<[string, number]> = [];
  const sent: WebhookJob[] = [];
  const response = await handleWebhookBatch({ Records: records } as SQSEvent, {
    sender: {
      send: async (job) => {
        sent.push(job);
        const outcome = outcomes[job.TaskId];
        if (outcome === undefined || outcome instanceof Error) throw outcome ?? new Error("unscripted");
        return outcome;
      },
    },
    changeVisibility: async (receipt, seconds) => {
      visibility.push([receipt, seconds]);
    },
    logger: quiet,
  });
  return { failed: response.batchItemFailures.map((f) => f.itemIdentifier), visibility, sent };
}

const retry = (id: string): DeliveryOutcome => ({ result: "retry", webhookId: id, status: 503, reason: "HTTP 503" });

describe("webhooks/queueHandler: handleWebhookBatch", () => {
  it("deletes delivered, gone, refused and skipped deliveries, and keeps each retry hidden until its next attempt", async () => {
    const { failed, visibility } = await handle(
      [
        record("m1", { TaskId: "a", Status: "completed" }, 1),
        record("m2", { TaskId: "b", Status: "failed", Stack: "dev" }, 1),
        record("m3", { TaskId: "c", Status: "completed" }, 3),
        record("m4", { TaskId: "d", Status: "completed" }, 1),
        record("m5", { TaskId: "e", Status: "completed" }, 1),
      ],
      {
        a: { result: "delivered", webhookId: "a", status: 204 },
        b: { result: "gone", webhookId: "b", status: 410 },
        c: retry("c"),
        d: { result: "refused", webhookId: "d", reason: "not public" },
        e: { result: "skipped", webhookId: "e", reason: "no CallbackUrl" },
      },
    );
    expect(failed).to.deep.equal(["m3"]);
    // The third attempt failed: the fourth comes 30 minutes later.
    expect(visibility).to.deep.equal([["receipt-m3", 1800]]);
  });

  it("follows the whole schedule, attempt by attempt, and makes the last failure visible at once for the dead-letter queue", async () => {
    const delays: number[] = [];
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt += 1) {
      const { failed, visibility } = await handle([record("m", { TaskId: "t", Status: "completed" }, attempt)], {
        t: retry("t"),
      });
      expect(failed).to.deep.equal(["m"]);
      delays.push(visibility[0]?.[1] ?? -1);
    }
    expect(delays).to.deep.equal([5, 300, 1800, 7200, 18_000, 36_000, 36_000, 0]);
    expect(nextWebhookAttemptDelaySeconds(WEBHOOK_ATTEMPTS)).to.equal(undefined);
  });

  it("keeps a delivery whose attempt could not be made (the table unreachable) without spending a delay", async () => {
    const { failed, visibility } = await handle([record("m", { TaskId: "t", Status: "failed" }, 2)], {
      t: new Error("DynamoDB unavailable"),
    });
    expect(failed).to.deep.equal(["m"]);
    expect(visibility).to.deep.equal([]);
  });

  it("drops a message that is not a delivery", async () => {
    const { failed, sent } = await handle(
      [record("m1", "not json", 1), record("m2", { TaskId: "t", Status: "processing" }, 1)],
      {},
    );
    expect(failed).to.deep.equal([]);
    expect(sent).to.deep.equal([]);
  });
});
