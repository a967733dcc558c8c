import * as aws from "@pulumi/aws";
import type { ProgramMutation } from "../../policy-check/policyCheck";
import type { InputTransform } from "../../policy-check/programUnderMocks";

type Statement = { Sid?: string; Action?: unknown; NotAction?: unknown; Resource?: unknown; Condition?: unknown };

/** Rewrites one statement of the function role's inline policy (or of the named managed policy). */
export function rewriteStatement(
  sid: string,
  rewrite: (statement: Statement) => Statement,
  target: { type: string; name?: string } = { type: "aws:iam/rolePolicy:RolePolicy" },
): InputTransform {
  return ({ type, name, inputs }) => {
    if (type !== target.type || (target.name !== undefined && name !== target.name)) return undefined;
    const document = JSON.parse(String(inputs.policy)) as { Statement: Statement[] };
    document.Statement = document.Statement.map((s) => (s.Sid === sid ? rewrite(s) : s));
    return { ...inputs, policy: JSON.stringify(document) };
  };
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function setInput(resourceType: string, field: string, value: unknown, resourceName?: string): InputTransform {
  return ({ type, name, inputs }) =>
    type === resourceType && (resourceName === undefined || name === resourceName)
      ? { ...inputs, [field]: value }
      : undefined;
}

/**
 * Ways to break the real program, for proving that the pack catches each one (tests only): an
 * input rewrite applied as the resource is registered, or resources added beside the program's own.
 */
export const PROGRAM_MUTATIONS: Record<string, ProgramMutation> = {
  "timeout-30": {
    description: "the function's timeout raised to 30 s",
    transform: setInput("aws:lambda/function:Function", "timeout", 30, "task-status"),
  },
  "memory-1024": {
    description: "the function's memory raised to 1024 MB",
    transform: setInput("aws:lambda/function:Function", "memorySize", 1024, "task-status"),
  },
  "dynamodb-star": {
    description: 'the role allowed "dynamodb:*" on the table',
    transform: rewriteStatement("ReadTasks", (s) => ({ ...s, Action: ["dynamodb:*"] })),
  },
  "resource-star": {
    description: 'the role allowed GetItem on Resource "*"',
    transform: rewriteStatement("ReadTasks", (s) => ({ ...s, Resource: "*" })),
  },
  "s3-put-object": {
    description: "the role allowed s3:PutObject on the target objects",
    transform: rewriteStatement("ReadTargetObjects", (s) => ({ ...s, Action: ["s3:GetObject", "s3:PutObject"] })),
  },
  "not-action": {
    description: "the table statement turned into an Allow with NotAction",
    transform: rewriteStatement("ReadTasks", ({ Action: _action, ...s }) => ({
      ...s,
      NotAction: "dynamodb:DeleteTable",
    })),
  },
  "admin-attachment": {
    description: "AdministratorAccess attached to the function's role",
    extend: (stack) => {
      new aws.iam.RolePolicyAttachment("function-admin", {
        role: stack.role.name,
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      });
    },
  },
  "caller-any-method": {
    description: "the caller policy allowed every method on the task routes",
    transform: rewriteStatement(
      "InvokeTaskStatus",
      (s) => ({ ...s, Resource: [String(listOf(s.Resource)[0]).replace("/$default/GET/", "/*/*/")] }),
      { type: "aws:iam/policy:Policy", name: "task-api-callers" },
    ),
  },
  "caller-any-api": {
    description: "the caller policy allowed invoking any API in the account",
    transform: rewriteStatement("InvokeTaskStatus", (s) => ({ ...s, Resource: ["arn:aws:execute-api:*:*:*"] }), {
      type: "aws:iam/policy:Policy",
      name: "task-api-callers",
    }),
  },
  "processor-delete-item": {
    description: "the processor policy allowed dynamodb:DeleteItem as well",
    transform: rewriteStatement("WriteTasks", (s) => ({ ...s, Action: [...listOf(s.Action), "dynamodb:DeleteItem"] }), {
      type: "aws:iam/policy:Policy",
      name: "task-api-processors",
    }),
  },
  "processor-any-table": {
    description: "the processor policy allowed item writes on every table of the account",
    transform: rewriteStatement("WriteTasks", (s) => ({ ...s, Resource: ["arn:aws:dynamodb:*:*:table/*"] }), {
      type: "aws:iam/policy:Policy",
      name: "task-api-processors",
    }),
  },
  "pipe-reads-table": {
    description: "the pipe role allowed dynamodb:GetItem on the table itself",
    transform: rewriteStatement(
      "ReadTaskStream",
      (s) => ({ ...s, Action: [...listOf(s.Action), "dynamodb:GetItem"] }),
      {
        type: "aws:iam/rolePolicy:RolePolicy",
        name: "task-events-pipe",
      },
    ),
  },
  "pipe-any-bus": {
    description: "the pipe role allowed events:PutEvents on every bus",
    transform: rewriteStatement("PutTaskEvents", (s) => ({ ...s, Resource: ["arn:aws:events:*:*:event-bus/*"] }), {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "task-events-pipe",
    }),
  },
  "pipe-sqs-star": {
    description: 'the pipe role allowed "sqs:*" on its dead-letter queue',
    transform: rewriteStatement("DeadLetterTaskEvents", (s) => ({ ...s, Action: ["sqs:*"] }), {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "task-events-pipe",
    }),
  },
  "api-updates-items": {
    description: "the API function's role allowed dynamodb:UpdateItem on the table",
    transform: rewriteStatement("ReadTasks", (s) => ({ ...s, Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"] }), {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "task-status-function",
    }),
  },
  "sweeper-scans": {
    description: "the sweeper's role allowed dynamodb:Scan on the table",
    transform: rewriteStatement(
      "FailTasksPastDeadline",
      (s) => ({ ...s, Action: [...listOf(s.Action), "dynamodb:Scan"] }),
      { type: "aws:iam/rolePolicy:RolePolicy", name: "deadline-sweeper" },
    ),
  },
  "sweeper-any-index": {
    description: "the sweeper's role allowed Query on every index of every table",
    transform: rewriteStatement(
      "FindTasksPastDeadline",
      (s) => ({ ...s, Resource: ["arn:aws:dynamodb:*:*:table/*/index/*"] }),
      { type: "aws:iam/rolePolicy:RolePolicy", name: "deadline-sweeper" },
    ),
  },
  "sweeper-any-rule": {
    description: "the sweeper invocable by any EventBridge rule",
    transform: setInput("aws:lambda/permission:Permission", "sourceArn", undefined, "deadline-sweep"),
  },
  "route-auth-none": {
    description: "the route's authorization set to NONE",
    transform: setInput("aws:apigatewayv2/route:Route", "authorizationType", "NONE"),
  },
};
