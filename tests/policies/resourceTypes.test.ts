import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { TYPES } from "../../policies/resourceTypes";

/** The type token @pulumi/aws registers a class under (its static __pulumiType, kept at runtime). */
function tokenOf(resourceClass: object): string {
  return (resourceClass as { __pulumiType?: string }).__pulumiType ?? "(none)";
}

describe("policies/resourceTypes", () => {
  it("names each type exactly as @pulumi/aws registers it", () => {
    const classes: Record<keyof typeof TYPES, object> = {
      api: aws.apigatewayv2.Api,
      bus: aws.cloudwatch.EventBus,
      eventRule: aws.cloudwatch.EventRule,
      eventSourceMapping: aws.lambda.EventSourceMapping,
      eventTarget: aws.cloudwatch.EventTarget,
      function: aws.lambda.Function,
      secret: aws.secretsmanager.Secret,
      groupPolicy: aws.iam.GroupPolicy,
      groupPolicyAttachment: aws.iam.GroupPolicyAttachment,
      groupPolicyAttachmentsExclusive: aws.iam.GroupPolicyAttachmentsExclusive,
      logGroup: aws.cloudwatch.LogGroup,
      managedPolicy: aws.iam.Policy,
      pipe: aws.pipes.Pipe,
      policyAttachment: aws.iam.PolicyAttachment,
      queue: aws.sqs.Queue,
      role: aws.iam.Role,
      rolePolicy: aws.iam.RolePolicy,
      rolePolicyAttachment: aws.iam.RolePolicyAttachment,
      rolePolicyAttachmentsExclusive: aws.iam.RolePolicyAttachmentsExclusive,
      table: aws.dynamodb.Table,
      userPolicy: aws.iam.UserPolicy,
      userPolicyAttachment: aws.iam.UserPolicyAttachment,
      userPolicyAttachmentsExclusive: aws.iam.UserPolicyAttachmentsExclusive,
    };
    for (const [key, resourceClass] of Object.entries(classes)) {
      expect(TYPES[key as keyof typeof TYPES], key).to.equal(tokenOf(resourceClass));
    }
  });
});
