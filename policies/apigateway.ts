import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** HTTP API routes must require authorization. */
export const apigatewayRouteAuthorization: ResourceValidationPolicy = {
  name: "apigateway-route-authorization",
  description: "API Gateway routes must require authorization (authorizationType other than NONE).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigatewayv2.Route, (route, args, reportViolation) => {
    const type = route.authorizationType ?? "NONE";
    if (type === "NONE") {
      reportViolation(
        `Route ${route.routeKey} (${args.name}) is open to anyone (authorizationType ${type}); use AWS_IAM.`,
      );
    }
  }),
};

/** Stages must write access logs. */
export const apigatewayStageAccessLogs: ResourceValidationPolicy = {
  name: "apigateway-stage-access-logs",
  description: "API Gateway stages must write access logs to a log group, with a format.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (stage, args, reportViolation) => {
    const settings = stage.accessLogSettings;
    if (!settings?.destinationArn || !settings.format) {
      reportViolation(
        `Stage ${stage.name} (${args.name}) writes no access logs; set accessLogSettings.destinationArn and format.`,
      );
    }
  }),
};

/** Stages must throttle, so that a runaway caller cannot exhaust the function's concurrency. */
export const apigatewayStageThrottling: ResourceValidationPolicy = {
  name: "apigateway-stage-throttling",
  description: "API Gateway stages must set default route throttling (rate and burst).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (stage, args, reportViolation) => {
    const settings = stage.defaultRouteSettings;
    const rate = settings?.throttlingRateLimit;
    const burst = settings?.throttlingBurstLimit;
    if (rate === undefined || burst === undefined || rate <= 0 || burst <= 0) {
      reportViolation(
        `Stage ${stage.name} (${args.name}) sets no default throttling; set throttlingRateLimit and throttlingBurstLimit.`,
      );
    }
  }),
};

export const apigatewayPolicies = [apigatewayRouteAuthorization, apigatewayStageAccessLogs, apigatewayStageThrottling];
