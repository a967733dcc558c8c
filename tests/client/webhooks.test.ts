import { TaskWebhookVerificationError, verifyTaskWebhook } from "@task-api/client";
import { expect } from "chai";
import { Webhook } from "standardwebhooks";
import { generateSigningSecret, webhookHeaders } from "../../webhooks/signatures";

const secret = generateSigningSecret();
const body = JSON.stringify({
  type: "task.completed",
  timestamp: "2026-12-03T10:00:00.000Z",
  data: { TaskId: "t-1", Status: "completed" },
});
const signed = (at = new Date(), secrets = [secret], text = body) =>
  webhookHeaders({ id: "task_completed_t-1", sentAt: at, body: text, secrets });

describe("client/webhooks: verifyTaskWebhook", () => {
  it("returns the delivery of a body signed with the secret, from plain, Node or fetch headers", () => {
    const headers = signed();
    expect(verifyTaskWebhook(body, headers, secret)).to.deep.equal(JSON.parse(body));
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyTaskWebhook(Buffer.from(body), upper, secret).data.TaskId).to.equal("t-1");
    expect(verifyTaskWebhook(body, new Headers(headers), secret).type).to.equal("task.completed");
  });

  it("matches what the standardwebhooks library signs and verifies", () => {
    const headers = signed();
    expect(headers["webhook-signature"]).to.equal(
      new Webhook(secret).sign("task_completed_t-1", new Date(Number(headers["webhook-timestamp"]) * 1000), body),
    );
  });

  it("accepts either secret of a rotation", () => {
    const previous = generateSigningSecret();
    const headers = signed(new Date(), [secret, previous]);
    expect(verifyTaskWebhook(body, headers, secret).type).to.equal("task.completed");
    expect(verifyTaskWebhook(body, headers, previous).type).to.equal("task.completed");
  });

  for (const [what, make] of [
    ["another secret", () => verifyTaskWebhook(body, signed(), generateSigningSecret())],
    ["a changed body", () => verifyTaskWebhook(body.replace("t-1", "t-2"), signed(), secret)],
    ["a timestamp 6 minutes old", () => verifyTaskWebhook(body, signed(new Date(Date.now() - 360_000)), secret)],
    ["a timestamp 6 minutes ahead", () => verifyTaskWebhook(body, signed(new Date(Date.now() + 360_000)), secret)],
    ["no signature", () => verifyTaskWebhook(body, { ...signed(), "webhook-signature": "" }, secret)],
    [
      "a signed body that is not a task delivery",
      () => verifyTaskWebhook('{"hello":1}', signed(new Date(), [secret], '{"hello":1}'), secret),
    ],
  ] as Array<[string, () => unknown]>) {
    it(`throws TaskWebhookVerificationError for ${what}`, () => {
      expect(make).to.throw(TaskWebhookVerificationError);
    });
  }
});
