/** task-api's processor kit: write task records with safe status transitions. */
export {
  InvalidTaskInputError,
  MalformedTaskRecordError,
  TaskAlreadyExistsError,
  TaskCallTimeoutError,
  TaskDeadlineExceededError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  TaskTransitionError,
} from "./errors.js";
export type { Completion, Deadlines, FailureDetails, NewTask, TaskRecord } from "./taskRecord.js";
export { TaskWriter, type TaskWriterOptions } from "./taskWriter.js";
