import { epochSeconds } from "@task-api/contract";
import { expect } from "chai";
import { TaskStatusService } from "../../handler/taskStatusService";
import { makeServiceDeps, makeStoredTask } from "../helpers/factories";
import { InMemoryTaskRepository } from "../helpers/fakes";

const STARTED = new Date("2026-11-28T10:00:00.000Z");
const HEARTBEAT_DEADLINE = epochSeconds(STARTED) + 60;

/** A task in progress, reporting last at STARTED with a 60 s heartbeat and a 600 s timeout. */
function heartbeating(overrides: Record<string, unknown> = {}) {
  return makeStoredTask({
    Status: "processing",
    Progress: 40,
    TargetKey: undefined,
    TargetBucket: undefined,
    Created_at: STARTED.toISOString(),
    Updated_at: STARTED.toISOString(),
    HeartbeatSeconds: 60,
    HeartbeatDeadline: HEARTBEAT_DEADLINE,
    TimeoutSeconds: 600,
    TimeoutDeadline: epochSeconds(STARTED) + 600,
    ...overrides,
  });
}

function serviceAt(stored: Record<string, unknown>, seconds: number, deadlineGraceSeconds = 0): TaskStatusService {
  return new TaskStatusService(
    makeServiceDeps({
      repository: InMemoryTaskRepository.of(stored),
      clock: () => new Date(STARTED.getTime() + seconds * 1000),
      deadlineGraceSeconds,
      // The stack's default ceiling, so that a hint cut short by the grace's end shows.
      ...(deadlineGraceSeconds > 0 ? { pollIntervalSeconds: 30 } : {}),
    }),
  );
}

describe("TaskStatusService: deadlines", () => {
  it("answers a task processing until its deadline, and never fresh past it", async () => {
    const answer = await serviceAt(heartbeating(), 59.5).getTaskStatus("1234-5678-9012");
    expect(answer.task).to.include({ Status: "processing", Progress: 40 });
    expect(answer.task).to.not.have.property("ErrorCode");
    expect(answer.freshForSeconds).to.equal(0);
    expect((await serviceAt(heartbeating(), 30).getTaskStatus("1234-5678-9012")).freshForSeconds).to.equal(2);
  });

  it("with the stack's grace, answers processing through the grace (polls aimed at its end) and failed from its end, saying the grace", async () => {
    const within = await serviceAt(heartbeating(), 65, 10).getTaskStatus("1234-5678-9012");
    expect(within.task).to.include({ Status: "processing" });
    // The answer changes when the grace ends, 5 s on: the hint and max-age say no later.
    expect(within.retryAfterSeconds).to.equal(5);
    expect(within.freshForSeconds).to.equal(5);
    const after = await serviceAt(heartbeating(), 70, 10).getTaskStatus("1234-5678-9012");
    expect(after.task).to.include({
      Status: "failed",
      ErrorCode: "DEADLINE_EXCEEDED",
      ErrorMessage: "no progress report for 60 s (judged 10 s after the deadline)",
      Updated_at: "2026-11-28T10:01:00.000Z",
    });
  });

  it("answers failed with DEADLINE_EXCEEDED from the deadline on, dated at the deadline, before any rewrite", async () => {
    const answer = await serviceAt(heartbeating(), 60).getTaskStatus("1234-5678-9012");
    expect(answer.task).to.deep.equal({
      TaskId: "1234-5678-9012",
      Status: "failed",
      TaskType: "document",
      SourceKey: "original/document.pdf",
      SourceBucket: "media-bucket",
      Created_at: "2026-11-28T10:00:00.000Z",
      Updated_at: "2026-11-28T10:01:00.000Z",
      ErrorMessage: "no progress report for 60 s",
      ErrorCode: "DEADLINE_EXCEEDED",
      Progress: 40,
    });
    expect(answer.retryAfterSeconds).to.equal(undefined);
    expect(answer.freshForSeconds).to.equal(60);
  });

  it("gives the answer the same version before and after the sweeper writes the failure", async () => {
    const before = await serviceAt(heartbeating(), 61).getTaskStatus("1234-5678-9012");
    const swept = heartbeating({
      Status: "failed",
      Updated_at: "2026-11-28T10:01:00.000Z",
      ErrorMessage: "no progress report for 60 s",
      ErrorCode: "DEADLINE_EXCEEDED",
    });
    const after = await serviceAt(swept, 3600).getTaskStatus("1234-5678-9012");
    expect(after.task).to.deep.equal(before.task);
    expect(after.version).to.equal(before.version);
  });

  it("fails a task that keeps reporting once its timeout passes", async () => {
    const reporting = heartbeating({ HeartbeatDeadline: epochSeconds(STARTED) + 650 });
    const answer = await serviceAt(reporting, 600).getTaskStatus("1234-5678-9012");
    expect(answer.task).to.include({
      Status: "failed",
      ErrorCode: "DEADLINE_EXCEEDED",
      ErrorMessage: "not finished within 600 s",
      Updated_at: "2026-11-28T10:10:00.000Z",
    });
  });

  it("leaves a finished task as it is, whatever its deadlines", async () => {
    const completed = heartbeating({ Status: "completed", Result: "ok" });
    expect((await serviceAt(completed, 10_000).getTaskStatus("1234-5678-9012")).task).to.include({
      Status: "completed",
    });
  });

  it("answers a processor's own ErrorCode and the CorrelationId as stored", async () => {
    const failed = makeStoredTask({
      Status: "failed",
      ErrorMessage: "not a PDF",
      ErrorCode: "NOT_A_PDF",
      CorrelationId: "order-77",
    });
    expect((await serviceAt(failed, 0).getTaskStatus("1234-5678-9012")).task).to.include({
      ErrorCode: "NOT_A_PDF",
      CorrelationId: "order-77",
    });
  });
});
