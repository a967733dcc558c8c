import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  lambdaArm64,
  lambdaMemoryMax,
  lambdaPermissionScoped,
  lambdaReservedConcurrency,
  lambdaRuntimeNode,
  lambdaTimeoutMax,
} from "../../policies/lambda";
import { findingsOf, resourceOf, UNKNOWN_NUMBER, violationsOf } from "../helpers/policyHarness";

/** A function as the program declares it; override one field per test. */
function fn(overrides: Record<string, unknown> = {}) {
  return resourceOf(aws.lambda.Function, "task-status", {
    runtime: "nodejs24.x",
    architectures: ["arm64"],
    timeout: 5,
    memorySize: 128,
    handler: "index.handler",
    role: "arn:aws:iam::123456789012:role/task-status",
    reservedConcurrentExecutions: 10,
    ...overrides,
  });
}

function permission(overrides: Record<string, unknown> = {}) {
  return resourceOf(aws.lambda.Permission, "api-invokes-task-status", {
    action: "lambda:InvokeFunction",
    function: "task-status",
    principal: "apigateway.amazonaws.com",
    sourceArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/GET/task/*",
    ...overrides,
  });
}

describe("policies/lambda", () => {
  it("passes the program's function under every Lambda policy", async () => {
    for (const policy of [
      lambdaTimeoutMax,
      lambdaMemoryMax,
      lambdaRuntimeNode,
      lambdaArm64,
      lambdaReservedConcurrency,
    ]) {
      expect(await findingsOf(policy, [fn()]), policy.name).to.deep.equal([]);
    }
  });

  describe("lambda-timeout-max (mandatory)", () => {
    it("fails when timeout is 30", async () => {
      expect(await violationsOf(lambdaTimeoutMax, [fn({ timeout: 30 })])).to.deep.equal([
        "Lambda function task-status has a timeout of 30 s; the limit is 5 s.",
      ]);
    });
    it("fails when timeout is not set", async () => {
      expect(await violationsOf(lambdaTimeoutMax, [fn({ timeout: undefined })])).to.have.length(1);
    });
    it("takes its limit from config", async () => {
      expect(
        await violationsOf(lambdaTimeoutMax, [fn({ timeout: 6 })], { "lambda-timeout-max": { maxTimeoutSeconds: 10 } }),
      ).to.deep.equal([]);
      expect(
        await violationsOf(lambdaTimeoutMax, [fn({ timeout: 5 })], { "lambda-timeout-max": { maxTimeoutSeconds: 3 } }),
      ).to.have.length(1);
    });
    it("reports that it cannot decide, as advisory, when the timeout is unknown at preview", async () => {
      const findings = await findingsOf(lambdaTimeoutMax, [fn({ timeout: UNKNOWN_NUMBER })]);
      expect(findings).to.have.length(1);
      expect(findings[0]).to.include({ level: "advisory" });
      expect(findings[0]?.message).to.match(
        /^can't run policy 'lambda-timeout-max' from policy pack '[^']+' during preview: number value at \.timeout/,
      );
    });
    it("ignores resources of other types", async () => {
      expect(await findingsOf(lambdaTimeoutMax, [permission()])).to.deep.equal([]);
    });
  });

  describe("lambda-memory-max (mandatory)", () => {
    it("fails when memorySize is 1024", async () => {
      expect(await violationsOf(lambdaMemoryMax, [fn({ memorySize: 1024 })])).to.deep.equal([
        "Lambda function task-status has 1024 MB of memory; the limit is 128 MB.",
      ]);
    });
    it("fails when memorySize is not set", async () => {
      expect(await violationsOf(lambdaMemoryMax, [fn({ memorySize: undefined })])).to.have.length(1);
    });
  });

  describe("lambda-runtime-nodejs-minimum (mandatory)", () => {
    for (const runtime of ["nodejs22.x", "nodejs20.x", "python3.12", undefined]) {
      it(`fails on ${runtime ?? "no runtime"} by default`, async () => {
        expect(await violationsOf(lambdaRuntimeNode, [fn({ runtime })])).to.deep.equal([
          `Lambda function task-status runs on ${runtime ?? "no declared runtime"}; use nodejs24.x or newer.`,
        ]);
      });
    }
    it("passes nodejs24.x and newer", async () => {
      for (const runtime of ["nodejs24.x", "nodejs26.x"]) {
        expect(await violationsOf(lambdaRuntimeNode, [fn({ runtime })]), runtime).to.deep.equal([]);
      }
    });
    it("takes its minimum from the pack's config", async () => {
      const config = { "lambda-runtime-nodejs-minimum": { minimumNodeMajor: 22 } };
      expect(await violationsOf(lambdaRuntimeNode, [fn({ runtime: "nodejs22.x" })], config)).to.deep.equal([]);
      expect(await violationsOf(lambdaRuntimeNode, [fn({ runtime: "nodejs20.x" })], config)).to.have.length(1);
    });
  });

  describe("lambda-arm64 (advisory)", () => {
    it("reports x86_64 as advisory", async () => {
      const findings = await findingsOf(lambdaArm64, [fn({ architectures: ["x86_64"] })]);
      expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
    });
    it("reports the default architecture (none declared)", async () => {
      expect(await violationsOf(lambdaArm64, [fn({ architectures: undefined })])).to.have.length(1);
    });
  });

  describe("lambda-reserved-concurrency (advisory)", () => {
    for (const reserved of [undefined, -1]) {
      it(`reports reserved concurrency ${reserved} as advisory`, async () => {
        const findings = await findingsOf(lambdaReservedConcurrency, [fn({ reservedConcurrentExecutions: reserved })]);
        expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
      });
    }
  });

  describe("lambda-permission-api-gateway-scoped (mandatory)", () => {
    it("passes the program's permission", async () => {
      expect(await findingsOf(lambdaPermissionScoped, [permission()])).to.deep.equal([]);
    });
    it("fails when sourceArn ends in /*/*", async () => {
      const arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/*";
      expect(await violationsOf(lambdaPermissionScoped, [permission({ sourceArn: arn })])).to.deep.equal([
        `Lambda permission api-invokes-task-status has sourceArn ${arn}; scope it to the route (…/*/GET/task/*).`,
      ]);
    });
    it("fails when sourceArn is missing", async () => {
      expect(await violationsOf(lambdaPermissionScoped, [permission({ sourceArn: undefined })])).to.have.length(1);
    });
    it("passes EventBridge invoking through one named rule, and fails it without one or with a wildcard", async () => {
      const rule = "arn:aws:events:eu-west-1:123456789012:rule/deadline-sweep-1";
      const events = (sourceArn: string | undefined) =>
        violationsOf(lambdaPermissionScoped, [permission({ principal: "events.amazonaws.com", sourceArn })]);
      expect(await events(rule)).to.deep.equal([]);
      expect(await events(undefined)).to.have.length(1);
      expect(await events("arn:aws:events:eu-west-1:123456789012:rule/*")).to.have.length(1);
    });
    it("fails for another principal", async () => {
      expect(
        await violationsOf(lambdaPermissionScoped, [permission({ principal: "s3.amazonaws.com" })]),
      ).to.have.length(1);
    });
  });
});
