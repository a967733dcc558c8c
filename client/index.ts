/** task-api's client kit: a typed client with retries, conditional requests and a waiter, and webhook verification. */

export type { TaskWebhook, TaskWebhookType } from "@task-api/contract";
export {
  InvalidTaskIdError,
  TaskApiRequestError,
  TaskClientConfigError,
  TaskFailedError,
  TaskNotFoundError,
  TasksWaitTimeoutError,
  TaskWaitTimeoutError,
} from "./errors.js";
export { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from "./retrySchedule.js";
export { isCompleted, isFailed, type Task } from "./task.js";
export {
  type PollEvent,
  type TaskBatch,
  TaskStatusClient,
  type TaskStatusClientOptions,
  type WaitOptions,
} from "./taskStatusClient.js";
export { createTaskWebhookListener } from "./webhookListener.js";
export { TaskWebhookVerificationError, verifyTaskWebhook, type WebhookHeaders } from "./webhooks.js";
