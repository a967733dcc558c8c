import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TaskApiRequestError, TaskStatusClient } from "@task-api/client";
import { expect } from "chai";

/** A loopback API answering every request with `answer(path)`, recording each request's path and If-None-Match. */
async function api(answer: (path: string) => { body: unknown; etag?: string }) {
  const seen: Array<{ path: string; ifNoneMatch: string | undefined }> = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const path = request.url ?? "";
      seen.push({ path, ifNoneMatch: request.headers["if-none-match"] });
      const { body, etag } = answer(path);
      response.writeHead(200, { "content-type": "application/json", ...(etag === undefined ? {} : { etag }) });
      response.end(typeof body === "string" ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    client: new TaskStatusClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      signing: "none",
    }),
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("TaskStatusClient: answers checked, memory bounded", () => {
  for (const [label, body, problem] of [
    ["a body that is not JSON", "<html>", "the body is not JSON"],
    ["a body without TaskId", { Status: "completed" }, "TaskId is missing"],
    ["a numeric Status", { TaskId: "t", Status: 5 }, "Status is not a string"],
    [
      "an ErrorCode in lower case",
      { TaskId: "t", Status: "failed", ErrorCode: "oom" },
      "ErrorCode is not a string matching ^[A-Z][A-Z0-9_]{0,63}$",
    ],
    [
      "a Progress of 140",
      { TaskId: "t", Status: "processing", Progress: 140 },
      "Progress is not a whole number from 0 to 100",
    ],
  ] as const) {
    it(`refuses a 200 with ${label}, naming what is wrong`, async () => {
      const served = await api(() => ({ body }));
      try {
        const error = await served.client.getTask("t").catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TaskApiRequestError);
        expect((error as Error).message).to.equal(
          `GET /task/t answered 200 with a body that breaks the contract: ${problem}`,
        );
      } finally {
        await served.close();
      }
    });
  }

  it("refuses a batch answer whose Tasks hold something that is not a task, naming its position", async () => {
    const served = await api(() => ({ body: { Tasks: [{ TaskId: "a" }, { Status: "done" }], NotFound: [] } }));
    try {
      const error = await served.client.getTasks(["a", "b"]).catch((e: unknown) => e);
      expect((error as Error).message).to.equal(
        "POST /tasks/batch-get answered 200 with a body that breaks the contract: Tasks[1]: TaskId is missing",
      );
    } finally {
      await served.close();
    }
  });

  it("keeps the last answers of the 1,000 most recent tasks for If-None-Match, and forgets older ones", async () => {
    const served = await api((path) => ({
      body: { TaskId: decodeURIComponent(path.split("/").at(-1) ?? "") },
      etag: 'W/"v1"',
    }));
    try {
      for (let i = 0; i <= 1000; i += 1) await served.client.getTask(`t-${i}`);
      await served.client.getTask("t-1000");
      await served.client.getTask("t-0");
      const last = served.seen.slice(-2);
      // t-1000 is still kept (sent its ETag); t-0 was the oldest of 1,001 and was dropped.
      expect(last.map((r) => [r.path, r.ifNoneMatch])).to.deep.equal([
        ["/task/t-1000", 'W/"v1"'],
        ["/task/t-0", undefined],
      ]);
    } finally {
      await served.close();
    }
  });
});
