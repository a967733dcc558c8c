import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { STREAM_LIST_ACTIONS } from "@task-api/contract";
import { describeStatement, documentsOf, IAM_DOCUMENT_TYPES, type LocatedDocument } from "./iamDocuments";
import { TYPES } from "./resourceTypes";

/**
 * Actions that cannot be scoped to a resource, so `Resource: "*"` is the only way to grant them
 * (wildcard-only in AWS's service authorization reference; a test holds each to it).
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  ...STREAM_LIST_ACTIONS,
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
];

/** Runs `check` over every IAM document a resource carries; resources that carry none are not applicable. */
function forEachDocument(
  check: (document: LocatedDocument, args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
) {
  return (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
    if (!IAM_DOCUMENT_TYPES.includes(args.type)) return;
    for (const document of documentsOf(args.type, args.props)) check(document, args, reportViolation);
  };
}

/** IAM documents must name their actions: no `*`, `service:*` or other wildcard. */
export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description: "IAM policies must not allow wildcard actions (*, service:* or partial wildcards).",
  enforcementLevel: "mandatory",
  validateResource: forEachDocument((document, args, reportViolation) => {
    document.statements.forEach((statement, i) => {
      if (statement.effect !== "Allow") return;
      for (const action of statement.actions.filter((a) => a.includes("*"))) {
        reportViolation(
          `${args.name} ${document.path} ${describeStatement(statement, i)} allows the wildcard action "${action}".`,
        );
      }
    });
  }),
};

/** IAM documents must name their resources, except for actions that cannot be scoped. */
export const iamNoWildcardResources: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resources",
  description:
    'IAM policies must not allow actions on Resource "*" except actions that cannot be scoped (X-Ray, dynamodb:ListStreams).',
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { unscopableActions: { type: "array", items: { type: "string" }, default: UNSCOPABLE_ACTIONS } },
  },
  validateResource: forEachDocument((document, args, reportViolation) => {
    const { unscopableActions = UNSCOPABLE_ACTIONS } = args.getConfig<{ unscopableActions?: readonly string[] }>();
    document.statements.forEach((statement, i) => {
      if (statement.effect !== "Allow" || !statement.resources.includes("*")) return;
      const scopable = statement.actions.filter((action) => !unscopableActions.includes(action));
      if (scopable.length > 0 || statement.notActions.length > 0) {
        reportViolation(
          `${args.name} ${document.path} ${describeStatement(statement, i)} allows ${scopable.join(", ") || "NotAction"} on Resource "*".`,
        );
      }
    });
  }),
};

/** An Allow with NotAction or NotResource grants everything it does not list. */
export const iamNoAllowNotAction: ResourceValidationPolicy = {
  name: "iam-no-allow-with-not-action",
  description: "IAM policies must not use NotAction or NotResource in Allow statements.",
  enforcementLevel: "mandatory",
  validateResource: forEachDocument((document, args, reportViolation) => {
    document.statements.forEach((statement, i) => {
      if (statement.effect !== "Allow") return;
      if (statement.notActions.length > 0) {
        reportViolation(`${args.name} ${document.path} ${describeStatement(statement, i)} is an Allow with NotAction.`);
      }
      if (statement.notResources.length > 0) {
        reportViolation(
          `${args.name} ${document.path} ${describeStatement(statement, i)} is an Allow with NotResource.`,
        );
      }
    });
  }),
};

/** AWS-managed policies that grant far more than any one function needs. */
export const BROAD_MANAGED_POLICIES = [
  "AdministratorAccess",
  "PowerUserAccess",
  "IAMFullAccess",
  "service-role/AWSLambdaBasicExecutionRole",
  "AWSLambdaExecute",
  "AWSLambda_FullAccess",
];

/** True for an AWS-managed policy ARN that grants broad access (the list above, or any *FullAccess). */
export function isBroadManagedPolicy(arn: string, denied: readonly string[] = BROAD_MANAGED_POLICIES): boolean {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn);
  const name = match?.[1];
  if (name === undefined) return false;
  return denied.includes(name) || /FullAccess$/.test(name);
}

/** Roles and attachments must not use AWS-managed policies that grant broad access. */
export const iamNoBroadManagedPolicies: ResourceValidationPolicy = {
  name: "iam-no-broad-managed-policies",
  description:
    "IAM roles, users and groups must not attach AWS-managed policies that grant broad access (AdministratorAccess, *FullAccess, AWSLambdaBasicExecutionRole).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { deniedPolicies: { type: "array", items: { type: "string" }, default: BROAD_MANAGED_POLICIES } },
  },
  validateResource: (args, reportViolation) => {
    const { deniedPolicies = BROAD_MANAGED_POLICIES } = args.getConfig<{ deniedPolicies?: string[] }>();
    const arns: string[] = [];
    switch (args.type) {
      case TYPES.role:
        arns.push(...((args.props.managedPolicyArns as string[] | undefined) ?? []));
        break;
      case TYPES.rolePolicyAttachment:
      case TYPES.groupPolicyAttachment:
      case TYPES.userPolicyAttachment:
      case TYPES.policyAttachment:
        arns.push(String(args.props.policyArn));
        break;
      case TYPES.rolePolicyAttachmentsExclusive:
      case TYPES.groupPolicyAttachmentsExclusive:
      case TYPES.userPolicyAttachmentsExclusive:
        arns.push(...((args.props.policyArns as string[] | undefined) ?? []));
        break;
      default:
        return;
    }
    for (const arn of arns.filter((a) => isBroadManagedPolicy(a, deniedPolicies))) {
      reportViolation(`${args.name} attaches ${arn}, which grants far more than least privilege allows.`);
    }
  },
};

export const iamPolicies = [
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamNoAllowNotAction,
  iamNoBroadManagedPolicies,
];
