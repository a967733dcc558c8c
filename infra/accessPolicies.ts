import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CALLER_ROUTE_KEYS, PROCESSOR_ITEM_ACTIONS, routeResource } from "@task-api/contract";
import type { PolicyStatement } from "./functionRole";
import { SERVICE_NAME } from "./resourceNames";
import { StackConfigError } from "./stackConfig";

/** The routes callers may invoke, as execute-api resources under the API's execution ARN. */
export const CALLER_ROUTE_RESOURCES = CALLER_ROUTE_KEYS.map((routeKey) => `/$default/${routeResource(routeKey)}`);

/** Callers: execute-api:Invoke on the caller routes of this API's $default stage, nothing else. */
export function callerPolicyStatements(executionArn: string): PolicyStatement[] {
  return [
    {
      Sid: "InvokeTaskStatus",
      Effect: "Allow",
      Action: ["execute-api:Invoke"],
      Resource: CALLER_ROUTE_RESOURCES.map((route) => `${executionArn}${route}`),
    },
  ];
}

/** Processors: create and update task items on this stack's table, nothing else. */
export function processorPolicyStatements(tableArn: string): PolicyStatement[] {
  return [{ Sid: "WriteTasks", Effect: "Allow", Action: [...PROCESSOR_ITEM_ACTIONS], Resource: [tableArn] }];
}

export interface AccessPolicies {
  callerPolicy: aws.iam.Policy;
  processorPolicy: aws.iam.Policy;
  attachments: aws.iam.RolePolicyAttachment[];
}

/**
 * The role's name once IAM has been asked that it exists (at preview as at up): a role the stack
 * names but the account lacks stops the program there, naming the config key and the role,
 * instead of failing `up` half way with other resources already created. GetRole on the one role
 * (not ListRoles, which can only be granted account-wide); its failure is reported with IAM's own
 * words, since the same call also fails when the deploying principal may not read the role.
 */
function existingRole(key: string, role: string, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi.output(
    aws.iam.getRole({ name: role }, { parent }).then(
      (found) => found.name,
      (error: unknown) => {
        throw new StackConfigError(
          key,
          `names the IAM role ${role}, which this account does not have (or the deploying principal may not read with iam:GetRole): create it first, or take it out of ${key}. IAM said: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    ),
  );
}

/**
 * Customer-managed policies for the service's two kinds of users, attached to the roles the
 * stack names, so nobody writes IAM JSON by hand to call the API or write its records.
 */
export function createAccessPolicies(args: {
  api: aws.apigatewayv2.Api;
  table: aws.dynamodb.Table;
  callerRoles: readonly string[];
  processorRoles: readonly string[];
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): AccessPolicies {
  const { parent } = args;
  const callerPolicy = new aws.iam.Policy(
    `${SERVICE_NAME}-callers`,
    {
      description: `${SERVICE_NAME}: call GET /task/{task_id} and POST /tasks/batch-get (SigV4, execute-api:Invoke on those routes only)`,
      policy: args.api.executionArn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: callerPolicyStatements(arn) }),
      ),
    },
    {
      parent,
      // The description forces a new policy (the provider's aws_iam_policy: "description -
      // (Optional, Forces new resource)"), and IAM deletes a managed policy only once it is
      // detached from every role (DeletePolicy): a policy someone attached outside the stack
      // (docs/deploy.md warns against it) would turn the replacement into a failed up. Stacks made
      // before the description named both routes keep theirs.
      ignoreChanges: ["description"],
    },
  );
  const processorPolicy = new aws.iam.Policy(
    `${SERVICE_NAME}-processors`,
    {
      description: `${SERVICE_NAME}: create and update task records (PutItem, UpdateItem on the task table only)`,
      policy: args.table.arn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: processorPolicyStatements(arn) }),
      ),
    },
    { parent },
  );
  const attach = (kind: string, key: string, policy: aws.iam.Policy, role: string) =>
    new aws.iam.RolePolicyAttachment(
      `${kind}-${role}`,
      { role: existingRole(key, role, parent), policyArn: policy.arn },
      { parent },
    );
  const attachments = [
    ...args.callerRoles.map((role) => attach("caller", "callerRoles", callerPolicy, role)),
    ...args.processorRoles.map((role) => attach("processor", "processorRoles", processorPolicy, role)),
  ];
  return { callerPolicy, processorPolicy, attachments };
}
