/** task-api's processor kit: write task records with safe status transitions. */
export {
  InvalidTaskInputError,
  TaskAlreadyExistsError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  TaskTransitionError,
} from "./errors";
export type { Completion, NewTask, TaskRecord } from "./taskRecord";
export { TaskWriter, type TaskWriterOptions } from "./taskWriter";
