/**
 * task-api's contract, each fact written once and imported by every side: the handler, the
 * Pulumi program, the local server, the callers' client and the processors' kit. It imports
 * nothing, so any of them can depend on it.
 */
export * from "./accessRules.js";
export * from "./deadlineConditions.js";
export * from "./deadlines.js";
export * from "./limits.js";
export * from "./messages.js";
export * from "./pollHint.js";
export * from "./route.js";
export * from "./signableTargets.js";
export * from "./taskEvents.js";
export * from "./taskFields.js";
export * from "./taskId.js";
export * from "./taskRecord.js";
export * from "./taskTable.js";
export * from "./valueRules.js";
export * from "./webhooks.js";
