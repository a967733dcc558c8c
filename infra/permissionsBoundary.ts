import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { sweeperPolicyStatements } from "./deadlineSweeper";
import { functionPolicyStatements, type PolicyStatement } from "./functionRole";
import type { TargetBucket } from "./stackConfig";
import { pipePolicyStatements } from "./taskEvents";
import { TASK_TABLE_LOGICAL_NAME } from "./taskTable";
import { senderPolicyStatements } from "./webhookSender";

/**
 * The permissions boundary every role the program creates carries: a customer-managed policy the
 * platform team creates once per account and project, from `.github/aws/permissions-boundary.json`,
 * before the first `up`, and that no deploy role may change. A role's permissions are the
 * intersection of its own policy and its boundary, so a deploy role that may create roles only
 * with this boundary cannot make a role stronger than the stack's roles need (the same answer as
 * CDK's bootstrap; https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 * IAM policy names take up to 128 characters of \w+=,.@-; a Pulumi project name (up to 100 of
 * A-Z a-z 0-9 _ . -) always fits.
 */
export function permissionsBoundaryNameFor(project: string): string {
  return `${project}-permissions-boundary`;
}

/** The boundary's ARN in this account, once IAM has answered that it exists (a missing one stops preview, naming it). */
export function permissionsBoundaryArn(project: string, parent: pulumi.Resource): pulumi.Output<string> {
  // Invoked through the component, so that a provider given to TaskApi (another account or region) answers.
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  return aws.iam.getPolicyOutput(
    { arn: account.apply((id) => `arn:aws:iam::${id}:policy/${permissionsBoundaryNameFor(project)}`) },
    { parent },
  ).arn;
}

/** What one stack's roles may need beyond the project's names: its target buckets and KMS keys. */
export interface StackNeeds {
  targets: readonly TargetBucket[];
  targetKmsKeyArns: readonly string[];
  tableKmsKeyArn: string | undefined;
}

/**
 * The boundary: the union of the statements the API function, the sweeper, the pipes and the webhook sender are
 * given (the same builders the program grants from), over every task table, log group, bus and
 * queue of the project in the account, and every stack's targets and keys.
 */
export function permissionsBoundaryDocument(args: {
  account: string;
  project: string;
  stacks: readonly StackNeeds[];
}): { Version: "2012-10-17"; Statement: PolicyStatement[] } {
  const { account, project } = args;
  const tableArn = `arn:aws:dynamodb:*:${account}:table/${TASK_TABLE_LOGICAL_NAME}-*`;
  const logGroupArn = `arn:aws:logs:*:${account}:log-group:/aws/lambda/${project}-*`;
  const targets = args.stacks.flatMap((stack) => stack.targets);
  const targetKmsKeyArns = [...new Set(args.stacks.flatMap((stack) => stack.targetKmsKeyArns))];
  const tableKeys = [...new Set(args.stacks.flatMap((stack) => stack.tableKmsKeyArn ?? []))];
  const statements = [
    ...functionPolicyStatements({ tableArn, logGroupArn, targets, targetKmsKeyArns }),
    ...sweeperPolicyStatements({ tableArn, logGroupArn, tableKmsKeyArn: undefined }),
    ...pipePolicyStatements({
      streamArn: `${tableArn}/stream/*`,
      busArn: `arn:aws:events:*:${account}:event-bus/${project}-*`,
      queueArn: `arn:aws:sqs:*:${account}:task-events-dead-letters-*`,
    }),
    ...senderPolicyStatements({
      tableArn,
      logGroupArn,
      queueArn: `arn:aws:sqs:*:${account}:task-webhooks-*`,
      secretArn: `arn:aws:secretsmanager:*:${account}:secret:webhook-signing-secret-*`,
      targets,
      targetKmsKeyArns,
      tableKmsKeyArn: undefined,
    }),
    ...(tableKeys.length === 0
      ? []
      : [{ Sid: "UseTableKey", Effect: "Allow" as const, Action: ["kms:Decrypt"], Resource: tableKeys }]),
  ];
  // One statement per Sid, its actions and resources the union of every role's.
  const bySid = new Map<string, PolicyStatement>();
  for (const statement of statements) {
    const known = bySid.get(statement.Sid);
    bySid.set(
      statement.Sid,
      known === undefined
        ? { ...statement, Action: [...statement.Action], Resource: [...new Set(statement.Resource)] }
        : {
            ...known,
            Action: [...new Set([...known.Action, ...statement.Action])],
            Resource: [...new Set([...known.Resource, ...statement.Resource])],
          },
    );
  }
  return { Version: "2012-10-17", Statement: [...bySid.values()] };
}
