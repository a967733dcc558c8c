/**
 * task-api: GET /task/{task_id} on API Gateway (HTTP API) + Lambda + DynamoDB.
 * Stack config (Pulumi.yaml defaults, Pulumi.<stack>.yaml values) -> one TaskApi component -> outputs.
 */
import { loadStackConfig } from "./infra/stackConfig";
import { deployTaskApi } from "./infra/taskApi";

const { outputs } = deployTaskApi(loadStackConfig());

export const apiUrl = outputs.apiUrl;
export const apiId = outputs.apiId;
export const region = outputs.region;
export const tableName = outputs.tableName;
export const tableArn = outputs.tableArn;
export const functionName = outputs.functionName;
export const sweeperFunctionName = outputs.sweeperFunctionName;
export const functionRoleArn = outputs.functionRoleArn;
export const callerPolicyArn = outputs.callerPolicyArn;
export const processorPolicyArn = outputs.processorPolicyArn;
export const dashboardName = outputs.dashboardName;
export const dashboardUrl = outputs.dashboardUrl;
export const eventBusName = outputs.eventBusName;
export const eventBusArn = outputs.eventBusArn;
export const webhookQueueUrl = outputs.webhookQueueUrl;
export const webhookSenderFunctionName = outputs.webhookSenderFunctionName;
export const webhookSigningSecret = outputs.webhookSigningSecret;
