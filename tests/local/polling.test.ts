import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { OpenApiContract } from "../helpers/openApiContract";
import { sharedBackends } from "../helpers/sharedBackends";

const ROUTE = "/task/{task_id}";

async function putTask(item: Record<string, string | number>): Promise<void> {
  const backends = await sharedBackends();
  const attributes = Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, typeof v === "number" ? { N: String(v) } : { S: v }]),
  );
  await backends.dynamo.send(new PutItemCommand({ TableName: backends.env.DDB_TABLE_NAME, Item: attributes }));
}

describe("polling the local server (HTTP, DynamoDB Local, s3rver)", function () {
  this.timeout(90_000);
  const contract = new OpenApiContract();
  let api: LocalApi;

  before(async () => {
    api = await startLocalApi();
  });
  after(() => api?.close());

  /** GETs a task and checks the answer against openapi.yaml. */
  async function get(taskId: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${api.base}/task/${taskId}`, { headers });
    const body = await response.text();
    expect(
      contract.check(ROUTE, "get", response.status, response.headers, body),
      `${response.status} ${body}`,
    ).to.deep.equal([]);
    return { status: response.status, headers: response.headers, body };
  }

  describe("headers per status, all within the OpenAPI contract", () => {
    it("completed: private, fresh until the URL window ends, no Retry-After, the URL's expiry stated", async () => {
      const { status, headers, body } = await get(SPEC_EXAMPLE_TASKS.completed.TaskId);
      expect(status).to.equal(200);
      const maxAge = Number(/max-age=(\d+)/.exec(headers.get("cache-control") ?? "")?.[1]);
      expect(maxAge).to.be.within(0, 1800);
      expect(headers.get("retry-after")).to.equal(null);
      const task = JSON.parse(body) as { TargetObjectURL: string; TargetObjectURLExpiresAt: string };
      const url = new URL(task.TargetObjectURL);
      const signedAt = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(url.searchParams.get("X-Amz-Date") ?? "");
      const [, y, mo, d, h, mi, s] = signedAt ?? [];
      const expires =
        Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) +
        Number(url.searchParams.get("X-Amz-Expires")) * 1000;
      expect(Date.parse(task.TargetObjectURLExpiresAt)).to.equal(expires);
      expect(Date.now() + maxAge * 1000).to.be.at.most(expires);
    });

    it("processing: Retry-After and a max-age of the poll hint, here the ceiling (the example started in 2024)", async () => {
      const { status, headers } = await get(SPEC_EXAMPLE_TASKS.processing.TaskId);
      expect(status).to.equal(200);
      expect(headers.get("retry-after")).to.equal("30");
      expect(headers.get("cache-control")).to.equal("private, max-age=30");
    });

    for (const name of ["failed", "deblindwatermark"] as const) {
      it(`${name}: finished, so no Retry-After`, async () => {
        const { status, headers } = await get(SPEC_EXAMPLE_TASKS[name].TaskId);
        expect(status).to.equal(200);
        expect(headers.get("retry-after")).to.equal(null);
        expect(headers.get("cache-control")).to.equal("private, max-age=60");
      });
    }

    it("404 and 400: no-store, never cached", async () => {
      expect((await get("no-such-task")).headers.get("cache-control")).to.equal("no-store");
      expect((await get("bad%20id")).headers.get("cache-control")).to.equal("no-store");
    });
  });

  it("answers 304 with an empty body to If-None-Match with the current ETag, with the same headers", async () => {
    const first = await get(SPEC_EXAMPLE_TASKS.processing.TaskId);
    const etag = first.headers.get("etag") ?? "";
    const second = await get(SPEC_EXAMPLE_TASKS.processing.TaskId, { "if-none-match": etag });
    expect(second.status).to.equal(304);
    expect(second.body).to.equal("");
    for (const name of ["etag", "cache-control", "retry-after"]) {
      expect(second.headers.get(name), name).to.equal(first.headers.get(name));
    }
  });

  it("changes the ETag when the record changes, and answers the new record in full", async () => {
    await putTask({ TaskId: "etag-change-1", Status: "processing", Updated_at: "2026-01-01T00:00:00Z" });
    const before = await get("etag-change-1");
    await putTask({
      TaskId: "etag-change-1",
      Status: "failed",
      Updated_at: "2026-01-01T00:00:09Z",
      ErrorMessage: "boom",
    });
    const after = await get("etag-change-1", { "if-none-match": before.headers.get("etag") ?? "" });
    expect(after.status).to.equal(200);
    expect(after.headers.get("etag")).to.not.equal(before.headers.get("etag"));
    expect(JSON.parse(after.body)).to.include({ Status: "failed", ErrorMessage: "boom" });
  });

  it("answers an expired record (ExpiresAt in the past) as not found", async () => {
    await putTask({ TaskId: "expired-1", Status: "completed", ExpiresAt: Math.floor(Date.now() / 1000) - 60 });
    const answer = await get("expired-1");
    expect(answer.status).to.equal(404);
    expect(JSON.parse(answer.body)).to.deep.equal({ error: "Task not found: expired-1" });
  });

  describe("with URL_TTL_SECONDS=2 (URL windows of 1 s)", () => {
    let shortLived: LocalApi;
    before(async () => {
      shortLived = await startLocalApi({ URL_TTL_SECONDS: "2" });
    });
    after(() => shortLived?.close());

    it("revalidates with 304 only while the held URL is valid, then answers 200 with a fresh URL", async () => {
      const url = `${shortLived.base}/task/${SPEC_EXAMPLE_TASKS.completed.TaskId}`;
      const first = await fetch(url);
      const held = (await first.json()) as { TargetObjectURL: string; TargetObjectURLExpiresAt: string };
      const heldExpiry = Date.parse(held.TargetObjectURLExpiresAt);
      const etag = first.headers.get("etag") ?? "";
      const deadline = Date.now() + 10_000;
      for (;;) {
        const sentAt = Date.now();
        const poll = await fetch(url, { headers: { "if-none-match": etag } });
        if (poll.status === 304) {
          expect(sentAt, "a 304 came after the held URL expired").to.be.below(heldExpiry);
        } else {
          expect(poll.status).to.equal(200);
          const fresh = (await poll.json()) as { TargetObjectURL: string; TargetObjectURLExpiresAt: string };
          expect(fresh.TargetObjectURL).to.not.equal(held.TargetObjectURL);
          expect(Date.parse(fresh.TargetObjectURLExpiresAt)).to.be.greaterThan(heldExpiry);
          expect(poll.headers.get("etag")).to.not.equal(etag);
          expect((await fetch(fresh.TargetObjectURL)).status).to.equal(200);
          break;
        }
        if (Date.now() > deadline) throw new Error("the URL window never moved on");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
  });
});
