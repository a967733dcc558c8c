/**
 * The Pulumi type tokens the stack policies look for, each written once. A test checks each
 * against the @pulumi/aws class it names, so a typo cannot silently switch a policy off.
 */
export const TYPES = {
  api: "aws:apigatewayv2/api:Api",
  bus: "aws:cloudwatch/eventBus:EventBus",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  function: "aws:lambda/function:Function",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  groupPolicyAttachmentsExclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  managedPolicy: "aws:iam/policy:Policy",
  pipe: "aws:pipes/pipe:Pipe",
  policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  queue: "aws:sqs/queue:Queue",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  secret: "aws:secretsmanager/secret:Secret",
  table: "aws:dynamodb/table:Table",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  userPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
} as const;
