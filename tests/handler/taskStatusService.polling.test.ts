import { expect } from "chai";
import { TaskStatusService } from "../../handler/taskStatusService";
import { makeServiceDeps, makeStoredTask } from "../helpers/factories";
import { InMemoryTaskRepository } from "../helpers/fakes";

const STARTED = Date.parse("2026-12-01T10:00:00Z");

function serviceAt(secondsAfterStart: number, ...tasks: Array<Record<string, unknown>>) {
  return new TaskStatusService(
    makeServiceDeps({
      repository: InMemoryTaskRepository.of(...tasks),
      pollIntervalSeconds: 30,
      clock: () => new Date(STARTED + secondsAfterStart * 1000),
    }),
  );
}

const inProgress = (id: string, extra: Record<string, unknown> = {}) =>
  makeStoredTask({
    TaskId: id,
    Status: "processing",
    Created_at: new Date(STARTED).toISOString(),
    Updated_at: new Date(STARTED).toISOString(),
    ...extra,
  });

describe("TaskStatusService: server-timed polling and batches", () => {
  it("times Retry-After and max-age by the task's own progress, while the ETag stays the body's alone", async () => {
    // 40% written 16 s in: 24 s to go from then, so 20 s at 20 s and 16 s at 24 s.
    const written = { Progress: 40, Updated_at: new Date(STARTED + 16_000).toISOString() };
    const at20 = await serviceAt(20, inProgress("a", written)).getTaskStatus("a");
    const at24 = await serviceAt(24, inProgress("a", written)).getTaskStatus("a");
    expect([at20.retryAfterSeconds, at20.freshForSeconds]).to.deep.equal([20, 20]);
    expect(at24.retryAfterSeconds).to.equal(16);
    // The hint moved; the representation did not, so a caller's If-None-Match still matches.
    expect(at24.version).to.equal(at20.version);
    expect((await serviceAt(24, inProgress("a", written)).getTaskStatus("a", [at20.version])).task).to.equal(undefined);
  });

  it("answers many tasks in the order asked, each as the single GET would, with the unknown ones in notFound", async () => {
    const tasks = [
      inProgress("slow"),
      inProgress("fast", { Progress: 90, Updated_at: new Date(STARTED + 38_000).toISOString() }),
      makeStoredTask({ TaskId: "done", Status: "completed" }),
    ];
    const service = serviceAt(40, ...tasks);
    const batch = await service.getTasks(["done", "nope", "slow", "fast"]);
    expect(batch.tasks.map((t) => t.TaskId)).to.deep.equal(["done", "slow", "fast"]);
    expect(batch.notFound).to.deep.equal(["nope"]);
    for (const task of batch.tasks) expect(task).to.deep.equal((await service.getTaskStatus(task.TaskId)).task);
    // slow: a quarter of 40 s; fast: 90% written at 38 s, so about 2 s left, raised to the 3 s
    // floor: the batch says the sooner.
    expect(batch.retryAfterSeconds).to.equal(3);
    expect((await service.getTasks(["done"])).retryAfterSeconds).to.equal(undefined);
  });
});
