/** task-api's processor kit: write task records with safe status transitions. */
export {
  InvalidTaskInputError,
  MalformedTaskRecordError,
  TaskAlreadyExistsError,
  TaskDeadlineExceededError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  TaskTransitionError,
} from "./errors";
export type { Completion, Deadlines, FailureDetails, NewTask, TaskRecord } from "./taskRecord";
export { TaskWriter, type TaskWriterOptions } from "./taskWriter";
