/**
 * task-api: GET /task/{task_id} on API Gateway (HTTP API) + Lambda + DynamoDB.
 * Stack config (Pulumi.yaml defaults, Pulumi.<stack>.yaml values) -> every resource -> outputs.
 */
import { loadStackConfig } from "./infra/stackConfig";
import { createTaskApiStack } from "./infra/taskApiStack";

const stack = createTaskApiStack(loadStackConfig());

export const apiUrl = stack.apiUrl;
export const tableName = stack.tableName;
export const tableArn = stack.tableArn;
export const functionName = stack.functionName;
export const dashboardName = stack.dashboardName;
export const dashboardUrl = stack.dashboardUrl;
