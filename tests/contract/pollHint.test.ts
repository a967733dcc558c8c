import { pollHintSeconds } from "@task-api/contract";
import { expect } from "chai";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const ago = (seconds: number) => NOW - seconds * 1000;
const hint = (startedSecondsAgo: number | undefined, progress?: number, extra: { deadlineSeconds?: number } = {}) =>
  pollHintSeconds({
    startedAtMs: startedSecondsAgo === undefined ? undefined : ago(startedSecondsAgo),
    progress,
    nowMs: NOW,
    ceilingSeconds: 30,
    ...extra,
  });

describe("contract/pollHint: pollHintSeconds", () => {
  it("is half the time a task reporting progress likely has left (40% after 20 s: 15 s)", () => {
    expect(hint(20, 40)).to.equal(15);
    expect(hint(10, 50)).to.equal(5);
    expect(hint(90, 90)).to.equal(5);
  });

  it("without a usable progress (none, 0, or 100 while still processing) is a quarter of the task's age", () => {
    expect(hint(40)).to.equal(10);
    expect(hint(40, 0)).to.equal(10);
    expect(hint(40, 100)).to.equal(10);
  });

  it("stays between 1 s and the ceiling", () => {
    expect(hint(1)).to.equal(1);
    expect(hint(0.2, 99)).to.equal(1);
    expect(hint(3600)).to.equal(30);
    expect(hint(600, 1)).to.equal(30);
  });

  it("treats a start in the future (a writer's clock ahead of the API's) as just started", () => {
    expect(hint(-120, 50)).to.equal(1);
    expect(hint(-120)).to.equal(1);
  });

  it("falls back to the ceiling when the record has no usable start time", () => {
    expect(hint(undefined, 40)).to.equal(30);
    expect(pollHintSeconds({ startedAtMs: Number.NaN, progress: 40, nowMs: NOW, ceilingSeconds: 30 })).to.equal(30);
  });

  it("never points past the task's next deadline", () => {
    expect(hint(3600, undefined, { deadlineSeconds: NOW / 1000 + 7 })).to.equal(7);
    expect(hint(3600, undefined, { deadlineSeconds: NOW / 1000 + 0.2 })).to.equal(1);
  });
});
