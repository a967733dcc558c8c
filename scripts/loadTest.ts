/**
 * `npm run load [-- --requests N --connections C]`: drives `npm start`'s server (its own process,
 * over DynamoDB Local and s3rver) with a bounded number of requests on loopback, mixing found,
 * missing and invalid task IDs, and reports throughput, latency percentiles, errors, and the
 * server process's memory before and after.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { SPEC_EXAMPLE_TASKS } from "../local/specExamples";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    connections: { type: "string", default: "20" },
    rounds: { type: "string", default: "3" },
  },
});
const REQUESTS = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);

// Each round: the four examples (found), two unknown IDs (404), two invalid ones (400).
const PATHS = [
  ...Object.values(SPEC_EXAMPLE_TASKS).map((task) => `/task/${task.TaskId}`),
  "/task/0000-0000-0000",
  "/task/does-not-exist",
  "/task/bad%20id",
  `/task/${"x".repeat(200)}`,
];

/** The resident set of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    POWERTOOLS_LOG_LEVEL: "WARN",
  };
  for (const name of ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "DDB_TABLE_NAME"]) delete env[name];
  const child = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
  });
  return { child, base };
}

function summarize(result: autocannon.Result) {
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    throughputPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statuses: { "2xx": result["2xx"], "4xx": result["4xx"], "5xx": result["5xx"] },
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main(): Promise<void> {
  const { child, base } = await startServer();
  const pid = child.pid ?? 0;
  try {
    // Warm the handler's clients and the JIT before measuring memory.
    for (const path of PATHS) await fetch(`${base}${path}`).then((r) => r.arrayBuffer());
    const atStart = rssMb(pid);
    // Identical rounds: the first grows the heap to its working size, the later ones show
    // whether memory keeps growing with traffic (a leak) or levels off.
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const result = await runRound();
      rounds.push({ round, ...summarize(result), serverRssMbAfter: Number(rssMb(pid).toFixed(1)) });
    }
    const report = {
      requestsPerRound: REQUESTS,
      connections: CONNECTIONS,
      mix: PATHS,
      serverRssMbAtStart: Number(atStart.toFixed(1)),
      rounds,
    };
    console.log(JSON.stringify(report, null, 2));
    if (rounds.some((r) => r.errors > 0 || r.statuses["5xx"] > 0 || r.timeouts > 0)) process.exitCode = 1;

    async function runRound(): Promise<autocannon.Result> {
      let next = 0;
      return autocannon({
        url: base,
        connections: CONNECTIONS,
        amount: REQUESTS,
        requests: [
          {
            setupRequest: (request) => {
              const path = PATHS[next % PATHS.length] ?? "/";
              next += 1;
              return { ...request, path };
            },
          },
        ],
      });
    }
  } finally {
    child.kill("SIGINT");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
