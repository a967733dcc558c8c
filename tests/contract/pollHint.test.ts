import { POLL_HINT, pollHintSeconds } from "@task-api/contract";
import { expect } from "chai";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const ago = (seconds: number) => NOW - seconds * 1000;
const hint = (
  startedSecondsAgo: number | undefined,
  progress?: number,
  extra: { deadlineSeconds?: number; progressSecondsAgo?: number; estimatedSeconds?: number } = {},
) =>
  pollHintSeconds({
    startedAtMs: startedSecondsAgo === undefined ? undefined : ago(startedSecondsAgo),
    progress,
    nowMs: NOW,
    ceilingSeconds: 30,
    ...(extra.progressSecondsAgo === undefined ? {} : { progressAtMs: ago(extra.progressSecondsAgo) }),
    ...(extra.deadlineSeconds === undefined ? {} : { deadlineSeconds: extra.deadlineSeconds }),
    ...(extra.estimatedSeconds === undefined ? {} : { estimatedSeconds: extra.estimatedSeconds }),
  });

describe("contract/pollHint: pollHintSeconds", () => {
  it("holds the constants measure:waiting chose (README, Waiting)", () => {
    expect(POLL_HINT).to.deep.equal({ remainingShare: 1, ageShare: 0.25, estimateShare: 1, floorSeconds: 3 });
  });

  it("with a progress, is the time the task likely has left at the rate of its last write", () => {
    // 40% written 20 s in: 30 s to go from then. Polled at that write, 30 s (the ceiling); 5 s
    // later, 25 s; at 50% after 10 s, 10 s; at 90% after 90 s, 10 s.
    expect(hint(20, 40, { progressSecondsAgo: 0 })).to.equal(30);
    expect(hint(25, 40, { progressSecondsAgo: 5 })).to.equal(25);
    expect(hint(10, 50)).to.equal(10);
    expect(hint(90, 90)).to.equal(10);
    expect(hint(95, 95)).to.equal(5);
  });

  it("a task already past what its rate promised falls back to a share of its age", () => {
    // 50% written at 10 s promised 10 s more; 40 s in, it is 20 s late: a quarter of 40 s.
    expect(hint(40, 50, { progressSecondsAgo: 30 })).to.equal(10);
  });

  it("without a usable progress (none, 0, or 100 while still processing) is a quarter of the task's age", () => {
    expect(hint(40)).to.equal(10);
    expect(hint(40, 0)).to.equal(10);
    expect(hint(40, 100)).to.equal(10);
  });

  it("with only an estimate, polls when the estimate falls due, below the floor too; past it, a quarter of the age", () => {
    expect(hint(5, undefined, { estimatedSeconds: 25 })).to.equal(20);
    expect(hint(0, undefined, { estimatedSeconds: 1 })).to.equal(1);
    expect(hint(40, undefined, { estimatedSeconds: 25 })).to.equal(10);
    expect(hint(5, 50, { estimatedSeconds: 60 })).to.equal(5);
  });

  it("stays between the 3 s floor and the ceiling", () => {
    expect(hint(1)).to.equal(3);
    expect(hint(0.2, 99)).to.equal(3);
    expect(hint(3600)).to.equal(30);
    expect(hint(600, 1)).to.equal(30);
  });

  it("treats a start in the future (a writer's clock ahead of the API's) as just started", () => {
    expect(hint(-120, 50)).to.equal(3);
    expect(hint(-120)).to.equal(3);
  });

  it("falls back to the ceiling when the record has no usable start time", () => {
    expect(hint(undefined, 40)).to.equal(30);
    expect(pollHintSeconds({ startedAtMs: Number.NaN, progress: 40, nowMs: NOW, ceilingSeconds: 30 })).to.equal(30);
  });

  it("never points past the task's next deadline, floor or not, but never under 1 s", () => {
    expect(hint(3600, undefined, { deadlineSeconds: NOW / 1000 + 7 })).to.equal(7);
    expect(hint(1, undefined, { deadlineSeconds: NOW / 1000 + 2 })).to.equal(2);
    expect(hint(3600, undefined, { deadlineSeconds: NOW / 1000 + 0.2 })).to.equal(1);
  });
});
