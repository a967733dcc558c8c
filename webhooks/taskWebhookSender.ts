import {
  CALLBACK_URL_ATTRIBUTE,
  isCallbackUrl,
  type TaskWebhook,
  WEBHOOK_TYPES,
  type WebhookJob,
  webhookIdFor,
} from "@task-api/contract";
import type { TaskRepository, TaskStatusService } from "../handler/taskStatusService";
import { AddressNotAllowedError, checkedAddress, HostNotResolvedError, type Resolver } from "./addressGuard";
import { postWebhook } from "./postWebhook";
import { webhookHeaders } from "./signatures";

/**
 * What one attempt came to, and so what happens next:
 * - delivered: a 2xx; done.
 * - gone: a 410; done for good (the receiver said it wants no more).
 * - retry: any other answer, or none in time, or a host that did not resolve; tried again on the schedule.
 * - refused: the URL leads to an address that is not public; never sent, not retried.
 * - skipped: nothing to send (no task, no callback URL, an expired record, a status that is not the job's).
 */
export type DeliveryOutcome =
  | { result: "delivered" | "gone"; webhookId: string; status: number }
  | { result: "retry"; webhookId: string; status?: number; reason: string }
  | { result: "refused" | "skipped"; webhookId: string; reason: string };

/** A User-Agent that says who is calling, as receivers' logs and firewalls look for one. */
export const WEBHOOK_USER_AGENT = "task-api-webhooks/1";

export interface TaskWebhookSenderDeps {
  /** Reads the task with its CallbackUrl (DynamoTaskRepository with withCallbackUrl). */
  repository: TaskRepository;
  /** Shapes the delivery's `data` exactly as GET /task/{id} answers it. */
  service: Pick<TaskStatusService, "answerStoredTask">;
  /** The secrets to sign with, the current one first; read once per container. */
  signingSecrets: () => Promise<readonly string[]>;
  /** Resolves a host's addresses (dns.promises.lookup with all: true). */
  resolve: Resolver;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: only `npm start` sets it, for its local receivers. */
  allowPrivateNetworks: boolean;
  /** How long one POST may take, connection included. */
  postTimeoutMs: number;
  clock?: () => Date;
}

/**
 * Makes one attempt of a task's webhook: reads the task, builds the delivery from the API's own
 * answer, signs it, and POSTs it to the task's CallbackUrl at an address it has checked. It
 * decides nothing about retries beyond saying whether one is due (DeliveryOutcome).
 */
export class TaskWebhookSender {
  private readonly clock: () => Date;

  constructor(private readonly deps: TaskWebhookSenderDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async send(job: WebhookJob): Promise<DeliveryOutcome> {
    const webhookId = webhookIdFor(job.TaskId, job.Status);
    const stored = await this.deps.repository.findTask(job.TaskId);
    if (stored === undefined) return { result: "skipped", webhookId, reason: "no such task" };
    const callbackUrl = stored[CALLBACK_URL_ATTRIBUTE];
    if (callbackUrl === undefined) return { result: "skipped", webhookId, reason: "the task has no CallbackUrl" };
    if (!isCallbackUrl(callbackUrl))
      return { result: "skipped", webhookId, reason: "the task's CallbackUrl is malformed" };
    const data = await this.deps.service.answerStoredTask(job.TaskId, stored);
    if (data === undefined) return { result: "skipped", webhookId, reason: "the task has expired" };
    if (data.Status !== job.Status) {
      return { result: "skipped", webhookId, reason: `the task is ${String(data.Status)}, not ${job.Status}` };
    }
    const url = new URL(callbackUrl);
    const hostname = url.hostname;
    let address: Awaited<ReturnType<typeof checkedAddress>>;
    try {
      address = await checkedAddress(hostname, this.deps.resolve, this.deps.allowPrivateNetworks);
    } catch (error) {
      if (error instanceof AddressNotAllowedError) return { result: "refused", webhookId, reason: error.message };
      if (error instanceof HostNotResolvedError) return { result: "retry", webhookId, reason: error.message };
      throw error;
    }
    const sentAt = this.clock();
    const delivery: TaskWebhook = {
      type: WEBHOOK_TYPES[job.Status],
      timestamp: data.Updated_at ?? sentAt.toISOString(),
      data,
    };
    const body = JSON.stringify(delivery);
    const headers = {
      ...webhookHeaders({ id: webhookId, sentAt, body, secrets: await this.deps.signingSecrets() }),
      "user-agent": WEBHOOK_USER_AGENT,
    };
    const answer = await postWebhook({
      url,
      address,
      headers,
      body,
      signal: AbortSignal.timeout(this.deps.postTimeoutMs),
    });
    if (answer.kind === "no-answer") return { result: "retry", webhookId, reason: answer.reason };
    if (answer.status >= 200 && answer.status < 300) return { result: "delivered", webhookId, status: answer.status };
    if (answer.status === 410) return { result: "gone", webhookId, status: answer.status };
    return {
      result: "retry",
      webhookId,
      status: answer.status,
      reason: `HTTP ${answer.status}${answer.body === "" ? "" : `: ${answer.body.slice(0, 200)}`}`,
    };
  }
}
