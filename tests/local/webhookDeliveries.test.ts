import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { TaskWebhook } from "@task-api/contract";
import { TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { Webhook } from "standardwebhooks";
import { loadHandlerConfig } from "../../handler/config";
import { type LocalWebhookDeliveries, startLocalWebhookDeliveries } from "../../local/webhookDeliveries";
import { createTaskWebhookSender } from "../../webhooks/createSender";
import { generateSigningSecret } from "../../webhooks/signatures";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { RecordingLogger } from "../helpers/recordingLogger";
import { sharedBackends } from "../helpers/sharedBackends";

/** One POST the receiver took. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver that answers each path's scripted statuses in turn (then 200), recording every POST. */
async function startReceiver(script: Record<string, number[]> = {}) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(script[path]?.shift() ?? 200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("local webhook deliveries (npm start's sender) to a loopback receiver", function () {
  this.timeout(60_000);
  const secret = generateSigningSecret();
  const previous = generateSigningSecret();
  let api: LocalApi;
  let writer: TaskWriter;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const followers: LocalWebhookDeliveries[] = [];
  const script: Record<string, number[]> = { "/unavailable-once": [503], "/gone": [410] };
  let saved: NodeJS.ProcessEnv;

  /** A follower of the table's stream with its own sender (signing secrets, private networks allowed or not). */
  async function follow(options: { secrets?: string[]; allowPrivateNetworks?: boolean } = {}) {
    const backends = await sharedBackends();
    const deliveries = await startLocalWebhookDeliveries({
      dynamo: backends.dynamo,
      streams: new DynamoDBStreamsClient({
        endpoint: backends.env.AWS_ENDPOINT_URL_DYNAMODB,
        region: backends.env.AWS_REGION,
        credentials: {
          accessKeyId: backends.env.AWS_ACCESS_KEY_ID,
          secretAccessKey: backends.env.AWS_SECRET_ACCESS_KEY,
        },
      }),
      tableName: backends.env.DDB_TABLE_NAME,
      sender: createTaskWebhookSender({
        config: loadHandlerConfig(process.env),
        signingSecrets: async () => options.secrets ?? [secret],
        allowPrivateNetworks: options.allowPrivateNetworks ?? true,
        logger: new RecordingLogger(),
      }),
      // The deployed schedule, ten thousand times faster: 5 s is 0.5 ms, 10 h is 3.6 s.
      delayScale: 0.0001,
    });
    followers.push(deliveries);
    return deliveries;
  }

  before(async () => {
    api = await startLocalApi();
    saved = { ...process.env };
    // The sender reads credentials and endpoints from the environment, as in Lambda.
    Object.assign(process.env, api.env);
    const backends = await sharedBackends();
    writer = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo });
    receiver = await startReceiver(script);
  });
  after(async () => {
    for (const follower of followers) await follower.stop();
    await receiver.close();
    await api.close();
    process.env = saved;
  });

  /** Starts a task with a callback to `path` (none when undefined) on the media bucket. */
  const start = (id: string, path: string | undefined) =>
    writer.start({
      TaskId: id,
      TaskType: "image",
      SourceBucket: "media-bucket",
      SourceKey: "original/a.jpg",
      TargetBucket: "media-bucket",
      TargetKey: "processed/a.jpg",
      ...(path === undefined ? {} : { CallbackUrl: receiver.url(path) }),
    });
  const deliveriesTo = (path: string) => receiver.received.filter((r) => r.path === path);

  it("delivers a completed task, signed as Standard Webhooks, with the GET answer as data", async () => {
    await follow();
    await start("hook-completed", "/completed");
    const completedAt = Date.now();
    await writer.complete("hook-completed");
    const [delivery] = await until("the delivery", () =>
      deliveriesTo("/completed").length > 0 ? deliveriesTo("/completed") : undefined,
    );
    // A generous bound, not a timing: how soon it arrives is measured by npm run measure:waiting
    // (its webhook row), not here.
    const arrivedMs = Date.now() - completedAt;
    expect(arrivedMs, "ms from complete() to the receiver").to.be.below(15_000);
    if (delivery === undefined) expect.fail("no delivery");
    expect(delivery.headers["content-type"]).to.equal("application/json");
    expect(delivery.headers["webhook-id"]).to.equal("task_completed_hook-completed");
    const verified = new Webhook(secret).verify(
      delivery.body,
      delivery.headers as Record<string, string>,
    ) as TaskWebhook;
    expect(verified.type).to.equal("task.completed");
    const got = (await (await fetch(`${api.base}/task/hook-completed`)).json()) as Record<string, unknown>;
    expect(verified.timestamp).to.equal(got.Updated_at);
    // The presigned URL is signed for the same object, in the same window or the next.
    const { TargetObjectURL: sentUrl, TargetObjectURLExpiresAt: _sentExpiry, ...sent } = verified.data;
    const { TargetObjectURL: gotUrl, TargetObjectURLExpiresAt: _gotExpiry, ...answered } = got;
    expect(sent).to.deep.equal(answered);
    expect(new URL(String(sentUrl)).pathname).to.equal(new URL(String(gotUrl)).pathname);
    expect(verified.data).to.not.have.property("CallbackUrl");
  });

  it("delivers a failed task as task.failed", async () => {
    await start("hook-failed", "/failed");
    await writer.fail("hook-failed", "Source file is corrupted", { errorCode: "BAD_SOURCE" });
    const [delivery] = await until("the delivery", () =>
      deliveriesTo("/failed").length > 0 ? deliveriesTo("/failed") : undefined,
    );
    const verified = new Webhook(secret).verify(
      String(delivery?.body),
      delivery?.headers as Record<string, string>,
    ) as TaskWebhook;
    expect(verified).to.deep.include({ type: "task.failed" });
    expect(verified.data).to.deep.include({
      TaskId: "hook-failed",
      Status: "failed",
      ErrorMessage: "Source file is corrupted",
      ErrorCode: "BAD_SOURCE",
    });
  });

  it("retries a 503 with the same webhook-id, and a 200 ends it", async () => {
    await start("hook-retried", "/unavailable-once");
    await writer.complete("hook-retried");
    const attempts = await until("two attempts", () =>
      deliveriesTo("/unavailable-once").length >= 2 ? deliveriesTo("/unavailable-once") : undefined,
    );
    await sleep(500);
    expect(deliveriesTo("/unavailable-once")).to.have.length(2);
    expect(attempts.map((a) => a.headers["webhook-id"])).to.deep.equal([
      "task_completed_hook-retried",
      "task_completed_hook-retried",
    ]);
    for (const attempt of attempts) new Webhook(secret).verify(attempt.body, attempt.headers as Record<string, string>);
  });

  it("stops for good at a 410", async () => {
    await start("hook-gone", "/gone");
    await writer.complete("hook-gone");
    await until("the attempt", () => (deliveriesTo("/gone").length > 0 ? true : undefined));
    // The next three attempts would have come within 0.25 s at this scale.
    await sleep(1000);
    expect(deliveriesTo("/gone")).to.have.length(1);
    expect(followers[0]?.outcomes.find((o) => o.webhookId === "task_completed_hook-gone")).to.include({
      result: "gone",
      status: 410,
    });
  });

  it("sends nothing for a task without a CallbackUrl", async () => {
    const before = receiver.received.length;
    await start("hook-none", undefined);
    await writer.complete("hook-none");
    const outcome = await until("the sender's outcome", () =>
      followers[0]?.outcomes.find((o) => o.webhookId === "task_completed_hook-none"),
    );
    expect(outcome).to.include({ result: "skipped", reason: "the task has no CallbackUrl" });
    expect(receiver.received.length).to.equal(before);
  });

  it("sends nothing to loopback when private networks are not allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS=false)", async () => {
    const strict = await follow({ allowPrivateNetworks: false });
    await start("hook-private", "/private");
    await writer.complete("hook-private");
    const outcome = await until("the strict sender's outcome", () =>
      strict.outcomes.find((o) => o.webhookId === "task_completed_hook-private"),
    );
    expect(outcome.result).to.equal("refused");
    expect("reason" in outcome ? outcome.reason : "").to.match(/127\.0\.0\.1 is not a public address/);
    // The permissive follower delivered it; the strict one never connected.
    await until("the other follower's delivery", () => (deliveriesTo("/private").length > 0 ? true : undefined));
    expect(deliveriesTo("/private")).to.have.length(1);
  });

  it("signs with both secrets during a rotation, each verifying on its own", async () => {
    const rotating = await follow({ secrets: [secret, previous] });
    await start("hook-rotated", "/rotated");
    await writer.complete("hook-rotated");
    await until("the rotating follower's outcome", () =>
      rotating.outcomes.find((o) => o.webhookId === "task_completed_hook-rotated"),
    );
    const signed = deliveriesTo("/rotated").find((r) => String(r.headers["webhook-signature"]).includes(" "));
    if (signed === undefined) expect.fail("no delivery carried two signatures");
    expect(String(signed.headers["webhook-signature"]).split(" ")).to.have.length(2);
    for (const key of [secret, previous])
      new Webhook(key).verify(signed.body, signed.headers as Record<string, string>);
    const onlyCurrent = String(signed.headers["webhook-signature"]).split(" ")[0];
    expect(() =>
      new Webhook(previous).verify(signed.body, {
        ...(signed.headers as Record<string, string>),
        "webhook-signature": String(onlyCurrent),
      }),
    ).to.throw("No matching signature found");
  });
});
