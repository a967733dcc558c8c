import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { API_FUNCTION_TABLE_ACTIONS } from "@task-api/contract";
import { SERVICE_NAME } from "./resourceNames";
import type { TargetBucket } from "./stackConfig";

/** An IAM policy statement as the program writes them: explicit actions and resources only. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
}

/**
 * The functions' statements that no request of their code sends, by Sid, with who uses them: AWS,
 * acting with the role's permission (tests/helpers/recordedRequestsAllowed.ts requires every other
 * grant to be needed by a request the tests saw the code send).
 */
export const GRANTS_USED_BY_AWS: Readonly<Record<string, string>> = {
  UseTableKey: "DynamoDB calls kms:Decrypt with the caller's permission to read a table under a customer-managed key",
  DecryptTargetObjects:
    "S3 calls kms:Decrypt with the signer's permission when a presigned GET reads an SSE-KMS object",
  WriteOwnLogs: "Lambda's runtime writes the function's log streams with its execution role",
};

/**
 * kms:Decrypt on exactly the table's customer-managed key, for a role that reads the table or its
 * stream; none with DynamoDB's AWS-owned key. Without it, reads of a table (or stream) under a
 * customer-managed key fail: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 * and, for Pipes, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-troubleshooting.html
 */
export function tableKeyStatements(tableKmsKeyArn: string | undefined): PolicyStatement[] {
  return tableKmsKeyArn === undefined
    ? []
    : [{ Sid: "UseTableKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [tableKmsKeyArn] }];
}

/** Writing to a function's own log group, and nothing else of CloudWatch Logs. */
export function writeOwnLogsStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`${logGroupArn}:*`],
  };
}

/** The object ARNs the function may read: `arn:aws:s3:::<bucket>/<prefix>*` for each target. */
export function targetObjectArns(targets: readonly TargetBucket[]): string[] {
  return targets.map(({ bucket, prefix }) => `arn:aws:s3:::${bucket}/${prefix}*`);
}

/**
 * Reading the target objects a function signs URLs for (a presigned URL carries the signer's
 * permissions), and decrypting them where their bucket uses SSE-KMS.
 */
export function targetStatements(
  targets: readonly TargetBucket[],
  targetKmsKeyArns: readonly string[],
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (targets.length > 0) {
    statements.push({
      Sid: "ReadTargetObjects",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: targetObjectArns(targets),
    });
  }
  if (targetKmsKeyArns.length > 0) {
    // S3 decrypts an SSE-KMS object for a presigned GET with the signer's permission on its key.
    statements.push({
      Sid: "DecryptTargetObjects",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [...targetKmsKeyArns],
    });
  }
  return statements;
}

/**
 * The function's whole permission set: read table items (GetItem and BatchGetItem), read the target objects it signs
 * URLs for (a presigned URL carries the signer's permissions), decrypt them where their bucket
 * uses SSE-KMS, write its own logs.
 */
export function functionPolicyStatements(args: {
  tableArn: string;
  logGroupArn: string;
  targets: readonly TargetBucket[];
  targetKmsKeyArns: readonly string[];
  tableKmsKeyArn?: string | undefined;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: "ReadTasks", Effect: "Allow", Action: [...API_FUNCTION_TABLE_ACTIONS], Resource: [args.tableArn] },
    ...tableKeyStatements(args.tableKmsKeyArn),
  ];
  statements.push(...targetStatements(args.targets, args.targetKmsKeyArns));
  statements.push(writeOwnLogsStatement(args.logGroupArn));
  return statements;
}

/**
 * A role only Lambda may assume, with exactly one inline policy of these statements, no managed
 * ones, and the project's permissions boundary (infra/permissionsBoundary.ts).
 */
export function createLambdaRole(
  name: string,
  description: string,
  statements: pulumi.Output<PolicyStatement[]>,
  permissionsBoundary: pulumi.Input<string>,
  parent: pulumi.Resource,
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
  const role = new aws.iam.Role(
    name,
    {
      description,
      permissionsBoundary,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    name,
    {
      role: role.id,
      policy: statements.apply((Statement) => JSON.stringify({ Version: "2012-10-17", Statement })),
    },
    { parent },
  );
  return { role, policy };
}

/** The API function's role: GetItem and BatchGetItem on the table, the target objects, their keys, its own logs. */
export function createFunctionRole(args: {
  table: aws.dynamodb.Table;
  logGroup: aws.cloudwatch.LogGroup;
  targets: readonly TargetBucket[];
  targetKmsKeyArns: readonly string[];
  tableKmsKeyArn: string | undefined;
  permissionsBoundary: pulumi.Input<string>;
  /** The component that owns the resources (TaskApi). */
  parent: pulumi.Resource;
}): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
  return createLambdaRole(
    "task-status-function",
    `${SERVICE_NAME}: the GET /task/{task_id} function`,
    pulumi.all([args.table.arn, args.logGroup.arn]).apply(([tableArn, logGroupArn]) =>
      functionPolicyStatements({
        tableArn,
        logGroupArn,
        targets: args.targets,
        targetKmsKeyArns: args.targetKmsKeyArns,
        tableKmsKeyArn: args.tableKmsKeyArn,
      }),
    ),
    args.permissionsBoundary,
    args.parent,
  );
}
