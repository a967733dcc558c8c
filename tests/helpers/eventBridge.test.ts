import { expect } from "chai";
import { matchesPattern, passesFilters, renderInputTemplate } from "./eventBridge";

// The documentation's EC2 example event (eb-event-patterns, eb-pipes-input-transformation).
const EC2_EVENT = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING" },
};
const withState = (state: unknown, extra: Record<string, unknown> = {}) => ({
  ...EC2_EVENT,
  detail: { ...EC2_EVENT.detail, state, ...extra },
});

describe("the EventBridge evaluator, against the documentation's examples", () => {
  it("matches literal values, any of a list, and any element of an array in the event", () => {
    expect(matchesPattern({ source: ["aws.ec2"] }, EC2_EVENT)).to.equal(true);
    expect(matchesPattern({ source: ["aws.s3"] }, EC2_EVENT)).to.equal(false);
    expect(matchesPattern({ detail: { state: ["STOPPED", "RUNNING"] } }, EC2_EVENT)).to.equal(true);
    expect(
      matchesPattern({ resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"] }, EC2_EVENT),
    ).to.equal(true);
  });

  it("prefix: time starting with 2017-10-02", () => {
    const pattern = { time: [{ prefix: "2017-10-02" }] };
    expect(matchesPattern(pattern, { ...EC2_EVENT, time: "2017-10-02T18:43:48Z" })).to.equal(true);
    expect(matchesPattern(pattern, EC2_EVENT)).to.equal(false);
  });

  it("anything-but: a string, a list of strings, a list of numbers, a prefix", () => {
    expect(matchesPattern({ detail: { state: [{ "anything-but": "initializing" }] } }, withState("stopped"))).to.equal(
      true,
    );
    expect(
      matchesPattern({ detail: { state: [{ "anything-but": "initializing" }] } }, withState("initializing")),
    ).to.equal(false);
    const notStoppedOrOverloaded = { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } };
    expect(matchesPattern(notStoppedOrOverloaded, withState("overloaded"))).to.equal(false);
    expect(matchesPattern(notStoppedOrOverloaded, withState("running"))).to.equal(true);
    const limits = { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } };
    expect(matchesPattern(limits, withState("running", { "x-limit": 200 }))).to.equal(false);
    expect(matchesPattern(limits, withState("running", { "x-limit": 250 }))).to.equal(true);
    const notInit = { detail: { state: [{ "anything-but": { prefix: "init" } }] } };
    expect(matchesPattern(notInit, withState("initializing"))).to.equal(false);
    expect(matchesPattern(notInit, withState("running"))).to.equal(true);
  });

  it("anything-but does not match a field that is not there", () => {
    expect(matchesPattern({ detail: { missing: [{ "anything-but": "x" }] } }, EC2_EVENT)).to.equal(false);
  });

  it("exists: false matches an absent leaf, and also a field that is not a leaf (the docs' c-count example)", () => {
    const pattern = { detail: { "c-count": [{ exists: false }] } };
    expect(matchesPattern(pattern, withState(["initializing", "running"]))).to.equal(true);
    expect(matchesPattern(pattern, withState(["initializing", "running"], { "c-count": { c1: 100 } }))).to.equal(true);
    expect(matchesPattern(pattern, withState("running", { "c-count": 3 }))).to.equal(false);
    expect(
      matchesPattern({ detail: { "c-count": [{ exists: true }] } }, withState("running", { "c-count": 3 })),
    ).to.equal(true);
  });

  it("filters: a record passes when any one of them matches", () => {
    const filters = [JSON.stringify({ source: ["aws.s3"] }), JSON.stringify({ detail: { state: ["RUNNING"] } })];
    expect(passesFilters(filters, EC2_EVENT)).to.equal(true);
    expect(passesFilters(filters.slice(0, 1), EC2_EVENT)).to.equal(false);
  });

  it("refuses operators it does not implement rather than guessing", () => {
    expect(() =>
      matchesPattern({ detail: { "c-count": [{ numeric: [">", 0] }] } }, withState("x", { "c-count": 1 })),
    ).to.throw(/unsupported rule operator numeric/);
    expect(() => matchesPattern({ $or: [] }, EC2_EVENT)).to.throw(/unsupported pattern operator/);
  });

  it("input template: the Pipes documentation's example transformer and its output", () => {
    const template = '{"instance" : <$.detail.instance-id>, "state": <$.detail.state>}';
    expect(renderInputTemplate(template, EC2_EVENT)).to.deep.equal({ instance: "i-0123456789", state: "RUNNING" });
  });

  it("input template: quoted variables become JSON strings, escaped; missing paths leave their member out", () => {
    const template = '{"a": "<$.detail.state>", "b": "<$.detail.nope>", "c": <$.detail>, "d": "static"}';
    expect(renderInputTemplate(template, withState('say "hi"\n'))).to.deep.equal({
      a: 'say "hi"\n',
      c: { "instance-id": "i-0123456789", state: 'say "hi"\n' },
      d: "static",
    });
  });
});
