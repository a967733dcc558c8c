import { createHash } from "node:crypto";

/** What every resource name of the service starts with; also the `Service` tag. */
export const SERVICE_NAME = "task-api";

/**
 * The stack's name as it may appear inside AWS names that accept only A-Z a-z 0-9 _ - (Lambda
 * functions, CloudWatch dashboards). Pulumi accepts stack names of up to 100 characters that
 * may hold periods, so a name that had to be changed or shortened gets a short hash of the
 * original: two stacks never share a name.
 */
export function stackNameSlug(stack: string, maxLength: number): string {
  const cleaned = stack.replace(/[^A-Za-z0-9_-]/g, "-");
  if (cleaned === stack && stack.length <= maxLength) return stack;
  const hash = createHash("sha256").update(stack).digest("hex").slice(0, 6);
  return `${cleaned.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html: FunctionName, at most 64.
const FUNCTION_NAME_MAX = 64;

/**
 * A function's name, `task-api-<stack>-<job>` (status: the API; sweeper: the deadline sweeper).
 * Its log group is Lambda's default for that name (`/aws/lambda/<name>`), so an operator who
 * looks a function's logs up by its name (the console's "View logs", `aws logs tail`) finds them.
 */
export function functionNameFor(stack: string, job: "status" | "sweeper" = "status"): string {
  const fixed = `${SERVICE_NAME}--${job}`.length;
  return `${SERVICE_NAME}-${stackNameSlug(stack, FUNCTION_NAME_MAX - fixed)}-${job}`;
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
export function accessLogGroupPrefixFor(stack: string): string {
  return `/aws/vendedlogs/apigateway/${SERVICE_NAME}-${stackNameSlug(stack, 100)}-access-`;
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html: at most 255.
const DASHBOARD_NAME_MAX = 255;

/**
 * Dashboards are global to an account, so the name carries the region as well as the stack:
 * the same stack name deployed in two regions keeps two dashboards.
 */
export function dashboardNameFor(stack: string, region: string): string {
  const fixed = `${SERVICE_NAME}--${region}`.length;
  return `${SERVICE_NAME}-${stackNameSlug(stack, DASHBOARD_NAME_MAX - fixed)}-${region}`;
}
