// One cold start, measured by the process itself: `node coldStart.mjs bare` does nothing;
// `node coldStart.mjs <handler module> <task id>` imports the handler and serves one request.
// Prints the whole process's CPU (user + system, µs) and peak RSS (KiB) as one JSON line.
const [, , target, taskId] = process.argv;
let statusCode = null;
if (target !== "bare") {
  const { handler } = await import(target);
  const event = {
    version: "2.0",
    routeKey: "GET /task/{task_id}",
    rawPath: `/task/${taskId}`,
    headers: {},
    pathParameters: { task_id: taskId },
    requestContext: { requestId: "bench" },
    isBase64Encoded: false,
  };
  const deadline = Date.now() + 5000;
  const context = {
    awsRequestId: "bench",
    functionName: "bench",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  statusCode = (await handler(event, context)).statusCode;
}
const { user, system } = process.cpuUsage();
process.stderr.write(
  `${JSON.stringify({ cpuUs: user + system, maxRssKb: process.resourceUsage().maxRSS, statusCode })}\n`,
);
