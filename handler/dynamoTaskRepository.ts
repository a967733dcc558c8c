import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { DEADLINES, PROGRESS_ATTRIBUTE, TASK_FIELDS, TASK_ID_ATTRIBUTE, TASK_TTL_ATTRIBUTE } from "task-api-contract";
import { classifyDynamoFailure } from "./dynamoFailures";
import type { StoredTask } from "./taskRecord";
import type { TaskRepository } from "./taskStatusService";

// Status and Result are DynamoDB reserved words, so every projected name goes through a placeholder.
const PROJECTION_NAMES = Object.fromEntries(
  [
    ...TASK_FIELDS,
    PROGRESS_ATTRIBUTE,
    TASK_TTL_ATTRIBUTE,
    ...Object.values(DEADLINES).flatMap((deadline) => [deadline.secondsAttribute, deadline.deadlineAttribute]),
  ].map((field, i) => [`#a${i}`, field]),
);
const PROJECTION_EXPRESSION = Object.keys(PROJECTION_NAMES).join(", ");

/** Reads tasks with one strongly consistent GetItem, projected to what the API reads: the spec's attributes, Progress, the TTL, the deadlines. */
export class DynamoTaskRepository implements TaskRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
          ProjectionExpression: PROJECTION_EXPRESSION,
          ExpressionAttributeNames: PROJECTION_NAMES,
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
      return Item;
    } catch (error) {
      throw classifyDynamoFailure(error, signal?.aborted === true);
    }
  }
}
