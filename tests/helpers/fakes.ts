import type { StoredTask } from "../../handler/storedTask";
import type { TargetUrlSigner, TaskRepository } from "../../handler/taskStatusService";

/** An in-memory repository that records every id it was asked for. */
export class InMemoryTaskRepository implements TaskRepository {
  readonly lookups: string[] = [];
  failure: unknown;
  constructor(private readonly tasks: Map<string, StoredTask> = new Map()) {}

  static of(...tasks: StoredTask[]): InMemoryTaskRepository {
    return new InMemoryTaskRepository(new Map(tasks.map((task) => [String(task.TaskId), task])));
  }

  /** Writes or replaces a task, as a processor would. */
  put(task: StoredTask): void {
    this.tasks.set(String(task.TaskId), task);
  }

  async findTask(taskId: string): Promise<StoredTask | undefined> {
    this.lookups.push(taskId);
    if (this.failure !== undefined) throw this.failure;
    return this.tasks.get(taskId);
  }

  async findTasks(taskIds: readonly string[]): Promise<Map<string, StoredTask>> {
    this.lookups.push(...taskIds);
    if (this.failure !== undefined) throw this.failure;
    const found = new Map<string, StoredTask>();
    for (const id of taskIds) {
      const task = this.tasks.get(id);
      if (task !== undefined) found.set(id, task);
    }
    return found;
  }
}

/** A signer that returns a recognisable URL and records what it signed. */
export class RecordingSigner implements TargetUrlSigner {
  readonly signed: Array<{ bucket: string; key: string; signedAt: string }> = [];
  failure: unknown;

  async signTargetUrl(bucket: string, key: string, signedAt: Date): Promise<string> {
    this.signed.push({ bucket, key, signedAt: signedAt.toISOString() });
    if (this.failure !== undefined) throw this.failure;
    return `https://signed.example/${bucket}/${key}?X-Amz-Signature=abc`;
  }
}
