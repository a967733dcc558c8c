import type { SignableTarget } from "./config";
import { TaskNotFoundError } from "./errors";
import { parseTaskId } from "./taskId";
import { type StoredTask, TASK_FIELDS, type TaskResponse } from "./taskRecord";

/** Reads one task by id; resolves undefined when there is none. */
export interface TaskRepository {
  findTask(taskId: string): Promise<StoredTask | undefined>;
}

/** Makes a time-limited GET URL for an object. */
export interface TargetUrlSigner {
  signTargetUrl(bucket: string, key: string): Promise<string>;
}

/** The part of a structured logger the service needs. */
export interface WarningLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface TaskStatusServiceDeps {
  repository: TaskRepository;
  signer: TargetUrlSigner;
  /** Bucket and key-prefix pairs whose objects the API may sign URLs for; empty signs none. */
  signableTargets: readonly SignableTarget[];
  logger: WarningLogger;
}

/**
 * The API's logic, free of AWS and HTTP: validate the id, read the task, shape the answer,
 * and sign a URL to the result only where the task and the configuration allow it.
 */
export class TaskStatusService {
  constructor(private readonly deps: TaskStatusServiceDeps) {}

  /** The task as callers see it; throws the TaskApiError that explains why not. */
  async getTaskStatus(rawTaskId: string | undefined): Promise<TaskResponse> {
    const taskId = parseTaskId(rawTaskId);
    const stored = await this.deps.repository.findTask(taskId);
    if (stored === undefined) throw new TaskNotFoundError(taskId);

    const response = this.toResponse(taskId, stored);
    const url = await this.targetUrlFor(response);
    if (url !== undefined) response.TargetObjectURL = url;
    return response;
  }

  /** Copies the spec's fields that hold strings; anything else is dropped and reported. */
  private toResponse(taskId: string, stored: StoredTask): TaskResponse {
    const response: TaskResponse = { TaskId: taskId };
    const malformed: string[] = [];
    for (const field of TASK_FIELDS) {
      const value = stored[field];
      if (value === undefined) continue;
      if (typeof value === "string") response[field] = value;
      else malformed.push(field);
    }
    if (malformed.length > 0) {
      this.deps.logger.warn("Task record has non-string attributes; they are left out of the answer", {
        malformedAttributes: malformed,
      });
    }
    return response;
  }

  private async targetUrlFor(task: TaskResponse): Promise<string | undefined> {
    if (task.Status !== "completed") return undefined;
    const { TargetBucket: bucket, TargetKey: key } = task;
    if (bucket === undefined || key === undefined || key === "") {
      this.deps.logger.warn("Completed task has no target object; answering without a URL", {
        hasTargetBucket: bucket !== undefined,
        hasTargetKey: key !== undefined && key !== "",
      });
      return undefined;
    }
    if (!this.deps.signableTargets.some((target) => target.bucket === bucket && key.startsWith(target.prefix))) {
      this.deps.logger.warn("Completed task's target is not in TARGET_BUCKETS; answering without a URL", {
        targetBucket: bucket,
      });
      return undefined;
    }
    return this.deps.signer.signTargetUrl(bucket, key);
  }
}
