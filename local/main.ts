/**
 * `npm start`: the API on http://127.0.0.1:$PORT, and the deadline sweeper every
 * SWEEP_INTERVAL_SECONDS (default 60), as a stack runs them.
 * With AWS_ENDPOINT_URL_DYNAMODB and DDB_TABLE_NAME set, it serves that table and starts nothing;
 * otherwise it starts DynamoDB Local and s3rver, seeds the spec's examples, and serves those.
 */
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { formatTargetBuckets } from "@task-api/contract";
import { loadHandlerConfig } from "../handler/config";
import { createHandler } from "../handler/createHandler";
import { sweepDeadlines } from "../sweeper/sweepDeadlines";
import { type EmbeddedBackends, startEmbeddedBackends } from "./embeddedBackends";
import { createLocalApiServer } from "./localApiServer";
import { SPEC_EXAMPLE_TASKS } from "./specExamples";

let backends: EmbeddedBackends | undefined;

async function main(): Promise<void> {
  const startedAt = performance.now();
  const port = Number(process.env.PORT ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("PORT must be a port number");
  const sweepSeconds = Number(process.env.SWEEP_INTERVAL_SECONDS ?? "60");
  if (!Number.isInteger(sweepSeconds) || sweepSeconds < 1 || sweepSeconds > 3600) {
    throw new Error("SWEEP_INTERVAL_SECONDS must be a whole number of seconds from 1 to 3600");
  }

  const external = Boolean(process.env.AWS_ENDPOINT_URL_DYNAMODB && process.env.DDB_TABLE_NAME);
  if (!external) {
    console.error("Starting DynamoDB Local and s3rver ...");
    backends = await startEmbeddedBackends();
    // The caller's own TARGET_BUCKETS and URL_TTL_SECONDS still win; endpoints and credentials do not.
    const { TARGET_BUCKETS, ...pinned } = backends.env;
    Object.assign(process.env, pinned, { TARGET_BUCKETS: process.env.TARGET_BUCKETS ?? TARGET_BUCKETS });
  }

  const config = loadHandlerConfig(process.env);
  const server = createLocalApiServer(createHandler(config));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sweeper = startSweeping(config.tableName, sweepSeconds);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping ...`);
    clearInterval(sweeper);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await backends?.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const lines = [
    `task-api listening on ${base} (ready in ${seconds} s)`,
    external
      ? `  table ${config.tableName} at ${process.env.AWS_ENDPOINT_URL_DYNAMODB} (external: nothing started or seeded)`
      : `  DynamoDB Local ${process.env.AWS_ENDPOINT_URL_DYNAMODB}, s3rver ${process.env.AWS_ENDPOINT_URL_S3}, table ${config.tableName}`,
    `  URLs signed for: ${formatTargetBuckets(config.targetBuckets) || "(no bucket: TARGET_BUCKETS is empty)"}`,
    `  deadline sweeper every ${sweepSeconds} s (SWEEP_INTERVAL_SECONDS)`,
    "",
  ];
  if (!external) {
    lines.push("Try the spec's examples:");
    for (const [name, task] of Object.entries(SPEC_EXAMPLE_TASKS)) {
      lines.push(`  curl -s ${base}/task/${task.TaskId}   # ${name}`);
    }
    lines.push(`  curl -s ${base}/task/no-such-task   # 404`, "");
    const writerEnv = [
      `AWS_ENDPOINT_URL_DYNAMODB=${process.env.AWS_ENDPOINT_URL_DYNAMODB}`,
      `AWS_REGION=${process.env.AWS_REGION}`,
      `AWS_ACCESS_KEY_ID=${process.env.AWS_ACCESS_KEY_ID}`,
      `AWS_SECRET_ACCESS_KEY=${process.env.AWS_SECRET_ACCESS_KEY}`,
      `TASK_TABLE_NAME=${config.tableName}`,
    ].join(" ");
    lines.push(
      "Watch a task move, in two more terminals:",
      "  terminal A (the processor):",
      `    export ${writerEnv}`,
      "    npx task-record start --id demo-1 --type document --source-bucket media-bucket --source-key original/document.pdf --target-bucket media-bucket --target-key processed/document.png",
      "  terminal B (the caller):",
      `    npx task-status wait demo-1 --endpoint ${base}`,
      "  terminal A again, while B follows:",
      "    npx task-record progress demo-1 40",
      "    npx task-record complete demo-1",
      "",
    );
  }
  lines.push("Ctrl-C stops the server and everything it started.");
  console.error(lines.join("\n"));
}

/** Runs the deployed sweeper's code on a timer against the served table; one sweep at a time. */
function startSweeping(tableName: string, seconds: number): NodeJS.Timeout {
  // Region, credentials and AWS_ENDPOINT_URL_DYNAMODB come from the environment, as for the API.
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    sweepDeadlines({ documents, tableName })
      .then((report) => {
        if (report.failed > 0) console.error(`deadline sweep: ${report.failed} task(s) failed past their deadline`);
      })
      .catch((error: unknown) =>
        console.error(`deadline sweep failed: ${error instanceof Error ? error.message : error}`),
      )
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await backends?.stop();
  process.exit(1);
});
