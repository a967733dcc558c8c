import {
  DEADLINE_SHARDS,
  deadlineFailure,
  deadlineShardOf,
  isErrorCode,
  isWellFormedCorrelationId,
  nextDeadline,
} from "@task-api/contract";
import { expect } from "chai";
import { inProgress } from "../helpers/deadlineRecords";

const T = 1_800_000_000;

describe("contract/deadlines", () => {
  describe("deadlineFailure", () => {
    it("is nothing before the deadline and a heartbeat failure from its very instant, dated at the deadline", () => {
      const task = inProgress({ heartbeat: [60, T + 0.25] });
      expect(deadlineFailure(task, T + 0.249, 0)).to.equal(undefined);
      expect(deadlineFailure(task, T + 0.25, 0)).to.deep.equal({
        kind: "heartbeat",
        deadline: T + 0.25,
        ErrorCode: "DEADLINE_EXCEEDED",
        ErrorMessage: "no progress report for 60 s",
        Updated_at: "2027-01-15T08:00:00.250Z",
      });
    });

    it("with a grace, is nothing until the deadline plus the grace, and then says the grace in its message", () => {
      const task = inProgress({ heartbeat: [60, T] });
      expect(deadlineFailure(task, T + 9.999, 10)).to.equal(undefined);
      expect(deadlineFailure(task, T + 10, 10)).to.deep.equal({
        kind: "heartbeat",
        deadline: T,
        ErrorCode: "DEADLINE_EXCEEDED",
        ErrorMessage: "no progress report for 60 s (judged 10 s after the deadline)",
        Updated_at: new Date(T * 1000).toISOString(),
      });
      expect(deadlineFailure(inProgress({ timeout: [600, T] }), T + 30, 10)?.ErrorMessage).to.equal(
        "not finished within 600 s (judged 10 s after the deadline)",
      );
    });

    it("says the timeout when that one passed", () => {
      expect(deadlineFailure(inProgress({ timeout: [600, T] }), T + 1, 0)?.ErrorMessage).to.equal(
        "not finished within 600 s",
      );
    });

    it("names the earlier deadline when both passed, and the timeout on a tie", () => {
      expect(deadlineFailure(inProgress({ heartbeat: [60, T - 5], timeout: [600, T] }), T, 0)?.kind).to.equal(
        "heartbeat",
      );
      expect(deadlineFailure(inProgress({ heartbeat: [60, T + 5], timeout: [600, T] }), T + 10, 0)?.kind).to.equal(
        "timeout",
      );
      expect(deadlineFailure(inProgress({ heartbeat: [60, T], timeout: [600, T] }), T, 0)?.kind).to.equal("timeout");
    });

    it("waits for the earlier deadline even when the later one would be the first to name", () => {
      expect(deadlineFailure(inProgress({ heartbeat: [60, T + 5], timeout: [600, T] }), T - 1, 0)).to.equal(undefined);
    });

    it("never fails a finished task, a task without deadlines, or one whose deadline values are malformed", () => {
      for (const status of ["completed", "failed", undefined]) {
        expect(deadlineFailure({ ...inProgress({ heartbeat: [60, T] }), Status: status }, T + 1, 0), status).to.equal(
          undefined,
        );
      }
      expect(deadlineFailure(inProgress(), T, 0)).to.equal(undefined);
      // A heartbeat deadline without its period is the trace a report leaves on a task without a heartbeat.
      expect(deadlineFailure({ Status: "processing", HeartbeatDeadline: T - 100 }, T, 0)).to.equal(undefined);
      for (const bad of [0, 1.5, "60", -1]) {
        expect(
          deadlineFailure({ Status: "processing", HeartbeatSeconds: bad, HeartbeatDeadline: T }, T + 1, 0),
        ).to.equal(undefined);
      }
      expect(deadlineFailure({ Status: "processing", TimeoutSeconds: 60, TimeoutDeadline: "soon" }, T, 0)).to.equal(
        undefined,
      );
    });
  });

  it("nextDeadline is the earlier of a task in progress's deadlines, nothing otherwise", () => {
    expect(nextDeadline(inProgress({ heartbeat: [60, T + 60], timeout: [600, T + 30] }))).to.equal(T + 30);
    expect(nextDeadline(inProgress({ heartbeat: [60, T + 60] }))).to.equal(T + 60);
    expect(nextDeadline(inProgress())).to.equal(undefined);
    expect(nextDeadline({ ...inProgress({ timeout: [600, T] }), Status: "completed" })).to.equal(undefined);
  });

  it("spreads task IDs over every shard, the same ID always to the same shard", () => {
    const counts = new Array<number>(DEADLINE_SHARDS).fill(0);
    for (let i = 0; i < 16_000; i++) {
      const shard = deadlineShardOf(`c66b85ce-384d-4790-8417-${String(i).padStart(12, "0")}`);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    // 1,000 per shard if even; no shard is more than 15% off, so none is a hot partition.
    for (const count of counts) expect(count).to.be.within(850, 1150);
    expect(deadlineShardOf("demo-1")).to.equal(deadlineShardOf("demo-1"));
  });

  it("takes ErrorCodes of capitals, digits and underscores, starting with a letter, up to 64", () => {
    for (const good of ["E", "OUT_OF_MEMORY", "NOT_A_PDF", `A${"9".repeat(63)}`])
      expect(isErrorCode(good), good).to.equal(true);
    for (const bad of ["", "out_of_memory", "9LIVES", "_X", "A-B", `A${"9".repeat(64)}`, 42]) {
      expect(isErrorCode(bad), String(bad)).to.equal(false);
    }
  });

  it("takes CorrelationIds of the task ID's alphabet, 1 to 128 characters", () => {
    for (const good of ["order-77", "a", "x".repeat(128), "tenant:7.job_9"]) {
      expect(isWellFormedCorrelationId(good), good).to.equal(true);
    }
    for (const bad of ["", "order 77", "x".repeat(129), "ü", 7]) {
      expect(isWellFormedCorrelationId(bad), String(bad)).to.equal(false);
    }
  });
});
