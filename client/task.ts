import {
  ANSWERED_FIELDS,
  answerRuleInWords,
  isAnswerable,
  TASK_ANSWER_EXTRAS,
  type TaskResponse,
} from "@task-api/contract";

/** A task as the API answers it (the spec's fields, the presigned URL and its expiry). */
export type Task = Readonly<TaskResponse>;

export { isCompleted, isFailed } from "@task-api/contract";

/** Why a body the API answered is not what the contract says; `parseTask` and `parseBatch` throw it. */
export class MalformedAnswerError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = "MalformedAnswerError";
  }
}

/**
 * A task from a parsed body, checked against the contract rather than cast: an object with a
 * TaskId, and each field the contract answers as its rule says (contract/taskFields.ts: strings
 * where it has strings, a whole Progress from 0 to 100, an ErrorCode of its pattern). Fields the
 * client does not know are left out (an addition the API may make later).
 */
export function parseTask(value: unknown): Task {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedAnswerError("the body is not a task object");
  }
  const body = value as Record<string, unknown>;
  const task: Record<string, unknown> = {};
  for (const field of ANSWERED_FIELDS) {
    const item = body[field];
    if (item === undefined) continue;
    if (!isAnswerable(field, item)) throw new MalformedAnswerError(`${field} is not ${answerRuleInWords(field)}`);
    task[field] = item;
  }
  for (const field of Object.keys(TASK_ANSWER_EXTRAS)) {
    const item = body[field];
    if (item === undefined) continue;
    if (typeof item !== "string") throw new MalformedAnswerError(`${field} is not a string`);
    task[field] = item;
  }
  if (task.TaskId === undefined) throw new MalformedAnswerError("TaskId is missing");
  return task as Task;
}

/** A POST /tasks/batch-get body, checked: `Tasks` an array of tasks, `NotFound` an array of IDs. */
export function parseBatch(value: unknown): { tasks: Task[]; notFound: string[] } {
  const body = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (!Array.isArray(body.Tasks)) throw new MalformedAnswerError("Tasks is not an array");
  if (!Array.isArray(body.NotFound) || !body.NotFound.every((id) => typeof id === "string")) {
    throw new MalformedAnswerError("NotFound is not an array of task IDs");
  }
  return {
    tasks: body.Tasks.map((task, i) => {
      try {
        return parseTask(task);
      } catch (error) {
        throw error instanceof MalformedAnswerError ? new MalformedAnswerError(`Tasks[${i}]: ${error.problem}`) : error;
      }
    }),
    notFound: body.NotFound as string[],
  };
}
