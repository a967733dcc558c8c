// Warm invocations: `node warm.mjs <handler module> <invocations> <task id>...` imports the
// handler once, warms it up, then serves `invocations` requests per task ID and reports the
// process CPU per invocation (µs). DynamoDB is a stub in another process, so only the
// handler's own work (and its HTTP client's) is counted.
const [, , target, count, ...taskIds] = process.argv;
const invocations = Number(count);
const { handler } = await import(target);
const { invoke } = await import("./invoke.mjs");
const call = (taskId) => invoke(handler, taskId);
const results = {};
for (const taskId of taskIds) {
  for (let i = 0; i < Math.min(500, invocations); i += 1) await call(taskId);
  const before = process.cpuUsage();
  let status = 0;
  for (let i = 0; i < invocations; i += 1) status = (await call(taskId)).statusCode;
  const used = process.cpuUsage(before);
  results[taskId] = { cpuUsPerInvocation: (used.user + used.system) / invocations, statusCode: status };
}
process.stderr.write(`${JSON.stringify(results)}\n`);
