/**
 * Lambda entry for GET /task/{task_id} and POST /tasks/batch-get (API Gateway HTTP API, payload
 * format 2.0). The environment is read and checked once, at cold start: a misconfigured function
 * fails its init with one error listing every problem, instead of failing inside each request.
 */
import { loadHandlerConfig } from "./config";
import { createHandler } from "./createHandler";

export const handler = createHandler(loadHandlerConfig(process.env));
