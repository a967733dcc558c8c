import { randomUUID } from "node:crypto";
import { type AttributeValue, ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { isValidProgress, isWellFormedTaskId, PROGRESS_ATTRIBUTE, TASK_ID_RULE } from "task-api-contract";
import {
  InvalidTaskInputError,
  TaskAlreadyExistsError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  TaskTransitionError,
} from "./errors";
import type { Completion, NewTask, TaskRecord } from "./taskRecord";

export interface TaskWriterOptions {
  /** The task table (`pulumi stack output tableName`). */
  tableName: string;
  /** A DynamoDB client; by default one from the environment (region, credentials, AWS_ENDPOINT_URL_DYNAMODB). */
  client?: DynamoDBClient;
  /** How long records live after `start` (the table's TTL, ExpiresAt); default 30 days. */
  retentionDays?: number;
  /** The time; a parameter so that tests can hold it still. */
  now?: () => Date;
}

const DEFAULT_RETENTION_DAYS = 30;
/** The fields that say what a task is; a repeated `start` must bring the same ones. */
const CONTENT_FIELDS = ["TaskType", "SourceBucket", "SourceKey", "TargetBucket", "TargetKey"] as const;

// Status is a DynamoDB reserved word.
const NAMES = { "#s": "Status", "#u": "Updated_at" };
const FROM_PROCESSING = "attribute_exists(TaskId) AND #s = :processing AND #u <= :now";

/**
 * Writes task records the API reads. Every write is one conditional DynamoDB request, so no
 * read-then-write race exists: a task starts once; only a task in progress takes progress, and
 * progress never goes down; only a task in progress completes or fails, and those states are
 * final; Updated_at never goes back. A retried write that already took effect (the same start,
 * the same completion or failure) succeeds and changes nothing; a conflicting one throws, with
 * the record as the table holds it. Throttling and 5xx are retried by the SDK.
 */
export class TaskWriter {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly now: () => Date;

  constructor(options: TaskWriterOptions) {
    if (options.tableName.trim() === "") throw new InvalidTaskInputError("tableName is required");
    const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
      throw new InvalidTaskInputError(`retentionDays must be a positive number, not ${retentionDays}`);
    }
    this.documents = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.tableName = options.tableName;
    this.retentionSeconds = Math.round(retentionDays * 86_400);
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the task, processing, and returns its record; the same start again returns the stored one. */
  async start(task: NewTask): Promise<TaskRecord> {
    const taskId = task.TaskId ?? randomUUID();
    checkTaskId(taskId);
    for (const field of ["TaskType", "SourceBucket", "SourceKey"] as const) {
      if (typeof task[field] !== "string" || task[field].trim() === "") {
        throw new InvalidTaskInputError(`${field} is required and must be a non-empty string`);
      }
    }
    const now = this.now();
    const at = now.toISOString();
    const record: TaskRecord = {
      TaskId: taskId,
      Status: "processing",
      TaskType: task.TaskType,
      SourceBucket: task.SourceBucket,
      SourceKey: task.SourceKey,
      ...(task.TargetBucket === undefined ? {} : { TargetBucket: task.TargetBucket }),
      ...(task.TargetKey === undefined ? {} : { TargetKey: task.TargetKey }),
      Created_at: at,
      Updated_at: at,
      ExpiresAt: Math.floor(now.getTime() / 1000) + this.retentionSeconds,
    };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: "attribute_not_exists(TaskId)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return record;
    } catch (error) {
      const existing = recordIn(error);
      if (existing === undefined) throw error;
      if (CONTENT_FIELDS.every((field) => existing[field] === record[field])) return existing;
      throw new TaskAlreadyExistsError(existing);
    }
  }

  /**
   * Sets Progress (a whole percentage) on a task in progress. A value below the stored one
   * changes nothing and returns the stored record: progress reports race, and the higher one is
   * the truth.
   */
  async progress(taskId: string, percent: number): Promise<TaskRecord> {
    checkTaskId(taskId);
    if (!isValidProgress(percent)) {
      throw new InvalidTaskInputError(`progress must be a whole number from 0 to 100, not ${percent}`);
    }
    const at = this.now().toISOString();
    try {
      return await this.update(
        taskId,
        "SET #p = :p, #u = :now",
        `${FROM_PROCESSING} AND (attribute_not_exists(#p) OR #p <= :p)`,
        { ":p": percent, ":now": at, ":processing": "processing" },
        { "#p": PROGRESS_ATTRIBUTE },
      );
    } catch (error) {
      const existing = this.explain(error, taskId);
      if (existing.Status === "processing" && typeof existing.Progress === "number" && existing.Progress > percent) {
        return existing;
      }
      throw this.refusal(taskId, "processing (progress)", at, existing);
    }
  }

  /** Completes a task in progress (Progress 100); the same completion again returns the stored record. */
  async complete(taskId: string, completion: Completion = {}): Promise<TaskRecord> {
    checkTaskId(taskId);
    const at = this.now().toISOString();
    const fields = Object.entries(completion).filter(([, value]) => value !== undefined) as Array<[string, string]>;
    for (const [field, value] of fields) {
      if (typeof value !== "string" || value === "")
        throw new InvalidTaskInputError(`${field} must be a non-empty string`);
    }
    const sets = fields.map((_, i) => `#c${i} = :c${i}`);
    try {
      return await this.update(
        taskId,
        `SET #s = :completed, #u = :now, #p = :hundred${sets.map((set) => `, ${set}`).join("")}`,
        FROM_PROCESSING,
        {
          ":completed": "completed",
          ":now": at,
          ":processing": "processing",
          ":hundred": 100,
          ...Object.fromEntries(fields.map(([, value], i) => [`:c${i}`, value])),
        },
        { "#p": PROGRESS_ATTRIBUTE, ...Object.fromEntries(fields.map(([field], i) => [`#c${i}`, field])) },
      );
    } catch (error) {
      const existing = this.explain(error, taskId);
      const same = fields.every(([field, value]) => existing[field as keyof TaskRecord] === value);
      if (existing.Status === "completed" && same) return existing;
      throw this.refusal(taskId, "completed", at, existing);
    }
  }

  /** Fails a task in progress with the error callers will see; the same failure again returns the stored record. */
  async fail(taskId: string, errorMessage: string): Promise<TaskRecord> {
    checkTaskId(taskId);
    if (typeof errorMessage !== "string" || errorMessage.trim() === "") {
      throw new InvalidTaskInputError("errorMessage is required and must be a non-empty string");
    }
    const at = this.now().toISOString();
    try {
      return await this.update(
        taskId,
        "SET #s = :failed, #u = :now, #e = :error",
        FROM_PROCESSING,
        {
          ":failed": "failed",
          ":now": at,
          ":processing": "processing",
          ":error": errorMessage,
        },
        { "#e": "ErrorMessage" },
      );
    } catch (error) {
      const existing = this.explain(error, taskId);
      if (existing.Status === "failed" && existing.ErrorMessage === errorMessage) return existing;
      throw this.refusal(taskId, "failed", at, existing);
    }
  }

  /** One conditional UpdateItem that returns the new record, or the old one when the condition fails. */
  private async update(
    taskId: string,
    updateExpression: string,
    condition: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<TaskRecord> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { TaskId: taskId },
        UpdateExpression: updateExpression,
        ConditionExpression: condition,
        ExpressionAttributeNames: { ...NAMES, ...names },
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return Attributes as TaskRecord;
  }

  /** The stored record behind a refused write; rethrows anything that is not a refusal. */
  private explain(error: unknown, taskId: string): TaskRecord {
    const existing = recordIn(error);
    if (existing === undefined) throw new TaskNotFoundError(taskId);
    return existing;
  }

  /** Why the table refused a write to `to`: the task's status, or a clock behind its Updated_at. */
  private refusal(taskId: string, to: string, at: string, existing: TaskRecord): Error {
    if (existing.Status === "processing" && existing.Updated_at > at)
      return new TaskOutOfOrderError(taskId, at, existing);
    return new TaskTransitionError(taskId, existing.Status, to, existing);
  }
}

function checkTaskId(taskId: string): void {
  if (typeof taskId !== "string" || !isWellFormedTaskId(taskId)) {
    throw new InvalidTaskInputError(`Invalid TaskId: ${TASK_ID_RULE}`);
  }
}

/** The record DynamoDB returned with a failed condition (ReturnValuesOnConditionCheckFailure: ALL_OLD). */
function recordIn(error: unknown): TaskRecord | undefined {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return item === undefined ? undefined : (unmarshall(item) as TaskRecord);
}
