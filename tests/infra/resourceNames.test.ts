import { expect } from "chai";
import {
  accessLogGroupPrefixFor,
  dashboardNameFor,
  deploymentSlug,
  eventBusNameFor,
  functionLogGroupNameFor,
  functionNameFor,
} from "../../infra/resourceNames";

// What AWS accepts: Lambda FunctionName, CloudWatch DashboardName, EventBridge event bus Name,
// CloudWatch Logs log group names (512, and the prefix leaves room for Pulumi's 8-character suffix).
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const EVENT_BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
const LOG_GROUP_NAME = /^[A-Za-z0-9._\-/#]{1,504}$/;

const PROD = { project: "task-api", stack: "prod" };

describe("resourceNames", () => {
  it("names an ordinary deployment <project>-<stack>-...", () => {
    expect(functionNameFor(PROD)).to.equal("task-api-prod-status");
    expect(functionNameFor(PROD, "sweeper")).to.equal("task-api-prod-sweeper");
    expect(functionLogGroupNameFor(functionNameFor(PROD))).to.equal("/aws/lambda/task-api-prod-status");
    expect(dashboardNameFor(PROD, "eu-west-1")).to.equal("task-api-prod-eu-west-1");
    expect(accessLogGroupPrefixFor(PROD)).to.equal("/aws/vendedlogs/apigateway/task-api-prod-access-");
    expect(eventBusNameFor(PROD)).to.equal("task-api-prod");
  });

  it("keeps a second copy of the project (a fork, a rename) with the same stack apart in one account", () => {
    const fork = { project: "media-tasks", stack: "prod" };
    expect(functionNameFor(fork)).to.equal("media-tasks-prod-status");
    expect(eventBusNameFor(fork)).to.not.equal(eventBusNameFor(PROD));
    expect(dashboardNameFor(fork, "eu-west-1")).to.not.equal(dashboardNameFor(PROD, "eu-west-1"));
    expect(accessLogGroupPrefixFor(fork)).to.not.equal(accessLogGroupPrefixFor(PROD));
  });

  it("gives the same stack in two regions two dashboards", () => {
    expect(dashboardNameFor(PROD, "eu-west-1")).to.not.equal(dashboardNameFor(PROD, "us-east-1"));
  });

  it("makes valid, distinct names for the longest project and stack names Pulumi accepts (100 characters, periods)", () => {
    const deployments = [
      { project: "p".repeat(100), stack: "s".repeat(100) },
      { project: "p".repeat(100), stack: `${"s".repeat(99)}t` },
      { project: `${"p".repeat(99)}q`, stack: "s".repeat(100) },
      { project: "release.2026", stack: "11" },
      { project: "release", stack: "2026.11" },
      { project: "release-2026", stack: "11" },
      { project: "x_y.z", stack: "dev" },
    ];
    const names = {
      functions: deployments.flatMap((d) => [functionNameFor(d), functionNameFor(d, "sweeper")]),
      dashboards: deployments.map((d) => dashboardNameFor(d, "ap-southeast-2")),
      buses: deployments.map((d) => eventBusNameFor(d)),
      logGroups: deployments.flatMap((d) => [
        functionLogGroupNameFor(functionNameFor(d)),
        functionLogGroupNameFor(functionNameFor(d, "sweeper")),
        accessLogGroupPrefixFor(d),
      ]),
    };
    for (const name of names.functions) expect(name).to.match(FUNCTION_NAME);
    for (const name of names.dashboards) expect(name).to.match(DASHBOARD_NAME);
    for (const name of names.buses) expect(name).to.match(EVENT_BUS_NAME);
    for (const name of names.logGroups) expect(name).to.match(LOG_GROUP_NAME);
    for (const list of Object.values(names)) expect(new Set(list).size, JSON.stringify(list)).to.equal(list.length);
  });

  it("shortens only what it must, and says which deployment with a hash", () => {
    expect(deploymentSlug({ project: "a", stack: "dev" }, 10)).to.equal("a-dev");
    expect(deploymentSlug({ project: "a", stack: "b.c" }, 20)).to.match(/^a-b-c-[0-9a-f]{6}$/);
    expect(deploymentSlug({ project: "x".repeat(30), stack: "dev" }, 20)).to.have.length(20);
  });
});
