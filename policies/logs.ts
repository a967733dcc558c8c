import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

const DEFAULT_MAX_RETENTION_DAYS = 3653;

/** Log groups must expire their logs (CloudWatch keeps them forever otherwise). */
export const cloudwatchLogsRetention: ResourceValidationPolicy = {
  name: "cloudwatch-logs-retention",
  description: "CloudWatch log groups must set a retention period.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { maxRetentionDays: { type: "integer", default: DEFAULT_MAX_RETENTION_DAYS, minimum: 1 } },
  },
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, reportViolation) => {
    const { maxRetentionDays = DEFAULT_MAX_RETENTION_DAYS } = args.getConfig<{ maxRetentionDays?: number }>();
    const days = group.retentionInDays;
    if (days === undefined || days === 0) {
      reportViolation(`Log group ${args.name} keeps its logs forever; set retentionInDays.`);
    } else if (days > maxRetentionDays) {
      reportViolation(`Log group ${args.name} keeps logs ${days} days; the limit is ${maxRetentionDays}.`);
    }
  }),
};

export const logsPolicies = [cloudwatchLogsRetention];
