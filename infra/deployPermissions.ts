/**
 * What a CI role needs to deploy this program, derived from what the program registers: one row
 * per resource type (and provider call), with the IAM actions the AWS provider calls to create,
 * read, update and delete it, scoped to one stack's own resources. `npm run deploy-permissions`
 * writes `.github/aws/deploy-permissions.<stack>.json` per committed stack, the preview role's
 * `.github/aws/preview-permissions.json` (the reads a `pulumi preview --refresh` makes) and the
 * roles' `.github/aws/permissions-boundary.json`; tests simulate every action of every row on
 * every resource the program registers against those files, and fail when a file and this table
 * differ. The Pulumi AWS provider is the Terraform AWS provider underneath, so each row cites the
 * terraform-provider-aws source (internal/service/...) whose calls it lists.
 *
 * Each stack to itself: names that carry the stack (functions, log groups, the bus, the
 * dashboard) are granted by name; resources Pulumi names `<logical name>-<suffix>` (the table,
 * roles, policies, alarms, queue, topic, pipes, rule, the API) are granted by that prefix, and a
 * Deny refuses every write on a resource whose `Stack` tag (which the program puts on everything
 * taggable) names another stack, and every create that tags another stack. Renaming those
 * resources to carry the stack would replace them, and replacing the table loses its tasks.
 */
import { TASK_TABLE } from "@task-api/contract";
import { permissionsBoundaryNameFor } from "./permissionsBoundary";
import {
  accessLogGroupPrefixFor,
  type Deployment,
  dashboardNameFor,
  eventBusNameFor,
  functionLogGroupNameFor,
  functionNameFor,
  SERVICE_NAME,
  TASK_API_TYPE,
} from "./resourceNames";
import { TASK_TABLE_LOGICAL_NAME } from "./taskTable";

/** The stack a document is for, and what of its config decides its resources. */
export interface DeployTarget extends Deployment {
  /** The AWS account ID, or the placeholder `<account>` of the committed files. */
  account: string;
  region: string;
  tableKmsKeyArn: string | undefined;
  callerRoles: readonly string[];
  processorRoles: readonly string[];
}

/** One row: what the provider calls for one resource type, on which of this stack's resources. */
export interface DeployPermission {
  /** The Pulumi type token (or `invoke:<token>` for a provider call the program makes); a qualifier in parentheses. */
  type: string;
  /** Calls that only read (a preview's refresh makes these). */
  read: string[];
  /** Calls that create, change or delete. */
  write: string[];
  /** The stack's resources those actions may touch; "*" where the action takes none (wildcard-only). */
  resources: (target: DeployTarget) => string[];
  /** A condition every call of the row carries (iam:PassedToService, iam:PermissionsBoundary, ...). */
  condition?: (target: DeployTarget) => Record<string, Record<string, string | string[]>>;
  /** Where the actions come from. */
  source: string;
}

const TF = "terraform-provider-aws internal/service/";

/** The deploy roles' and preview role's names (docs/deploy.md creates them): no deploy role may touch them. */
export function ciRoleNamesFor(project: string): string[] {
  return [`${project}-deploy-*`, `${project}-preview`];
}

const deployment = (t: DeployTarget): Deployment => ({ project: t.project, stack: t.stack });
const arn = (t: DeployTarget, service: string, resource: string) =>
  `arn:aws:${service}:${t.region}:${t.account}:${resource}`;
const iamArn = (t: DeployTarget, resource: string) => `arn:aws:iam::${t.account}:${resource}`;
/** The roles the program creates: `<logical name>-<suffix>`. */
const PROGRAM_ROLES = ["task-status-function", "deadline-sweeper", "task-events-pipe", "webhook-sender"];
/** The program's functions, by job (infra/resourceNames.ts). */
const JOBS = ["status", "sweeper", "webhooks"] as const;
const programRoles = (t: DeployTarget, names = PROGRAM_ROLES) => names.map((name) => iamArn(t, `role/${name}-*`));
const functions = (t: DeployTarget) =>
  JOBS.map((job) => arn(t, "lambda", `function:${functionNameFor(deployment(t), job)}`));
/** Lambda's condition key on event source mapping calls: the mapping's function, one of the stack's. */
const ofOwnFunctions = (t: DeployTarget) => ({ StringLike: { "lambda:FunctionArn": functions(t) } });
/** The stack's rules: the sweeper's schedule on the default bus, the webhooks' rule on the task bus. */
const rules = (t: DeployTarget) => [
  arn(t, "events", "rule/deadline-sweep-*"),
  arn(t, "events", `rule/${eventBusNameFor(deployment(t))}/task-webhooks-*`),
];
const logGroups = (t: DeployTarget) =>
  [
    ...JOBS.map((job) => functionLogGroupNameFor(functionNameFor(deployment(t), job))),
    `${accessLogGroupPrefixFor(deployment(t))}*`,
  ].flatMap((name) => [arn(t, "logs", `log-group:${name}`), arn(t, "logs", `log-group:${name}:*`)]);
/** The roles config names (callerRoles, processorRoles): the users' own, attached to, never created. */
const namedRoles = (t: DeployTarget) => [...new Set([...t.callerRoles, ...t.processorRoles])];
/** The customer-managed policies the program creates for them. */
const accessPolicies = (t: DeployTarget) =>
  ["callers", "processors"].map((kind) => iamArn(t, `policy/${SERVICE_NAME}-${kind}-*`));
export const boundaryArnFor = (t: DeployTarget) => iamArn(t, `policy/${permissionsBoundaryNameFor(t.project)}`);
const withBoundary = (t: DeployTarget) => ({ StringEquals: { "iam:PermissionsBoundary": boundaryArnFor(t) } });
/** Alarms the program creates, by logical name (infra/operations.ts, infra/taskEvents.ts). */
const ALARMS = [
  "task-status-errors",
  "task-status-throttles",
  "task-status-duration",
  "deadline-sweeper-errors",
  `${SERVICE_NAME}-5xx`,
  "task-events-dead-letters",
  "task-webhooks-dead-letters",
];

/** Every type the program registers, and the provider calls that need a permission. */
export const DEPLOY_PERMISSIONS: readonly DeployPermission[] = [
  {
    type: "aws:dynamodb/table:Table",
    read: [
      "dynamodb:DescribeTable",
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
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
    // The table itself, its deadline indexes (UpdateTable adds them) and its stream.
    resources: (t) => {
      const table = arn(t, "dynamodb", `table/${TASK_TABLE_LOGICAL_NAME}-*`);
      return [table, ...TASK_TABLE.indexes.map((index) => `${table}/index/${index.name}`)];
    },
    source: `${TF}dynamodb/table.go (create, read: continuous backups, TTL, tags; GSIs and the stream through UpdateTable). DescribeKinesisStreamingDestination belongs to aws_dynamodb_kinesis_streaming_destination (kinesis_streaming_destination.go), not the table`,
  },
  {
    type: "aws:dynamodb/table:Table (tableKmsKeyArn)",
    read: [],
    write: ["kms:CreateGrant", "kms:DescribeKey"],
    resources: (t) => (t.tableKmsKeyArn === undefined ? [] : [t.tableKmsKeyArn]),
    condition: (t) => ({ StringLike: { "kms:ViaService": `dynamodb.${t.region}.amazonaws.com` } }),
    source:
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html (DynamoDB calls CreateGrant and DescribeKey with the caller's permission, through the service, for a customer-managed table key; only the configured key)",
  },
  {
    type: "aws:iam/role:Role",
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    write: ["iam:DeleteRole", "iam:UpdateRole", "iam:ListInstanceProfilesForRole", "iam:TagRole", "iam:UntagRole"],
    resources: (t) => programRoles(t),
    source: `${TF}iam/role.go (UpdateRole for the session duration; delete lists and removes inline policies and instance profiles)`,
  },
  {
    // A role is created, and its policy, trust, description and boundary changed, only with the
    // project's boundary attached (iam:PermissionsBoundary is a key of each of these actions).
    type: "aws:iam/role:Role (bounded)",
    read: [],
    write: [
      "iam:CreateRole",
      "iam:PutRolePermissionsBoundary",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRoleDescription",
    ],
    resources: (t) => programRoles(t),
    condition: withBoundary,
    source: `${TF}iam/role.go (resourceRoleCreate with PermissionsBoundary; resourceRoleUpdate: UpdateRoleDescription, UpdateAssumeRolePolicy, PutRolePermissionsBoundary)`,
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy (read)",
    read: ["iam:GetRolePolicy"],
    write: [],
    resources: (t) => programRoles(t),
    source: `${TF}iam/role_policy.go`,
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    read: [],
    write: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
    resources: (t) => programRoles(t),
    condition: withBoundary,
    source: `${TF}iam/role_policy.go (a role's inline policy, only on a role carrying the boundary)`,
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
    resources: accessPolicies,
    source: `${TF}iam/policy.go (an update is CreatePolicyVersion + SetDefaultPolicyVersion, and DeletePolicyVersion once five exist)`,
  },
  {
    // The roles config names are the users' own: exactly those, and only this stack's policies.
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    read: [],
    write: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
    resources: (t) => namedRoles(t).map((role) => iamArn(t, `role/${role}`)),
    condition: (t) => ({ ArnLike: { "iam:PolicyARN": accessPolicies(t) } }),
    source: `${TF}iam/role_policy_attachment.go`,
  },
  {
    // iam:PolicyARN is a key of AttachRolePolicy and DetachRolePolicy only (AWS's service
    // authorization reference): behind that condition this read would always be denied.
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment (confirm)",
    read: ["iam:ListAttachedRolePolicies"],
    write: [],
    resources: (t) => namedRoles(t).map((role) => iamArn(t, `role/${role}`)),
    source: `${TF}iam/role_policy_attachment.go (confirms each attachment with ListAttachedRolePolicies on the target role)`,
  },
  {
    type: "invoke:aws:iam/getRole:getRole",
    read: ["iam:GetRole"],
    write: [],
    resources: (t) => namedRoles(t).map((role) => iamArn(t, `role/${role}`)),
    source: `${TF}iam/role_data_source.go (the program checks each role callerRoles/processorRoles name exists)`,
  },
  {
    type: "invoke:aws:iam/getPolicy:getPolicy",
    read: ["iam:GetPolicy"],
    write: [],
    resources: (t) => [boundaryArnFor(t)],
    source: `${TF}iam/policy_data_source.go (the program checks the permissions boundary exists)`,
  },
  {
    type: "aws:lambda/function:Function",
    read: [
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionConcurrency",
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
    resources: functions,
    source: `${TF}lambda/function.go (GetFunctionRecursionConfig and GetRuntimeManagementConfig belong to aws_lambda_function_recursion_config and aws_lambda_runtime_management_config, which the program does not use)`,
  },
  {
    type: "aws:lambda/function:Function (its role)",
    read: [],
    write: ["iam:PassRole"],
    resources: (t) => programRoles(t, ["task-status-function", "deadline-sweeper", "webhook-sender"]),
    condition: () => ({ StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } }),
    source:
      "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html (passing the execution role)",
  },
  {
    type: "aws:lambda/permission:Permission",
    read: ["lambda:GetPolicy"],
    write: ["lambda:AddPermission", "lambda:RemovePermission"],
    resources: functions,
    source: `${TF}lambda/permission.go`,
  },
  {
    // Wildcard-only in AWS's service authorization reference (terraform-provider-aws#8804): on a
    // named group it is denied, and the provider reads every group back with it after creating it.
    type: "aws:cloudwatch/logGroup:LogGroup (describe)",
    read: ["logs:DescribeLogGroups"],
    write: [],
    resources: () => ["*"],
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
    resources: logGroups,
    source: `${TF}logs/group.go`,
  },
  {
    // API Gateway authorizes by HTTP verb on its resource paths. An HTTP API's id is chosen by
    // AWS, so the paths are the region's; the Stack tag keeps each stack to its own API.
    type: "aws:apigatewayv2/api:Api",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: (t) => [
      `arn:aws:apigateway:${t.region}::/apis`,
      `arn:aws:apigateway:${t.region}::/apis/*`,
      `arn:aws:apigateway:${t.region}::/tags/*`,
    ],
    source: `${TF}apigatewayv2/api.go (PUT is ReimportApi, for an API defined by an OpenAPI body, which this one is not; tags are POST and DELETE on /tags)`,
  },
  {
    type: "aws:apigatewayv2/integration:Integration",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: (t) => [`arn:aws:apigateway:${t.region}::/apis/*`],
    source: `${TF}apigatewayv2/integration.go`,
  },
  {
    type: "aws:apigatewayv2/route:Route",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: (t) => [`arn:aws:apigateway:${t.region}::/apis/*`],
    source: `${TF}apigatewayv2/route.go`,
  },
  {
    type: "aws:apigatewayv2/stage:Stage",
    read: ["apigateway:GET"],
    write: ["apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
    resources: (t) => [`arn:aws:apigateway:${t.region}::/apis/*`, `arn:aws:apigateway:${t.region}::/tags/*`],
    source: `${TF}apigatewayv2/stage.go`,
  },
  {
    // AWS's "Permissions to activate logging" for HTTP APIs lists these on Resource "*", CreateLogGroup
    // among them: API Gateway checks them with the caller's permission when a stage names a log group.
    // The page's other statement (DescribeLogStreams, GetLogEvents, FilterLogEvents) reads log
    // events, which no deploy does; DescribeLogGroups is granted above.
    type: "aws:apigatewayv2/stage:Stage (access logs)",
    read: ["logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:DescribeResourcePolicies"],
    write: [
      "logs:CreateLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:PutResourcePolicy",
      "logs:CreateLogGroup",
    ],
    resources: () => ["*"],
    source:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html (Insufficient permissions to enable logging without these; the page grants them on "*")',
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
    resources: (t) => ALARMS.map((name) => arn(t, "cloudwatch", `alarm:${name}-*`)),
    source: `${TF}cloudwatch/metric_alarm.go`,
  },
  {
    type: "aws:cloudwatch/dashboard:Dashboard",
    read: ["cloudwatch:GetDashboard"],
    write: ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"],
    resources: (t) => [`arn:aws:cloudwatch::${t.account}:dashboard/${dashboardNameFor(deployment(t), t.region)}`],
    source: `${TF}cloudwatch/dashboard.go`,
  },
  {
    type: "aws:sns/topic:Topic",
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    write: ["sns:CreateTopic", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:TagResource", "sns:UntagResource"],
    resources: (t) => [arn(t, "sns", `${SERVICE_NAME}-alarms-*`)],
    source: `${TF}sns/topic.go`,
  },
  {
    type: "aws:sns/topicSubscription:TopicSubscription",
    read: ["sns:GetSubscriptionAttributes"],
    write: ["sns:Subscribe", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
    resources: (t) => [arn(t, "sns", `${SERVICE_NAME}-alarms-*`)],
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
    resources: (t) => [arn(t, "events", `event-bus/${eventBusNameFor(deployment(t))}`)],
    source: `${TF}events/bus.go (UpdateEventBus for the description)`,
  },
  {
    type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    read: ["events:DescribeEventBus"],
    write: [],
    resources: (t) => [arn(t, "events", `event-bus/${eventBusNameFor(deployment(t))}`)],
    source: `${TF}events/bus_policy.go`,
  },
  {
    // Wildcard-only in AWS's service authorization reference: a bus ARN here grants nothing.
    type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy (write)",
    read: [],
    write: ["events:PutPermission", "events:RemovePermission"],
    resources: () => ["*"],
    source: `${TF}events/bus_policy.go (PutPermission with the whole policy; RemovePermission on delete)`,
  },
  {
    type: "aws:cloudwatch/eventRule:EventRule",
    read: ["events:DescribeRule", "events:ListTagsForResource"],
    write: ["events:PutRule", "events:DeleteRule", "events:TagResource", "events:UntagResource"],
    resources: rules,
    source: `${TF}events/rule.go`,
  },
  {
    type: "aws:cloudwatch/eventTarget:EventTarget",
    read: ["events:ListTargetsByRule"],
    write: ["events:PutTargets", "events:RemoveTargets"],
    resources: rules,
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
    resources: (t) => [arn(t, "pipes", "pipe/task-*-events-*")],
    source: `${TF}pipes/pipe.go`,
  },
  {
    type: "aws:pipes/pipe:Pipe (its role)",
    read: [],
    write: ["iam:PassRole"],
    resources: (t) => programRoles(t, ["task-events-pipe"]),
    condition: () => ({ StringEquals: { "iam:PassedToService": "pipes.amazonaws.com" } }),
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-permissions.html",
  },
  {
    type: "aws:sqs/queue:Queue",
    read: ["sqs:GetQueueAttributes", "sqs:ListQueueTags"],
    write: ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:TagQueue", "sqs:UntagQueue"],
    resources: (t) => [arn(t, "sqs", "task-events-dead-letters-*"), arn(t, "sqs", "task-webhooks-*")],
    source: `${TF}sqs/queue.go (the queue's id is its URL, read with GetQueueAttributes; GetQueueUrl is the aws_sqs_queue data source's)`,
  },
  {
    type: "aws:sqs/queuePolicy:QueuePolicy",
    read: ["sqs:GetQueueAttributes"],
    write: ["sqs:SetQueueAttributes"],
    resources: (t) => [arn(t, "sqs", "task-webhooks-*")],
    source: `${TF}sqs/queue_policy.go (the Policy attribute: SetQueueAttributes to put and to delete it, GetQueueAttributes to read)`,
  },
  {
    // Wildcard-only in AWS's service authorization reference; its condition key names the function.
    type: "aws:lambda/eventSourceMapping:EventSourceMapping (create)",
    read: [],
    write: ["lambda:CreateEventSourceMapping"],
    resources: () => ["*"],
    condition: ofOwnFunctions,
    source: `${TF}lambda/event_source_mapping.go (create)`,
  },
  {
    type: "aws:lambda/eventSourceMapping:EventSourceMapping",
    read: ["lambda:GetEventSourceMapping"],
    write: ["lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping"],
    // A mapping's ARN ends in a UUID Lambda picks: any mapping, of this stack's functions only.
    resources: (t) => [arn(t, "lambda", "event-source-mapping:*")],
    condition: ofOwnFunctions,
    source: `${TF}lambda/event_source_mapping.go (read, update, delete)`,
  },
  {
    // The tag actions take no lambda:FunctionArn: the Stack-tag Deny keeps them to this stack's mappings.
    type: "aws:lambda/eventSourceMapping:EventSourceMapping (tags)",
    read: ["lambda:ListTags"],
    write: ["lambda:TagResource", "lambda:UntagResource"],
    resources: (t) => [arn(t, "lambda", "event-source-mapping:*")],
    source: `${TF}lambda/event_source_mapping.go (tags through the mapping's ARN)`,
  },
  {
    type: "aws:secretsmanager/secret:Secret",
    read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
    write: [
      "secretsmanager:CreateSecret",
      "secretsmanager:UpdateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
    ],
    resources: (t) => [arn(t, "secretsmanager", "secret:webhook-signing-secret-*")],
    source: `${TF}secretsmanager/secret.go (read: DescribeSecret, which carries the tags, and GetResourcePolicy; no policy or replica is set)`,
  },
  {
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    // GetSecretValue is the provider's read, but it reads the signing secret itself: the deploy
    // roles have it, the preview role does not (a `preview --refresh` is refused on this one resource).
    read: [],
    write: [
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ],
    resources: (t) => [arn(t, "secretsmanager", "secret:webhook-signing-secret-*")],
    source: `${TF}secretsmanager/secret_version.go (create: PutSecretValue; read: GetSecretValue of the version; delete: UpdateSecretVersionStage. ListSecretVersionIds only when version_stages change, which the program does not set)`,
  },
  {
    type: TASK_API_TYPE,
    read: [],
    write: [],
    resources: () => [],
    source:
      "infra/taskApi.ts: a component resource, which the engine records in the stack's state; no provider, no AWS call",
  },
  {
    type: "random:index/randomBytes:RandomBytes",
    read: [],
    write: [],
    resources: () => [],
    source: "@pulumi/random: generated by the provider, no AWS call",
  },
  {
    type: "time:index/sleep:Sleep",
    read: [],
    write: [],
    resources: () => [],
    source: "@pulumiverse/time: a wait, no AWS call",
  },
];

/** An IAM policy statement as the generated files hold them. */
export interface GeneratedStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: GeneratedStatement[];
}

/** The rows' statements for `kind`: rows with the same resources and condition share a statement, actions sorted and unique. */
function allowStatements(kind: "deploy" | "preview", target: DeployTarget): GeneratedStatement[] {
  const groups = new Map<string, GeneratedStatement>();
  for (const row of DEPLOY_PERMISSIONS) {
    const actions = kind === "deploy" ? [...row.read, ...row.write] : row.read;
    const resources = row.resources(target);
    if (actions.length === 0 || resources.length === 0) continue;
    const condition = row.condition?.(target);
    const key = JSON.stringify([resources, condition ?? null]);
    const existing = groups.get(key);
    if (existing !== undefined) {
      existing.Action = [...new Set([...existing.Action, ...actions])].sort();
      continue;
    }
    groups.set(key, {
      Sid: sidFor(row.type),
      Effect: "Allow",
      Action: [...new Set(actions)].sort(),
      Resource: resources.length === 1 ? (resources[0] as string) : [...resources],
      ...(condition === undefined ? {} : { Condition: condition }),
    });
  }
  return [...groups.values()];
}

/** Every write action a stack's deploy policy allows, for the denies that keep it to its own resources. */
function writeActions(target: DeployTarget): string[] {
  return [
    ...new Set(DEPLOY_PERMISSIONS.filter((row) => row.resources(target).length > 0).flatMap((row) => row.write)),
  ].sort();
}

/**
 * The denies no allow can outweigh: another stack's tagged resources, the permissions boundary
 * itself, a role without it, and the CI roles.
 */
function denyStatements(target: DeployTarget): GeneratedStatement[] {
  const writes = writeActions(target);
  // A write on a resource tagged for another stack, or a create tagging one for another stack.
  const otherStacks = (Sid: string, key: string): GeneratedStatement => ({
    Sid,
    Effect: "Deny",
    Action: writes,
    Resource: "*",
    Condition: { StringNotLike: { [key]: target.stack }, Null: { [key]: "false" } },
  });
  return [
    otherStacks("DenyOtherStacksResources", "aws:ResourceTag/Stack"),
    otherStacks("DenyTaggingForOtherStacks", "aws:RequestTag/Stack"),
    {
      Sid: "DenyChangingTheBoundary",
      Effect: "Deny",
      Action: [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      Resource: boundaryArnFor(target),
    },
    { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: "*" },
    {
      Sid: "DenyChangingCiRoles",
      Effect: "Deny",
      Action: [
        "iam:AttachRolePolicy",
        "iam:DeleteRole",
        "iam:DeleteRolePermissionsBoundary",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:PutRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
      ],
      Resource: ciRoleNamesFor(target.project).map((role) => iamArn(target, `role/${role}`)),
    },
  ];
}

/**
 * The deploy role's document for one stack: the rows' allows on that stack's resources, and the
 * denies. `stack` may be a pattern (`smoke-*`: the smoke test's stacks, one per run), which stands
 * in every name and tag condition that carries the stack.
 */
export function deployPolicyDocument(target: DeployTarget): PolicyDocument {
  const build = (t: DeployTarget): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [...allowStatements("deploy", t), ...denyStatements(t)],
  });
  if (!target.stack.includes("*")) return build(target);
  // Names are built for a plain stand-in (deploymentSlug would clean and hash a "*"), then given the pattern.
  const standIn = "STACKPATTERN";
  return JSON.parse(JSON.stringify(build({ ...target, stack: standIn })).replaceAll(standIn, target.stack));
}

/** The preview role's document: the rows' reads, for every one of `targets` (one role previews every stack). */
export function previewPolicyDocument(targets: readonly DeployTarget[]): PolicyDocument {
  const statements = new Map<string, GeneratedStatement>();
  for (const target of targets) {
    for (const statement of allowStatements("preview", target)) {
      const known = statements.get(statement.Sid);
      const resources = (s: GeneratedStatement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
      if (known === undefined) statements.set(statement.Sid, statement);
      else {
        const merged = [...new Set([...resources(known), ...resources(statement)])];
        known.Resource = merged.length === 1 ? (merged[0] as string) : merged;
        known.Action = [...new Set([...known.Action, ...statement.Action])].sort();
      }
    }
  }
  return { Version: "2012-10-17", Statement: [...statements.values()] };
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
  deploy: (stack: string) => `.github/aws/deploy-permissions.${stack.replace("-*", "")}.json`,
  preview: ".github/aws/preview-permissions.json",
  boundary: ".github/aws/permissions-boundary.json",
} as const;
