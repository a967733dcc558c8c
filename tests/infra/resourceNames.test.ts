import { expect } from "chai";
import {
  accessLogGroupPrefixFor,
  dashboardNameFor,
  functionLogGroupNameFor,
  functionNameFor,
  stackNameSlug,
} from "../../infra/resourceNames";

// What AWS accepts: Lambda FunctionName and CloudWatch DashboardName.
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

describe("resourceNames", () => {
  it("keeps an ordinary stack name as it is", () => {
    expect(functionNameFor("prod")).to.equal("task-api-prod-status");
    expect(functionLogGroupNameFor(functionNameFor("prod"))).to.equal("/aws/lambda/task-api-prod-status");
    expect(dashboardNameFor("prod", "eu-west-1")).to.equal("task-api-prod-eu-west-1");
    expect(accessLogGroupPrefixFor("prod")).to.equal("/aws/vendedlogs/apigateway/task-api-prod-access-");
  });

  it("gives the same stack in two regions two dashboards", () => {
    expect(dashboardNameFor("prod", "eu-west-1")).to.not.equal(dashboardNameFor("prod", "us-east-1"));
  });

  it("makes valid, distinct names from any stack name Pulumi accepts (periods, 100 characters)", () => {
    const stacks = ["release.2026.11", "release-2026-11", "a".repeat(100), `${"a".repeat(99)}b`, "x_y.z"];
    const functions = stacks.map((stack) => functionNameFor(stack));
    const dashboards = stacks.map((stack) => dashboardNameFor(stack, "ap-southeast-2"));
    for (const name of functions) expect(name).to.match(FUNCTION_NAME);
    for (const name of dashboards) expect(name).to.match(DASHBOARD_NAME);
    expect(new Set(functions).size).to.equal(stacks.length);
    expect(new Set(dashboards).size).to.equal(stacks.length);
  });

  it("shortens only what it must, and says which stack with a hash", () => {
    expect(stackNameSlug("dev", 10)).to.equal("dev");
    const slug = stackNameSlug("a.b", 10);
    expect(slug).to.match(/^a-b-[0-9a-f]{6}$/);
    expect(stackNameSlug("x".repeat(30), 20)).to.have.length(20);
  });
});
