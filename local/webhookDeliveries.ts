/**
 * `npm start`'s webhook sender: the deployed sender's code (TaskWebhookSender), fed by the task
 * table's stream on DynamoDB Local instead of the bus, rule and queue, which have no emulator. It
 * reads the stream as the pipes do, takes each write that moves a task into completed or failed,
 * and makes its attempts on the same schedule (optionally compressed, for tests), in memory.
 */
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { nextWebhookAttemptDelaySeconds, WEBHOOK_TYPES, type WebhookJob, type WebhookStatus } from "@task-api/contract";
import type { DeliveryOutcome, TaskWebhookSender } from "../webhooks/taskWebhookSender";

/** How often the stream is read: well inside the 2 s a local delivery may take. */
const POLL_INTERVAL_MS = 200;

export interface LocalWebhookDeliveries {
  /** Every attempt's outcome so far, in order (for tests and the log). */
  readonly outcomes: ReadonlyArray<DeliveryOutcome & { attempt: number }>;
  stop(): Promise<void>;
}

/** The status a stream record's write moved the task into, when it is one a webhook is sent for. */
export function webhookStatusOf(record: {
  dynamodb?: { NewImage?: Record<string, { S?: string }>; OldImage?: Record<string, { S?: string }> };
}): WebhookStatus | undefined {
  const next = record.dynamodb?.NewImage?.Status?.S;
  const before = record.dynamodb?.OldImage?.Status?.S;
  if (next === undefined || !(next in WEBHOOK_TYPES) || next === before) return undefined;
  return next as WebhookStatus;
}

/** The table has no stream to follow (an external table made without one): no webhooks locally. */
export class TableWithoutStreamError extends Error {
  override name = "TableWithoutStreamError";
  constructor(readonly tableName: string) {
    super(`table ${tableName} has no stream`);
  }
}

export async function startLocalWebhookDeliveries(args: {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  sender: Pick<TaskWebhookSender, "send">;
  /** Each outcome as it happens (npm start prints them). */
  onOutcome?: (outcome: DeliveryOutcome & { attempt: number }) => void;
  /** Multiplies the schedule's delays: 1 (the default) is the deployed schedule; tests compress it. */
  delayScale?: number;
}): Promise<LocalWebhookDeliveries> {
  const { Table } = await args.dynamo.send(new DescribeTableCommand({ TableName: args.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (streamArn === undefined) throw new TableWithoutStreamError(args.tableName);
  const scale = args.delayScale ?? 1;
  const outcomes: Array<DeliveryOutcome & { attempt: number }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const attempt = (job: WebhookJob, number: number) => {
    const run = args.sender
      .send(job)
      .catch(
        (error: unknown): DeliveryOutcome => ({
          result: "retry",
          webhookId: "",
          reason: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((outcome) => {
        const recorded = { ...outcome, attempt: number };
        outcomes.push(recorded);
        args.onOutcome?.(recorded);
        if (outcome.result !== "retry" || stopped) return;
        const delay = nextWebhookAttemptDelaySeconds(number);
        if (delay === undefined) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            attempt(job, number + 1);
          },
          delay * 1000 * scale,
        );
        timers.add(timer);
      });
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  // Shards open when the follower starts are read from their newest record; any opened later, whole.
  const iterators = new Map<string, string | undefined>();
  const openShards = async (type: "LATEST" | "TRIM_HORIZON") => {
    const { StreamDescription } = await args.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = String(shard.ShardId);
      if (iterators.has(id)) continue;
      const { ShardIterator } = await args.streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: type }),
      );
      iterators.set(id, ShardIterator);
    }
  };
  await openShards("LATEST");

  let polling: Promise<void> = Promise.resolve();
  const poll = async () => {
    for (const [shard, iterator] of iterators) {
      if (iterator === undefined || stopped) continue;
      const page = await args.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      iterators.set(shard, page.NextShardIterator);
      for (const record of page.Records ?? []) {
        const status = webhookStatusOf(record);
        const taskId = record.dynamodb?.NewImage?.TaskId?.S;
        if (status !== undefined && taskId !== undefined) attempt({ TaskId: taskId, Status: status }, 1);
      }
    }
    await openShards("TRIM_HORIZON");
  };
  const ticker = setInterval(() => {
    polling = polling.then(poll).catch((error: unknown) => {
      if (!stopped)
        console.error(`webhooks: reading the stream failed: ${error instanceof Error ? error.message : error}`);
    });
  }, POLL_INTERVAL_MS);

  return {
    outcomes,
    stop: async () => {
      stopped = true;
      clearInterval(ticker);
      for (const timer of timers) clearTimeout(timer);
      await polling;
      await Promise.allSettled([...inFlight]);
    },
  };
}
