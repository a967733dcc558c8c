import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { VisibilityChanger } from "./queueHandler";

/** Hides a message of the sender's queue for `seconds` (its next attempt's delay) with ChangeMessageVisibility. */
export function sqsVisibilityChanger(sqs: SQSClient, queueUrl: string): VisibilityChanger {
  return async (receiptHandle, seconds) => {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  };
}
