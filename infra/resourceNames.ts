import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** The service's name: the `Service` tag and the Powertools service name. */
export const SERVICE_NAME = "task-api";

/** The TaskApi component's Pulumi type: the URN of each resource it owns carries it (`task-api:index:TaskApi$aws:...`). */
export const TASK_API_TYPE = "task-api:index:TaskApi";

/**
 * Which copy of the service a name belongs to: the Pulumi project (a fork or a rename is another
 * project) and the stack. Names that AWS keeps per account and region carry both, so two copies
 * of the project with a stack `dev` in one account do not collide.
 */
export interface Deployment {
  project: string;
  stack: string;
}

/**
 * `<project>-<stack>` as it may appear inside AWS names that accept only A-Z a-z 0-9 _ -
 * (Lambda functions, CloudWatch dashboards, event buses) within `maxLength`. Pulumi accepts
 * project and stack names of up to 100 characters that may hold periods, so a name that had to
 * be changed or shortened gets a short hash of the original pair: two deployments never share a
 * name.
 */
export function deploymentSlug({ project, stack }: Deployment, maxLength: number): string {
  const original = `${project}-${stack}`;
  const cleaned = original.replace(/[^A-Za-z0-9_-]/g, "-");
  if (cleaned === original && original.length <= maxLength) return original;
  const hash = createHash("sha256").update(`${project}\n${stack}`).digest("hex").slice(0, 6);
  return `${cleaned.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html: FunctionName, at most 64.
const FUNCTION_NAME_MAX = 64;

/**
 * A function's name, `<project>-<stack>-<job>` (status: the API; sweeper: the deadline sweeper;
 * webhooks: the webhook sender).
 * Its log group is Lambda's default for that name (`/aws/lambda/<name>`), so an operator who
 * looks a function's logs up by its name (the console's "View logs", `aws logs tail`) finds them.
 */
export type FunctionJob = "status" | "sweeper" | "webhooks";

export function functionNameFor(deployment: Deployment, job: FunctionJob = "status"): string {
  return `${deploymentSlug(deployment, FUNCTION_NAME_MAX - job.length - 1)}-${job}`;
}

/** Lambda's own log group name for a function. */
export function functionLogGroupNameFor(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * The API's access log group prefix. Under /aws/vendedlogs/, CloudWatch Logs does not add the
 * group to the account's resource policy (capped at 5,120 characters), so stacks in a shared
 * account do not crowd each other out:
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
 */
export function accessLogGroupPrefixFor(deployment: Deployment): string {
  return `/aws/vendedlogs/apigateway/${deploymentSlug(deployment, 200)}-access-`;
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html: at most 255.
const DASHBOARD_NAME_MAX = 255;

/**
 * Dashboards are global to an account, so the name carries the region as well as the
 * deployment: the same stack deployed in two regions keeps two dashboards.
 */
export function dashboardNameFor(deployment: Deployment, region: string): string {
  return `${deploymentSlug(deployment, DASHBOARD_NAME_MAX - region.length - 1)}-${region}`;
}

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html: Name, at most 256.
const EVENT_BUS_NAME_MAX = 256;

/** This program's deployment, as Pulumi runs it. */
export function currentDeployment(): Deployment {
  return { project: pulumi.getProject(), stack: pulumi.getStack() };
}

/** The stack's task event bus: bus names are unique per account and region. */
export function eventBusNameFor(deployment: Deployment): string {
  return deploymentSlug(deployment, EVENT_BUS_NAME_MAX);
}
