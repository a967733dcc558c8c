/** A task in progress with the deadlines given as [period, instant] (any values: malformed ones too), and its ID if given. */
export function inProgress(
  deadlines: { heartbeat?: [unknown, unknown]; timeout?: [unknown, unknown] } = {},
  taskId?: string,
) {
  return {
    ...(taskId === undefined ? {} : { TaskId: taskId }),
    Status: "processing",
    ...(deadlines.heartbeat === undefined
      ? {}
      : { HeartbeatSeconds: deadlines.heartbeat[0], HeartbeatDeadline: deadlines.heartbeat[1] }),
    ...(deadlines.timeout === undefined
      ? {}
      : { TimeoutSeconds: deadlines.timeout[0], TimeoutDeadline: deadlines.timeout[1] }),
  };
}
