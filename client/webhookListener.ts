import { createServer, type Server } from "node:http";
import type { TaskWebhook } from "@task-api/contract";
import { TaskWebhookVerificationError, verifyTaskWebhook } from "./webhooks.js";

/** The most a listener reads of one delivery: far above any task's answer. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * A receiver for task webhooks: an HTTP server that verifies each POST (verifyTaskWebhook) and
 * answers 204 to a verified one, 401 to one that is not, 413 to a body over 256 KiB and 405 to
 * anything but POST. `task-status listen` runs one; it is also a receiver to build on.
 */
export function createTaskWebhookListener(args: {
  secret: string;
  onDelivery: (delivery: TaskWebhook, webhookId: string) => void;
  onRejected?: (reason: string) => void;
}): Server {
  return createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) {
        args.onRejected?.(`a body of ${size} bytes`);
        res.writeHead(413).end();
        return;
      }
      try {
        const delivery = verifyTaskWebhook(Buffer.concat(chunks), req.headers, args.secret);
        res.writeHead(204).end();
        args.onDelivery(delivery, String(req.headers["webhook-id"]));
      } catch (error) {
        if (!(error instanceof TaskWebhookVerificationError)) throw error;
        args.onRejected?.(error.message);
        res.writeHead(401, { "content-type": "text/plain" }).end(`${error.message}\n`);
      }
    });
  });
}
