import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * The Standard Webhooks headers of one attempt: the delivery's id, the attempt's time (epoch
 * seconds) and a `v1,<signature>` for each secret, space-separated: during a rotation the
 * current secret's and the previous one's, so that a receiver holding either accepts it.
 * Signed by the `standardwebhooks` library: HMAC-SHA256 of "id.timestamp.body".
 */
export function webhookHeaders(args: {
  id: string;
  sentAt: Date;
  body: string;
  secrets: readonly string[];
}): Record<string, string> {
  if (args.secrets.length === 0) throw new Error("no webhook signing secret");
  return {
    "content-type": "application/json",
    "webhook-id": args.id,
    "webhook-timestamp": String(Math.floor(args.sentAt.getTime() / 1000)),
    "webhook-signature": args.secrets
      .map((secret) => new Webhook(secret).sign(args.id, args.sentAt, args.body))
      .join(" "),
  };
}

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64, as Svix makes them. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Whether a text is a usable Standard Webhooks secret: whsec_ and base64 of 24 to 64 bytes. */
export function isSigningSecret(value: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (match?.[1] === undefined) return false;
  const bytes = Buffer.from(match[1], "base64").length;
  return bytes >= 24 && bytes <= 64;
}
