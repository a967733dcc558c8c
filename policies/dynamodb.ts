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

/** Tables must refuse to be deleted until protection is turned off on purpose. */
export const dynamodbDeletionProtection: ResourceValidationPolicy = {
  name: "dynamodb-deletion-protection",
  description: "DynamoDB tables must enable deletion protection.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    if (table.deletionProtectionEnabled !== true) {
      reportViolation(`Table ${args.name} does not enable deletion protection.`);
    }
  }),
};

export const dynamodbPolicies = [dynamodbPointInTimeRecovery, dynamodbDeletionProtection];
