// One processor cold start, measured by the process itself: `node coldStart.mjs <module>` imports
// the bundled handler and runs it once (three writes to DynamoDB Local). Prints the whole
// process's CPU (user + system, µs) and peak RSS (KiB) as one JSON line on stderr.
const { handler } = await import(process.argv[2]);
const { statusCode } = await handler();
const { user, system } = process.cpuUsage();
process.stderr.write(
  `${JSON.stringify({ cpuUs: user + system, maxRssKb: process.resourceUsage().maxRSS, statusCode })}\n`,
);
