import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  DEADLINE_ATTRIBUTE_NAMES,
  DEADLINE_EXCEEDED_CODE,
  DEADLINE_SHARDS,
  DEADLINES,
  type DeadlineDefinition,
  deadlineTimestamp,
  epochSeconds,
  isDeadlineSeconds,
  namesTheFailure,
  TASK_ID_ATTRIBUTE,
  usedIn,
} from "@task-api/contract";

export interface SweepOptions {
  documents: Pick<DynamoDBDocumentClient, "send">;
  tableName: string;
  /** The time; a parameter so that tests can move it. */
  now?: () => Date;
  /** How long after a deadline a task is failed (the stack's DEADLINE_GRACE_SECONDS), as the API judges it. */
  graceSeconds: number;
  /** Asked before each page: true when the run's time is nearly spent (what is left is swept next run). */
  shouldStop?: () => boolean;
  /** Tasks failed at once (conditional writes in flight). */
  concurrency?: number;
  /** Index entries read per query page. */
  pageSize?: number;
}

/** What one sweep did. */
export interface SweepReport {
  /** Tasks this sweep moved to failed. */
  failed: number;
  /** Due index entries whose task had moved on first (finished, reported, or failed by the other deadline). */
  skipped: number;
  /** Query pages read, over every shard of both indexes. */
  pages: number;
  /** False when the sweep stopped early: due tasks may remain for the next run. */
  complete: boolean;
}

/**
 * Fails every task in progress whose deadline has passed, found through the sparse deadline
 * indexes (one query per shard, no Scan). Each task is failed by one conditional write that
 * loses to any writer who got there first: it applies only while the task is processing and
 * its deadline is the one the index showed (a report since moved it), and only when this
 * deadline is the earlier of the two, so the record says what the API has been answering.
 */
export async function sweepDeadlines(options: SweepOptions): Promise<SweepReport> {
  const now = epochSeconds((options.now ?? (() => new Date()))());
  // Due: past its deadline by the grace, the instant the API starts answering it failed.
  const dueBy = now - options.graceSeconds;
  const shouldStop = options.shouldStop ?? (() => false);
  const report: SweepReport = { failed: 0, skipped: 0, pages: 0, complete: true };
  for (const definition of Object.values(DEADLINES)) {
    for (let shard = 0; shard < DEADLINE_SHARDS; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        if (shouldStop()) return { ...report, complete: false };
        const page = await options.documents.send(
          new QueryCommand({
            TableName: options.tableName,
            IndexName: definition.indexName,
            KeyConditionExpression: "#k = :shard AND #d <= :now",
            ExpressionAttributeNames: { "#k": definition.shardAttribute, "#d": definition.deadlineAttribute },
            ExpressionAttributeValues: { ":shard": shard, ":now": dueBy },
            Limit: options.pageSize ?? 100,
            ExclusiveStartKey: startKey,
          }),
        );
        report.pages += 1;
        startKey = page.LastEvaluatedKey;
        const outcomes = await inBatches(page.Items ?? [], options.concurrency ?? 16, (item) =>
          failPastDeadline(options, definition, item),
        );
        for (const failed of outcomes) {
          if (failed) report.failed += 1;
          else report.skipped += 1;
        }
      } while (startKey !== undefined);
    }
  }
  return report;
}

/** One conditional write: the task fails with DEADLINE_EXCEEDED, as of its deadline. False when it lost. */
async function failPastDeadline(
  options: SweepOptions,
  definition: DeadlineDefinition,
  item: Record<string, unknown>,
): Promise<boolean> {
  const taskId = item[TASK_ID_ATTRIBUTE];
  const deadline = item[definition.deadlineAttribute];
  const seconds = item[definition.secondsAttribute];
  if (typeof taskId !== "string" || typeof deadline !== "number" || !isDeadlineSeconds(seconds)) return false;
  const update = "SET #s = :failed, #u = :at, #e = :message, #c = :code REMOVE #hk, #tk";
  // The rule deadlineFailure applies, as the table judges it (contract/deadlineConditions.ts).
  const condition = `#s = :processing AND ${namesTheFailure(definition.kind)}`;
  try {
    await options.documents.send(
      new UpdateCommand({
        TableName: options.tableName,
        Key: { [TASK_ID_ATTRIBUTE]: taskId },
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: {
          "#s": "Status",
          "#u": "Updated_at",
          "#e": "ErrorMessage",
          "#c": "ErrorCode",
          ...usedIn(DEADLINE_ATTRIBUTE_NAMES, condition),
          "#hk": DEADLINES.heartbeat.shardAttribute,
          "#tk": DEADLINES.timeout.shardAttribute,
        },
        ExpressionAttributeValues: {
          ":failed": "failed",
          ":processing": "processing",
          ":at": deadlineTimestamp(deadline),
          ":message": definition.failureMessage(seconds, options.graceSeconds),
          ":code": DEADLINE_EXCEEDED_CODE,
          ":seen": deadline,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Runs `work` over `items`, at most `concurrency` at a time, and returns the results in order. */
async function inBatches<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency) {
    results.push(...(await Promise.all(items.slice(i, i + concurrency).map(work))));
  }
  return results;
}
