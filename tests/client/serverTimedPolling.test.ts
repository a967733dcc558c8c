import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TaskStatusClient, TasksWaitTimeoutError, TaskWaitTimeoutError } from "@task-api/client";
import { expect } from "chai";
import { pollDelayMs } from "../../client/retrySchedule";

interface Scripted {
  status?: number;
  retryAfter?: string;
  body: unknown;
}

/** A loopback API that plays answers in order (the last repeats), recording each request's method, path and body. */
async function scriptedApi(answers: Scripted[]) {
  const requests: Array<{ method: string; path: string; body: string }> = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      requests.push({ method: request.method ?? "", path: request.url ?? "", body });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)] ?? { status: 500, body: {} };
      response.writeHead(answer.status ?? 200, {
        "content-type": "application/json",
        ...(answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter }),
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const slept: number[] = [];
  const client = new TaskStatusClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    signing: "none",
    // Records the waits instead of sleeping them: the schedule is what is tested, not the clock.
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return {
    client,
    requests,
    slept,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const task = (TaskId: string, Status: string, extra: Record<string, unknown> = {}) => ({ TaskId, Status, ...extra });

describe("polls timed by the server (client/)", () => {
  it("pollDelayMs: the server's Retry-After plus up to 10% jitter, never past maxDelaySeconds (the hint's ceiling); without one, the waiters' backoff from 2 s to 30 s", () => {
    const at = (random: number, retryAfterSeconds: number | undefined, attempt = 1, minDelaySeconds?: number) =>
      pollDelayMs({ attempt, retryAfterSeconds, minDelaySeconds, maxDelaySeconds: 30, random: () => random });
    expect([at(0, 15), at(1, 15)]).to.deep.equal([15_000, 16_500]);
    expect([at(1, 28), at(1, 30), at(1, 45)]).to.deep.equal([30_000, 30_000, 45_000]);
    expect(at(0, 1, 1, 3)).to.equal(3000);
    expect([at(0, undefined, 1), at(1, undefined, 1)]).to.deep.equal([2000, 2000]);
    expect([at(0, undefined, 3), at(1, undefined, 3)]).to.deep.equal([2000, 8000]);
    expect(at(1, undefined, 10)).to.equal(30_000);
  });

  it("waitForTask polls when the server's Retry-After says, follows it as it changes, and backs off only without one", async () => {
    const api = await scriptedApi([
      { retryAfter: "5", body: task("t", "processing", { Progress: 10 }) },
      { retryAfter: "1", body: task("t", "processing", { Progress: 80 }) },
      { body: task("t", "processing") },
      { body: task("t", "completed", { Result: "ok" }) },
    ]);
    try {
      const seen: Array<number | undefined> = [];
      const done = await api.client.waitForTask("t", {
        maxWaitSeconds: 600,
        onPoll: (event) => seen.push(event.nextPollInSeconds),
      });
      expect(done).to.include({ Status: "completed" });
      expect(api.requests).to.have.length(4);
      const [first = 0, second = 0, third = 0] = api.slept;
      expect(first).to.be.within(5000, 5500);
      expect(second).to.be.within(1000, 1100);
      expect(third).to.be.within(2000, 8000);
      // What the poll events told a display is what the client really waited.
      expect(seen).to.deep.equal([first / 1000, second / 1000, third / 1000, undefined]);
    } finally {
      await api.close();
    }
  });

  it("waitForTasks asks only for the unfinished each round, in one request, and resolves with every finished task", async () => {
    const api = await scriptedApi([
      {
        retryAfter: "3",
        body: { Tasks: [task("a", "processing"), task("b", "failed", { ErrorMessage: "no" })], NotFound: ["c"] },
      },
      { body: { Tasks: [task("a", "completed", { Result: "ok" })], NotFound: [] } },
    ]);
    try {
      const order: string[] = [];
      const result = await api.client.waitForTasks(["a", "b", "c", "a"], {
        maxWaitSeconds: 600,
        onTaskFinished: (t) => order.push(t.TaskId),
      });
      expect(result.tasks.map((t) => [t.TaskId, t.Status])).to.deep.equal([
        ["a", "completed"],
        ["b", "failed"],
      ]);
      expect(result.notFound).to.deep.equal(["c"]);
      expect(order).to.deep.equal(["b", "a"]);
      expect(api.requests.map((r) => [r.method, r.path, JSON.parse(r.body)])).to.deep.equal([
        ["POST", "/tasks/batch-get", { TaskIds: ["a", "b", "c"] }],
        ["POST", "/tasks/batch-get", { TaskIds: ["a"] }],
      ]);
      expect(api.slept[0]).to.be.within(3000, 3300);
    } finally {
      await api.close();
    }
  });

  it("waitForTasks polls once more at the deadline when the next poll would pass it, then rejects with TasksWaitTimeoutError naming the unfinished", async () => {
    const api = await scriptedApi([{ retryAfter: "30", body: { Tasks: [task("a", "processing")], NotFound: [] } }]);
    try {
      const error = await api.client.waitForTasks(["a"], { maxWaitSeconds: 5 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TasksWaitTimeoutError);
      expect((error as TasksWaitTimeoutError).taskIds).to.deep.equal(["a"]);
      expect(api.requests).to.have.length(2);
      expect(api.slept).to.have.length(1);
      expect(api.slept[0]).to.be.within(4_000, 5_000);
    } finally {
      await api.close();
    }
  });

  it("waitForTask uses its whole wait: a hint past the deadline gets one poll at the deadline, which sees the completion", async () => {
    // The case from #29: an old task's Retry-After is the 30 s ceiling, longer than the caller's
    // maxWaitSeconds. Before, the waiter gave up at once, after 0.0 s.
    const api = await scriptedApi([
      { retryAfter: "30", body: task("old", "processing") },
      { body: task("old", "completed", { Result: "done" }) },
    ]);
    try {
      const done = await api.client.waitForTask("old", { maxWaitSeconds: 20 });
      expect(done).to.include({ Status: "completed" });
      expect(api.requests).to.have.length(2);
      expect(api.slept).to.have.length(1);
      expect(api.slept[0]).to.be.within(19_000, 20_000);
    } finally {
      await api.close();
    }
  });

  it("waitForTask times out only after the deadline's poll, when that one is still unfinished", async () => {
    const api = await scriptedApi([{ retryAfter: "30", body: task("slow", "processing") }]);
    try {
      const error = await api.client.waitForTask("slow", { maxWaitSeconds: 20 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TaskWaitTimeoutError);
      expect(api.requests).to.have.length(2);
      expect(api.slept.reduce((sum, ms) => sum + ms, 0)).to.be.at.most(20_000);
    } finally {
      await api.close();
    }
  });

  it("getTasks sends any number of IDs in requests of 100, and answers in the order asked", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `t-${i}`);
    const api = await scriptedApi([
      { body: { Tasks: ids.slice(0, 100).map((id) => task(id, "completed")), NotFound: [] } },
      { body: { Tasks: ids.slice(100, 200).map((id) => task(id, "completed")), NotFound: [] } },
      { body: { Tasks: ids.slice(200, 249).map((id) => task(id, "completed")), NotFound: ["t-249"] } },
    ]);
    try {
      const result = await api.client.getTasks(ids);
      expect(api.requests.map((r) => (JSON.parse(r.body) as { TaskIds: string[] }).TaskIds.length)).to.deep.equal([
        100, 100, 50,
      ]);
      expect(result.tasks.map((t) => t.TaskId)).to.deep.equal(ids.slice(0, 249));
      expect(result.notFound).to.deep.equal(["t-249"]);
    } finally {
      await api.close();
    }
  });
});
