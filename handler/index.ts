/**
 * Lambda entry for GET /task/{task_id} (API Gateway HTTP API, payload format 2.0).
 * The environment is read and checked once, at cold start: a misconfigured function fails
 * its init instead of answering every request with a 500.
 */
import { loadHandlerConfig } from "./config";
import { createHandler } from "./createHandler";

export const handler = createHandler(loadHandlerConfig(process.env));
