import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import {
  API_FUNCTION_TABLE_ACTIONS,
  isBucketName,
  isKmsKeyArn,
  SENDER_QUEUE_ACTIONS,
  SENDER_SECRET_ACTIONS,
  SENDER_TABLE_ACTIONS,
  SWEEPER_INDEX_ACTIONS,
  SWEEPER_TABLE_ACTIONS,
} from "@task-api/contract";
import { TYPES } from "./resourceTypes";
import { grantsOf, managedPolicyArnsOf, roleWithArn } from "./roleGrants";

// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
const INDEX_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//;
/** What a function with active tracing needs to send traces; they cannot be scoped to a resource. */
const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/**
 * The function's role, taken as a whole (inline policies on the role, RolePolicy resources,
 * attached customer-managed policies), may only: GetItem and BatchGetItem on this stack's tables, GetObject on
 * S3 object ARNs, kms:Decrypt with named keys (SSE-KMS targets and tables), write to its own log
 * group, and send X-Ray traces when tracing is on. A function run on a schedule (the deadline
 * sweeper: it serves no caller) may instead Query this stack's tables' named indexes and
 * UpdateItem their items; no function may do both, nor Scan, PutItem or DeleteItem. A function fed
 * by an SQS queue of this stack (the webhook sender) may GetItem only, take messages from and set
 * their visibility on the queues that feed it, and read this stack's Secrets Manager secrets.
 */
export const iamFunctionLeastPrivilege: StackValidationPolicy = {
  name: "iam-function-least-privilege",
  description:
    "A Lambda function's role may only read this stack's table items (GetItem, BatchGetItem), read S3 objects (and decrypt them with named KMS keys), write its own logs, and trace to X-Ray when tracing is on; a scheduled function may instead query the table's indexes and update its items; a queue-fed function may GetItem, use the queues that feed it and read this stack's secrets.",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, reportViolation) => {
    const functions = args.resources.filter((r) => r.type === TYPES.function);
    if (functions.length === 0) args.notApplicable("the stack has no Lambda function");
    const tableArns = args.resources.filter((r) => r.type === TYPES.table).map((r) => String(r.props.arn));
    const secretArns = args.resources.filter((r) => r.type === TYPES.secret).map((r) => String(r.props.arn));

    for (const fn of functions) {
      const role = roleOf(fn, args.resources);
      if (role === undefined) {
        reportViolation(
          `Lambda function ${fn.name} uses a role (${String(fn.props.role)}) this stack does not define, so its permissions cannot be checked.`,
          fn.urn,
        );
        continue;
      }
      const logGroupArns = ownLogGroupArns(fn, args.resources);
      const tracing = (fn.props.tracingConfig as { mode?: string } | undefined)?.mode === "Active";
      const scheduled = isScheduled(fn, args.resources);
      const feedingQueueArns = queuesFeeding(fn, args.resources);
      for (const arn of managedPolicyArnsOf(role, args.resources)) {
        if (AWS_MANAGED_POLICY.test(arn)) {
          reportViolation(
            `Role ${role.name} of function ${fn.name} attaches the AWS-managed policy ${arn}; grant only what the function needs, inline.`,
            role.urn,
          );
        }
      }
      for (const grant of grantsOf(role, args.resources)) {
        const verdict = judge(grant, { tableArns, logGroupArns, tracing, scheduled, feedingQueueArns, secretArns });
        if (verdict !== undefined) {
          reportViolation(
            `Role ${role.name} of function ${fn.name} allows ${grant.action} on ${grant.resource} (${grant.source}): ${verdict}`,
            role.urn,
          );
        }
      }
    }
  },
};

const includes = (actions: readonly string[], action: string) => actions.includes(action);

/**
 * Undefined when the grant is one the function needs; otherwise why it is not. The table actions
 * are the contract's, the ones the program grants from (contract/accessRules.ts).
 */
function judge(
  grant: { action: string; resource: string },
  allowed: {
    tableArns: string[];
    logGroupArns: string[];
    tracing: boolean;
    scheduled: boolean;
    feedingQueueArns: string[];
    secretArns: string[];
  },
): string | undefined {
  const { action, resource } = grant;
  const queueFed = allowed.feedingQueueArns.length > 0;
  if (includes(SENDER_QUEUE_ACTIONS, action)) {
    return allowed.feedingQueueArns.includes(resource)
      ? undefined
      : "only a queue-fed function may use a queue, and only the queue that feeds it.";
  }
  if (includes(SENDER_SECRET_ACTIONS, action)) {
    if (!queueFed) return "only the webhook sender (a queue-fed function) reads a secret.";
    return allowed.secretArns.includes(resource) ? undefined : "only this stack's own secrets may be read.";
  }
  if (queueFed && includes(API_FUNCTION_TABLE_ACTIONS, action)) {
    if (!includes(SENDER_TABLE_ACTIONS, action)) return "a queue-fed function reads one task at a time (GetItem).";
    return allowed.tableArns.includes(resource) ? undefined : "only this stack's task table may be read.";
  }
  if (includes(API_FUNCTION_TABLE_ACTIONS, action)) {
    if (allowed.scheduled) return "a scheduled function does not read items; it queries the deadline indexes.";
    return allowed.tableArns.includes(resource) ? undefined : "only this stack's task table may be read.";
  }
  if (includes(SWEEPER_INDEX_ACTIONS, action)) {
    if (!allowed.scheduled) return "only a scheduled function (the sweeper) may query the table.";
    return allowed.tableArns.some((arn) => INDEX_NAME.test(resource.replace(`${arn}/index/`, "")))
      ? undefined
      : "Query must name an index of this stack's task table (<table ARN>/index/<name>).";
  }
  if (includes(SWEEPER_TABLE_ACTIONS, action)) {
    if (!allowed.scheduled) return "the API's function only reads; processors write tasks.";
    return allowed.tableArns.includes(resource) ? undefined : "only this stack's task table may be updated.";
  }
  switch (action) {
    case "s3:GetObject":
      return isBucketName(/^arn:aws[a-z-]*:s3:::([^/]*)\/.*$/.exec(grant.resource)?.[1] ?? "")
        ? undefined
        : "GetObject must be on object ARNs (arn:aws:s3:::bucket/prefix*).";
    case "kms:Decrypt":
      return isKmsKeyArn(grant.resource)
        ? undefined
        : "kms:Decrypt must name the target buckets' keys (arn:aws:kms:<region>:<account>:key/<id>).";
    case "logs:CreateLogStream":
    case "logs:PutLogEvents":
      return allowed.logGroupArns.some((arn) => grant.resource === arn || grant.resource === `${arn}:*`)
        ? undefined
        : "the function may only write to its own log group.";
    default:
      if (XRAY_WRITE_ACTIONS.includes(grant.action) && grant.resource === "*") {
        return allowed.tracing ? undefined : "X-Ray is only allowed when the function has active tracing.";
      }
      return "the function does not need it.";
  }
}

/** Whether a function is the target of a scheduled EventBridge rule (a job, not an API's handler). */
function isScheduled(fn: PolicyResource, resources: PolicyResource[]): boolean {
  const schedules = resources.filter(
    (r) => r.type === TYPES.eventRule && typeof r.props.scheduleExpression === "string",
  );
  return resources.some(
    (target) =>
      target.type === TYPES.eventTarget &&
      (target.props.arn === fn.props.arn || target.propertyDependencies.arn?.includes(fn) === true) &&
      schedules.some((rule) => rule.props.name === target.props.rule),
  );
}

/** The ARNs of the SQS queues an event source mapping of this stack feeds the function from. */
function queuesFeeding(fn: PolicyResource, resources: PolicyResource[]): string[] {
  const queueArns = new Set(resources.filter((r) => r.type === TYPES.queue).map((r) => String(r.props.arn)));
  return resources
    .filter(
      (mapping) =>
        mapping.type === TYPES.eventSourceMapping &&
        (mapping.props.functionName === fn.props.arn ||
          mapping.props.functionName === fn.props.name ||
          mapping.propertyDependencies.functionName?.includes(fn) === true) &&
        queueArns.has(String(mapping.props.eventSourceArn)),
    )
    .map((mapping) => String(mapping.props.eventSourceArn));
}

/** The role resource a function runs as: matched by ARN, or through the engine's property dependencies. */
function roleOf(fn: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  const byDependency = fn.propertyDependencies.role?.find((r) => r.type === TYPES.role);
  if (byDependency !== undefined) return byDependency;
  return roleWithArn(fn.props.role, resources);
}

/** ARNs of the log groups a function writes to: its loggingConfig group, or /aws/lambda/<name>. */
function ownLogGroupArns(fn: PolicyResource, resources: PolicyResource[]): string[] {
  const configured = (fn.props.loggingConfig as { logGroup?: string } | undefined)?.logGroup;
  const groupName = configured ?? `/aws/lambda/${String(fn.props.name)}`;
  return resources
    .filter((r) => r.type === TYPES.logGroup && r.props.name === groupName)
    .map((r) => String(r.props.arn));
}
