import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { API_READ_FIELDS, SENDER_READ_FIELDS, TASK_ID_ATTRIBUTE } from "@task-api/contract";
import { classifyDynamoFailure } from "./dynamoFailures";
import { TaskLookupUnavailableError } from "./errors";
import type { StoredTask } from "./storedTask";
import type { TaskRepository } from "./taskStatusService";

/** Status and Result are DynamoDB reserved words, so every projected name goes through a placeholder. */
function projectionOf(attributes: readonly string[]) {
  const names = Object.fromEntries(attributes.map((field, i) => [`#a${i}`, field]));
  return { ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names };
}

/**
 * Reads tasks with one strongly consistent GetItem, projected to what the API reads: the spec's
 * attributes, Progress, EstimatedSeconds, the TTL, the deadlines; with `withCallbackUrl` (the
 * webhook sender), the record's CallbackUrl too. The API's reads never fetch it.
 */
export class DynamoTaskRepository implements TaskRepository {
  private readonly projection: ReturnType<typeof projectionOf>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { withCallbackUrl?: boolean } = {},
  ) {
    this.projection = projectionOf(
      options.withCallbackUrl === true ? [...API_READ_FIELDS, ...SENDER_READ_FIELDS] : API_READ_FIELDS,
    );
  }

  /**
   * One GetItem, retried by the SDK within `signal`'s time: when it fires, the call is abandoned
   * (no further retry) and the failure is reported as a timeout.
   */
  async findTask(taskId: string, signal?: AbortSignal): Promise<StoredTask | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { [TASK_ID_ATTRIBUTE]: taskId },
          // A processor that has just written the task hands its id straight to the caller.
          ConsistentRead: true,
          ...this.projection,
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
      return Item;
    } catch (error) {
      throw classifyDynamoFailure(error, signal?.aborted === true);
    }
  }

  /**
   * The tasks with these IDs (at most 100), by ID: one strongly consistent BatchGetItem with the
   * same projection as findTask. Keys DynamoDB leaves unprocessed (throttling, the 16 MB answer
   * cap) are asked for again with backoff while `signal` allows; any still left then make the
   * whole read unavailable (503), never a partial answer.
   */
  async findTasks(taskIds: readonly string[], signal?: AbortSignal): Promise<Map<string, StoredTask>> {
    const found = new Map<string, StoredTask>();
    let keys: Array<Record<string, unknown>> = taskIds.map((taskId) => ({ [TASK_ID_ATTRIBUTE]: taskId }));
    try {
      for (let round = 0; keys.length > 0; round += 1) {
        if (round > 0) await backoff(round, signal);
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: keys,
                ConsistentRead: true,
                ...this.projection,
              },
            },
          }),
          signal === undefined ? {} : { abortSignal: signal },
        );
        for (const item of Responses?.[this.tableName] ?? []) found.set(String(item[TASK_ID_ATTRIBUTE]), item);
        keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (keys.length > 0 && round + 1 >= UNPROCESSED_KEY_ROUNDS) {
          throw new TaskLookupUnavailableError(new Error("keys left unprocessed"), "UnprocessedKeys");
        }
      }
      return found;
    } catch (error) {
      if (error instanceof TaskLookupUnavailableError) throw error;
      throw classifyDynamoFailure(error, signal?.aborted === true);
    }
  }
}

/** How many BatchGetItem calls one batch may take for its unprocessed keys (AWS: retry them with backoff). */
const UNPROCESSED_KEY_ROUNDS = 5;

/** 50, 100, 200, 400 ms with full jitter, given up when the budget's signal fires. */
function backoff(round: number, signal?: AbortSignal): Promise<void> {
  const ms = Math.random() * 50 * 2 ** (round - 1);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
