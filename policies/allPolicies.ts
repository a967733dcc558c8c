import type { Policies } from "@pulumi/policy";
import { iamAccessPoliciesScoped } from "./accessGrants";
import { apigatewayPolicies } from "./apigateway";
import { dynamodbPolicies } from "./dynamodb";
import { iamPolicies } from "./iam";
import { lambdaPolicies } from "./lambda";
import { iamFunctionLeastPrivilege } from "./leastPrivilege";
import { logsPolicies } from "./logs";
import { pipesRoleLeastPrivilege } from "./pipes";

/** Every policy of the pack, in the order the engine runs them. Importing this starts nothing. */
export const policies: Policies = [
  ...lambdaPolicies,
  ...iamPolicies,
  iamFunctionLeastPrivilege,
  iamAccessPoliciesScoped,
  pipesRoleLeastPrivilege,
  ...apigatewayPolicies,
  ...dynamodbPolicies,
  ...logsPolicies,
];
