// One cold start, measured by the process itself: `node coldStart.mjs bare` does nothing;
// `node coldStart.mjs <handler module> <task id>` imports the handler and serves one request.
// Prints the whole process's CPU (user + system, µs) and peak RSS (KiB) as one JSON line.
const [, , target, taskId] = process.argv;
let statusCode = null;
if (target !== "bare") {
  const [{ handler }, { invoke }] = await Promise.all([import(target), import("./invoke.mjs")]);
  statusCode = (await invoke(handler, taskId)).statusCode;
}
const { user, system } = process.cpuUsage();
process.stderr.write(
  `${JSON.stringify({ cpuUs: user + system, maxRssKb: process.resourceUsage().maxRSS, statusCode })}\n`,
);
