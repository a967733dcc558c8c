import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  apigatewayRouteAuthorization,
  apigatewayStageAccessLogs,
  apigatewayStageThrottling,
} from "../../policies/apigateway";
import { dynamodbDeletionProtection, dynamodbPointInTimeRecovery } from "../../policies/dynamodb";
import { cloudwatchLogsRetention } from "../../policies/logs";
import { findingsOf, resourceOf, UNKNOWN_STRING, violationsOf } from "../helpers/policyHarness";

function route(overrides: Record<string, unknown> = {}) {
  return resourceOf(aws.apigatewayv2.Route, "get-task", {
    apiId: "abc123",
    routeKey: "GET /task/{task_id}",
    authorizationType: "AWS_IAM",
    ...overrides,
  });
}

function stage(overrides: Record<string, unknown> = {}) {
  return resourceOf(aws.apigatewayv2.Stage, "default", {
    apiId: "abc123",
    name: "$default",
    autoDeploy: true,
    defaultRouteSettings: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    accessLogSettings: { destinationArn: "arn:aws:logs:eu-west-1:123456789012:log-group:access", format: "{}" },
    ...overrides,
  });
}

function table(overrides: Record<string, unknown> = {}, options = { protect: true }) {
  return resourceOf(
    aws.dynamodb.Table,
    "tasks",
    { hashKey: "TaskId", pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, ...overrides },
    {},
    options,
  );
}

function logGroup(overrides: Record<string, unknown> = {}) {
  return resourceOf(aws.cloudwatch.LogGroup, "task-status-function", { retentionInDays: 30, ...overrides });
}

describe("policies/apigateway", () => {
  it("passes the program's route and stage", async () => {
    for (const policy of [apigatewayRouteAuthorization, apigatewayStageAccessLogs, apigatewayStageThrottling]) {
      expect(await findingsOf(policy, [route(), stage()]), policy.name).to.deep.equal([]);
    }
  });

  describe("apigateway-route-authorization (mandatory)", () => {
    it("fails when authorizationType is NONE", async () => {
      expect(await violationsOf(apigatewayRouteAuthorization, [route({ authorizationType: "NONE" })])).to.deep.equal([
        "Route GET /task/{task_id} (get-task) is open to anyone (authorizationType NONE); use AWS_IAM.",
      ]);
    });
    it("fails when authorizationType is left to its default (NONE)", async () => {
      expect(
        await violationsOf(apigatewayRouteAuthorization, [route({ authorizationType: undefined })]),
      ).to.have.length(1);
    });
    it("is only advisory under the public-API pack config", async () => {
      const config = { "apigateway-route-authorization": "advisory" as const };
      const findings = await findingsOf(apigatewayRouteAuthorization, [route({ authorizationType: "NONE" })], config);
      expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
    });
    it("reports that it cannot decide when the authorization is unknown", async () => {
      const findings = await findingsOf(apigatewayRouteAuthorization, [route({ authorizationType: UNKNOWN_STRING })]);
      expect(findings.map((f) => f.message)).to.satisfy(
        (m: string[]) => m.length === 1 && m[0]?.includes("during preview"),
      );
    });
  });

  describe("apigateway-stage-access-logs (mandatory)", () => {
    it("fails when accessLogSettings is missing", async () => {
      expect(await violationsOf(apigatewayStageAccessLogs, [stage({ accessLogSettings: undefined })])).to.have.length(
        1,
      );
    });
    it("fails when the format is empty", async () => {
      const settings = { destinationArn: "arn:aws:logs:eu-west-1:123456789012:log-group:a", format: "" };
      expect(await violationsOf(apigatewayStageAccessLogs, [stage({ accessLogSettings: settings })])).to.have.length(1);
    });
  });

  describe("apigateway-stage-throttling (mandatory)", () => {
    it("fails when defaultRouteSettings is missing", async () => {
      expect(
        await violationsOf(apigatewayStageThrottling, [stage({ defaultRouteSettings: undefined })]),
      ).to.have.length(1);
    });
    it("fails when only the rate is set", async () => {
      const settings = { throttlingRateLimit: 50 };
      expect(await violationsOf(apigatewayStageThrottling, [stage({ defaultRouteSettings: settings })])).to.have.length(
        1,
      );
    });
  });
});

describe("policies/dynamodb", () => {
  it("passes the program's table", async () => {
    expect(await findingsOf(dynamodbPointInTimeRecovery, [table()])).to.deep.equal([]);
    expect(await findingsOf(dynamodbDeletionProtection, [table()])).to.deep.equal([]);
  });
  it("dynamodb-point-in-time-recovery fails when PITR is off or absent", async () => {
    expect(
      await violationsOf(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: { enabled: false } })]),
    ).to.have.length(1);
    expect(await violationsOf(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: undefined })])).to.have.length(
      1,
    );
  });
  it("dynamodb-deletion-protection fails when protection is off or absent", async () => {
    expect(
      await violationsOf(dynamodbDeletionProtection, [table({ deletionProtectionEnabled: false })]),
    ).to.have.length(1);
    expect(
      await violationsOf(dynamodbDeletionProtection, [table({ deletionProtectionEnabled: undefined })]),
    ).to.have.length(1);
  });
  it("dynamodb-deletion-protection fails when Pulumi's protect is off, even with DynamoDB's protection on", async () => {
    expect(await violationsOf(dynamodbDeletionProtection, [table({}, { protect: false })])).to.deep.equal([
      "Table tasks is not protected in Pulumi (protect), so destroy or a replacement would delete it.",
    ]);
  });
  it("dynamodb-deletion-protection only advises where a stack's pack config says so", async () => {
    const findings = await findingsOf(dynamodbDeletionProtection, [table({ deletionProtectionEnabled: false })], {
      "dynamodb-deletion-protection": "advisory",
    });
    expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
  });
});

describe("policies/logs: cloudwatch-logs-retention (mandatory)", () => {
  it("passes a log group with retention", async () => {
    expect(await findingsOf(cloudwatchLogsRetention, [logGroup()])).to.deep.equal([]);
  });
  it("fails when retentionInDays is not set (logs kept forever)", async () => {
    expect(await violationsOf(cloudwatchLogsRetention, [logGroup({ retentionInDays: undefined })])).to.deep.equal([
      "Log group task-status-function keeps its logs forever; set retentionInDays.",
    ]);
  });
  it("fails above the configured maximum", async () => {
    const config = { "cloudwatch-logs-retention": { maxRetentionDays: 90 } };
    expect(await violationsOf(cloudwatchLogsRetention, [logGroup({ retentionInDays: 365 })], config)).to.have.length(1);
  });
});
