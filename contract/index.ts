/**
 * task-api's contract, each fact written once and imported by every side: the handler, the
 * Pulumi program, the local server, the callers' client and the processors' kit. It imports
 * nothing, so any of them can depend on it.
 */
export * from "./accessRules";
export * from "./deadlines";
export * from "./limits";
export * from "./messages";
export * from "./pollHint";
export * from "./route";
export * from "./signableTargets";
export * from "./taskEvents";
export * from "./taskId";
export * from "./taskRecord";
export * from "./taskTable";
