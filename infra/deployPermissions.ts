/**
 * What a CI role needs to deploy this program, derived from what the program registers: one row
 * per resource type (and provider call), with the IAM actions the AWS provider calls to create,
 * read, update and delete it, scoped to this service's names wherever the action takes a
 * resource. `npm run deploy-permissions` writes `.github/aws/deploy-permissions.json` (all
 * actions) and `.github/aws/preview-permissions.json` (the reads a `pulumi preview --refresh`
 * makes) from it; tests fail when a file and this table differ, or when the program registers a
 * type the table lacks. The Pulumi AWS provider is the Terraform AWS provider underneath, so each
 * row cites the terraform-provider-aws source (internal/service/...) whose calls it lists.
 *
 * Placeholders: <account> (the AWS account ID), <project> (the Pulumi project name, which starts
 * every name the program gives). Auto-named resources start with their logical name.
 */

export interface DeployPermission {
  /** The Pulumi type token (or `invoke:<token>` for a provider call the program makes). */
  type: string;
  /** Calls that only read (a preview's refresh makes these). */
  read: string[];
  /** Calls that create, change or delete. */
  write: string[];
  /** The resources those actions may touch; "*" where the action takes none. */
  resources: string[];
  /** Extra condition (iam:PassRole's service, a KMS key's use through DynamoDB). */
  condition?: Record<string, Record<string, string>>;
  /** Where the actions come from. */
  source: string;
}

const TF = "terraform-provider-aws internal/service/";
const ACCOUNT = "<account>";
const LOG_GROUPS = [
  `arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/<project>-*`,
  `arn:aws:logs:*:${ACCOUNT}:log-group:/aws/vendedlogs/apigateway/<project>-*`,
];
const ROLES = ["task-status-function", "deadline-sweeper", "task-events-pipe"].map(
  (name) => `arn:aws:iam::${ACCOUNT}:role/${name}-*`,
);

/** Every type the program registers, and the one provider call that needs a permission. */
export const DEPLOY_PERMISSIONS: readonly DeployPermission[] = [
  {
    type: "aws:dynamodb/table:Table",
    read: [
      "dynamodb:DescribeTable",
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
      "dynamodb:DescribeKinesisStreamingDestination",
    ],
    write: [
      "dynamodb:CreateTable",
      "dynamodb:UpdateTable",
      "dynamodb:DeleteTable",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTimeToLive",
      "dynamodb:TagResource",
      "dynamodb:UntagResource",
    ],
    resources: [`arn:aws:dynamodb:*:${ACCOUNT}:table/tasks-*`],
    source: `${TF}dynamodb/table.go (create, read: continuous backups, TTL, tags, Kinesis destination; GSIs and the stream through UpdateTable)`,
  },
  {
    type: "aws:dynamodb/table:Table (tableKmsKeyArn)",
    read: ["kms:DescribeKey"],
    write: ["kms:CreateGrant"],
    resources: [`arn:aws:kms:*:${ACCOUNT}:key/*`],
    condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
    source:
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html (the caller's kms:CreateGrant and DescribeKey for a customer-managed table key)",
  },
  {
    type: "aws:iam/role:Role",
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    write: [
      "iam:CreateRole",
      "iam:UpdateRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:ListInstanceProfilesForRole",
      "iam:TagRole",
      "iam:UntagRole",
    ],
    resources: ROLES,
    source: `${TF}iam/role.go (UpdateRole for the description; delete lists and removes inline policies and instance profiles)`,
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    read: ["iam:GetRolePolicy"],
    write: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
    resources: ROLES,
    source: `${TF}iam/role_policy.go`,
  },
  {
    type: "aws:iam/policy:Policy",
    read: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
    write: [
      "iam:CreatePolicy",
      "iam:CreatePolicyVersion",
      "iam:SetDefaultPolicyVersion",
      "iam:DeletePolicyVersion",
      "iam:DeletePolicy",
      "iam:TagPolicy",
      "iam:UntagPolicy",
    ],
    resources: [`arn:aws:iam::${ACCOUNT}:policy/task-api-*`],
    source: `${TF}iam/policy.go (an update is CreatePolicyVersion + SetDefaultPolicyVersion, and DeletePolicyVersion once five exist)`,
  },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    read: [],
    write: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
    // The roles config names are the users' own: any role, but only this service's policies (below).
    resources: [`arn:aws:iam::${ACCOUNT}:role/*`],
    condition: { ArnLike: { "iam:PolicyARN": `arn:aws:iam::${ACCOUNT}:policy/task-api-*` } },
    source: `${TF}iam/role_policy_attachment.go`,
  },
  {
    // iam:PolicyARN is a key of AttachRolePolicy and DetachRolePolicy only (AWS's service
    // authorization reference): behind that condition this read would always be denied.
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment (confirm)",
    read: ["iam:ListAttachedRolePolicies"],
    write: [],
    resources: [`arn:aws:iam::${ACCOUNT}:role/*`],
    source: `${TF}iam/role_policy_attachment.go (confirms each attachment with ListAttachedRolePolicies on the target role)`,
  },
  {
    type: "invoke:aws:iam/getRoles:getRoles",
    read: ["iam:ListRoles"],
    write: [],
    resources: ["*"],
    source: `${TF}iam/roles_data_source.go (the program checks callerRoles/processorRoles exist)`,
  },
  {
    type: "aws:lambda/function:Function",
    read: [
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionConcurrency",
      "lambda:GetFunctionRecursionConfig",
      "lambda:GetRuntimeManagementConfig",
      "lambda:ListVersionsByFunction",
    ],
    write: [
      "lambda:CreateFunction",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:PutFunctionConcurrency",
      "lambda:DeleteFunctionConcurrency",
      "lambda:DeleteFunction",
      "lambda:TagResource",
      "lambda:UntagResource",
    ],
    resources: [`arn:aws:lambda:*:${ACCOUNT}:function:<project>-*`],
    source: `${TF}lambda/function.go`,
  },
  {
    type: "aws:lambda/function:Function (its role)",
    read: [],
    write: ["iam:PassRole"],
    resources: ROLES.filter((arn) => !arn.includes("pipe")),
    condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    source:
      "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html (passing the execution role)",
  },
  {
    type: "aws:lambda/permission:Permission",
    read: ["lambda:GetPolicy"],
    write: ["lambda:AddPermission", "lambda:RemovePermission"],
    resources: [`arn:aws:lambda:*:${ACCOUNT}:function:<project>-*`],
    source: `${TF}lambda/permission.go`,
  },
  {
    // Wildcard-only in AWS's service authorization reference (terraform-provider-aws#8804): on a
    // named group it is denied, and the provider reads every group back with it after creating it.
    type: "aws:cloudwatch/logGroup:LogGroup (describe)",
    read: ["logs:DescribeLogGroups"],
    write: [],
    resources: ["*"],
    source: `${TF}logs/group.go (resourceGroupCreate -> resourceGroupRead -> findLogGroupByName: DescribeLogGroups)`,
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    read: ["logs:ListTagsForResource"],
    write: [
      "logs:CreateLogGroup",
      "logs:PutRetentionPolicy",
      "logs:DeleteRetentionPolicy",
      "logs:DeleteLogGroup",
      "logs:TagResource",
      "logs:UntagResource",
    ],
    resources: LOG_GROUPS,
    source: `${TF}logs/group.go`,
  },
  {
    type: "aws:apigatewayv2/api:Api",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:PUT", "apigateway:DELETE"],
    resources: ["arn:aws:apigateway:*::/apis", "arn:aws:apigateway:*::/apis/*", "arn:aws:apigateway:*::/tags/*"],
    source: `${TF}apigatewayv2/api.go (API Gateway authorizes by HTTP verb on its resource paths)`,
  },
  {
    type: "aws:apigatewayv2/integration:Integration",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: ["arn:aws:apigateway:*::/apis/*"],
    source: `${TF}apigatewayv2/integration.go`,
  },
  {
    type: "aws:apigatewayv2/route:Route",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: ["arn:aws:apigateway:*::/apis/*"],
    source: `${TF}apigatewayv2/route.go`,
  },
  {
    type: "aws:apigatewayv2/stage:Stage",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: ["arn:aws:apigateway:*::/apis/*", "arn:aws:apigateway:*::/tags/*"],
    source: `${TF}apigatewayv2/stage.go`,
  },
  {
    type: "aws:apigatewayv2/stage:Stage (access logs)",
    read: ["logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:DescribeResourcePolicies"],
    write: ["logs:CreateLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy"],
    resources: ["*"],
    source:
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html (Insufficient permissions to enable logging without these; they take no resource)",
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    write: [
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:DeleteAlarms",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ],
    resources: [`arn:aws:cloudwatch:*:${ACCOUNT}:alarm:*`],
    source: `${TF}cloudwatch/metric_alarm.go`,
  },
  {
    type: "aws:cloudwatch/dashboard:Dashboard",
    read: ["cloudwatch:GetDashboard"],
    write: ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"],
    resources: [`arn:aws:cloudwatch::${ACCOUNT}:dashboard/<project>-*`],
    source: `${TF}cloudwatch/dashboard.go`,
  },
  {
    type: "aws:sns/topic:Topic",
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    write: ["sns:CreateTopic", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:TagResource", "sns:UntagResource"],
    resources: [`arn:aws:sns:*:${ACCOUNT}:task-api-alarms-*`],
    source: `${TF}sns/topic.go`,
  },
  {
    type: "aws:sns/topicSubscription:TopicSubscription",
    read: ["sns:GetSubscriptionAttributes"],
    write: ["sns:Subscribe", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
    resources: [`arn:aws:sns:*:${ACCOUNT}:task-api-alarms-*`],
    source: `${TF}sns/topic_subscription.go`,
  },
  {
    type: "aws:cloudwatch/eventBus:EventBus",
    read: ["events:DescribeEventBus", "events:ListTagsForResource"],
    write: [
      "events:CreateEventBus",
      "events:UpdateEventBus",
      "events:DeleteEventBus",
      "events:TagResource",
      "events:UntagResource",
    ],
    resources: [`arn:aws:events:*:${ACCOUNT}:event-bus/<project>-*`],
    source: `${TF}events/bus.go (UpdateEventBus for the description)`,
  },
  {
    type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    read: ["events:DescribeEventBus"],
    write: [],
    resources: [`arn:aws:events:*:${ACCOUNT}:event-bus/<project>-*`],
    source: `${TF}events/bus_policy.go`,
  },
  {
    // Wildcard-only in AWS's service authorization reference: a bus ARN here grants nothing.
    type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy (write)",
    read: [],
    write: ["events:PutPermission", "events:RemovePermission"],
    resources: ["*"],
    source: `${TF}events/bus_policy.go (PutPermission with the whole policy; RemovePermission on delete)`,
  },
  {
    type: "aws:cloudwatch/eventRule:EventRule",
    read: ["events:DescribeRule", "events:ListTagsForResource"],
    write: ["events:PutRule", "events:DeleteRule", "events:TagResource", "events:UntagResource"],
    resources: [`arn:aws:events:*:${ACCOUNT}:rule/deadline-sweep-*`],
    source: `${TF}events/rule.go`,
  },
  {
    type: "aws:cloudwatch/eventTarget:EventTarget",
    read: ["events:ListTargetsByRule"],
    write: ["events:PutTargets", "events:RemoveTargets"],
    resources: [`arn:aws:events:*:${ACCOUNT}:rule/deadline-sweep-*`],
    source: `${TF}events/target.go`,
  },
  {
    type: "aws:pipes/pipe:Pipe",
    read: ["pipes:DescribePipe", "pipes:ListTagsForResource"],
    write: [
      "pipes:CreatePipe",
      "pipes:UpdatePipe",
      "pipes:DeletePipe",
      "pipes:StartPipe",
      "pipes:StopPipe",
      "pipes:TagResource",
      "pipes:UntagResource",
    ],
    resources: [`arn:aws:pipes:*:${ACCOUNT}:pipe/task-*-events-*`],
    source: `${TF}pipes/pipe.go`,
  },
  {
    type: "aws:pipes/pipe:Pipe (its role)",
    read: [],
    write: ["iam:PassRole"],
    resources: ROLES.filter((arn) => arn.includes("pipe")),
    condition: { StringEquals: { "iam:PassedToService": "pipes.amazonaws.com" } },
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-permissions.html",
  },
  {
    type: "aws:sqs/queue:Queue",
    read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"],
    write: ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:TagQueue", "sqs:UntagQueue"],
    resources: [`arn:aws:sqs:*:${ACCOUNT}:task-events-dead-letters-*`],
    source: `${TF}sqs/queue.go`,
  },
  {
    type: "time:index/sleep:Sleep",
    read: [],
    write: [],
    resources: [],
    source: "@pulumiverse/time: a wait, no AWS call",
  },
];

/** An IAM policy statement as the generated files hold them. */
export interface GeneratedStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/**
 * The permission document for `kind`: rows with the same resources and condition share a
 * statement, actions sorted and unique, placeholders kept for the reader to fill in.
 */
export function permissionDocument(kind: "deploy" | "preview"): {
  Version: "2012-10-17";
  Statement: GeneratedStatement[];
} {
  const groups = new Map<string, GeneratedStatement>();
  for (const row of DEPLOY_PERMISSIONS) {
    const actions = kind === "deploy" ? [...row.read, ...row.write] : row.read;
    if (actions.length === 0 || row.resources.length === 0) continue;
    const key = JSON.stringify([row.resources, row.condition ?? null]);
    const existing = groups.get(key);
    if (existing !== undefined) {
      existing.Action = [...new Set([...existing.Action, ...actions])].sort();
      continue;
    }
    groups.set(key, {
      Sid: sidFor(row.type),
      Effect: "Allow",
      Action: [...new Set(actions)].sort(),
      Resource: row.resources.length === 1 ? (row.resources[0] as string) : [...row.resources],
      ...(row.condition === undefined ? {} : { Condition: row.condition }),
    });
  }
  return { Version: "2012-10-17", Statement: [...groups.values()] };
}

/** A statement ID from a row's type: `aws:dynamodb/table:Table (tableKmsKeyArn)` -> `DynamodbTableTableKmsKeyArn`. */
function sidFor(type: string): string {
  const [token = "", qualifier = ""] = type.replace(/^invoke:/, "Call ").split(" (");
  const module = token.split(":")[1]?.split("/")[0] ?? "";
  const name = token.split(":").at(-1) ?? "";
  const words = `${module} ${name} ${qualifier.replace(/\)$/, "")}`.split(/[^A-Za-z0-9]+/);
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

/** Where the generated documents live. */
export const PERMISSION_FILES = {
  deploy: ".github/aws/deploy-permissions.json",
  preview: ".github/aws/preview-permissions.json",
} as const;
