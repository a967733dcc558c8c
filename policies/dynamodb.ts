import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Tables must be restorable to any second of the last 35 days. */
export const dynamodbPointInTimeRecovery: ResourceValidationPolicy = {
  name: "dynamodb-point-in-time-recovery",
  description: "DynamoDB tables must enable point-in-time recovery.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    if (table.pointInTimeRecovery?.enabled !== true) {
      reportViolation(`Table ${args.name} does not enable point-in-time recovery.`);
    }
  }),
};

/**
 * Tables must refuse to be deleted or replaced until protection is turned off on purpose: in
 * DynamoDB (deletion protection) and in Pulumi (`protect`, which fails `destroy` and replacing
 * changes at preview). Stacks meant to be torn down set this policy to advisory in their pack config.
 */
export const dynamodbDeletionProtection: ResourceValidationPolicy = {
  name: "dynamodb-deletion-protection",
  description: "DynamoDB tables must enable deletion protection and be protected in Pulumi.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    if (table.deletionProtectionEnabled !== true) {
      reportViolation(`Table ${args.name} does not enable deletion protection.`);
    }
    if (args.opts.protect !== true) {
      reportViolation(
        `Table ${args.name} is not protected in Pulumi (protect), so destroy or a replacement would delete it.`,
      );
    }
  }),
};

export const dynamodbPolicies = [dynamodbPointInTimeRecovery, dynamodbDeletionProtection];
