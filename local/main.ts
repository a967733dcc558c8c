/**
 * `npm start`: the API on http://127.0.0.1:$PORT, the deadline sweeper every
 * SWEEP_INTERVAL_SECONDS (default 60), and the webhook sender (signing with
 * WEBHOOK_SIGNING_SECRET, generated and printed when unset), as a stack runs them.
 * With AWS_ENDPOINT_URL_DYNAMODB and DDB_TABLE_NAME set, it serves that table and starts nothing;
 * otherwise it starts DynamoDB Local and s3rver, seeds the spec's examples, and serves those.
 */
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { formatTargetBuckets } from "@task-api/contract";
import { loadHandlerConfig } from "../handler/config";
import { createHandler } from "../handler/createHandler";
import { boundedClientConfig, DEFAULT_CALL_BOUNDS } from "../processor/callBounds";
import { sweepDeadlines } from "../sweeper/sweepDeadlines";
import { allowsPrivateNetworks } from "../webhooks/config";
import { createTaskWebhookSender } from "../webhooks/createSender";
import { generateSigningSecret, isSigningSecret } from "../webhooks/signatures";
import { type EmbeddedBackends, startEmbeddedBackends } from "./embeddedBackends";
import { createLocalApiServer } from "./localApiServer";
import { SPEC_EXAMPLE_TASKS } from "./specExamples";
import { type LocalWebhookDeliveries, startLocalWebhookDeliveries, TableWithoutStreamError } from "./webhookDeliveries";

let backends: EmbeddedBackends | undefined;
let webhooks: LocalWebhookDeliveries | undefined;

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
  const sweeper = startSweeping(config.tableName, sweepSeconds, config.deadlineGraceSeconds);
  const signing = localSigningSecrets();
  // The local run's receivers are local: private addresses are allowed unless the caller says otherwise.
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ??= "true";
  const allowPrivateNetworks = allowsPrivateNetworks(process.env);
  try {
    webhooks = await startLocalWebhookDeliveries({
      dynamo: new DynamoDBClient({}),
      streams: new DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }),
      tableName: config.tableName,
      sender: createTaskWebhookSender({
        config,
        signingSecrets: async () => signing.secrets,
        allowPrivateNetworks,
        logger: { warn: (message, attributes) => console.error(`webhooks: ${message} ${JSON.stringify(attributes)}`) },
      }),
      onOutcome: (outcome) =>
        console.error(
          `webhook ${outcome.webhookId || "?"} attempt ${outcome.attempt}: ${outcome.result}${"status" in outcome && outcome.status !== undefined ? ` (HTTP ${outcome.status})` : ""}${"reason" in outcome ? ` - ${outcome.reason}` : ""}`,
        ),
    });
  } catch (error) {
    // An external table made without a stream: the API still serves it; webhooks are off.
    if (!(error instanceof TableWithoutStreamError)) throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping ...`);
    clearInterval(sweeper);
    await webhooks?.stop();
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
    `  deadline sweeper every ${sweepSeconds} s (SWEEP_INTERVAL_SECONDS), deadlines judged ${config.deadlineGraceSeconds} s after they pass (DEADLINE_GRACE_SECONDS)`,
    webhooks === undefined
      ? `  webhooks off: table ${config.tableName} has no stream to follow`
      : `  webhooks signed with ${signing.generated ? "a new secret (set WEBHOOK_SIGNING_SECRET to keep one)" : "WEBHOOK_SIGNING_SECRET"}${signing.secrets.length > 1 ? " and WEBHOOK_PREVIOUS_SIGNING_SECRET" : ""}; private addresses ${allowPrivateNetworks ? "allowed" : "refused"} (WEBHOOK_ALLOW_PRIVATE_NETWORKS=${process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS})`,
    ...(webhooks === undefined ? [] : [`    WEBHOOK_SIGNING_SECRET=${signing.secrets[0]}`]),
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
      "  or, for a webhook instead (start the task with --callback-url http://127.0.0.1:4000/):",
      `    WEBHOOK_SIGNING_SECRET=${signing.secrets[0]} npx task-status listen --port 4000`,
      "  terminal A again, while B follows:",
      "    npx task-record progress demo-1 40",
      "    npx task-record complete demo-1",
      "",
    );
  }
  lines.push("Ctrl-C stops the server and everything it started.");
  console.error(lines.join("\n"));
}

/** WEBHOOK_SIGNING_SECRET (and WEBHOOK_PREVIOUS_SIGNING_SECRET), or a new secret when it is unset. */
function localSigningSecrets(): { secrets: string[]; generated: boolean } {
  const current = process.env.WEBHOOK_SIGNING_SECRET?.trim() || undefined;
  const previous = process.env.WEBHOOK_PREVIOUS_SIGNING_SECRET?.trim() || undefined;
  for (const [name, value] of [
    ["WEBHOOK_SIGNING_SECRET", current],
    ["WEBHOOK_PREVIOUS_SIGNING_SECRET", previous],
  ] as const) {
    if (value !== undefined && !isSigningSecret(value)) {
      throw new Error(`${name} must be a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 bytes`);
    }
  }
  const secrets = [current ?? generateSigningSecret(), ...(previous === undefined ? [] : [previous])];
  return { secrets, generated: current === undefined };
}

/** Runs the deployed sweeper's code on a timer against the served table; one sweep at a time. */
function startSweeping(tableName: string, seconds: number, graceSeconds: number): NodeJS.Timeout {
  // Region, credentials and AWS_ENDPOINT_URL_DYNAMODB come from the environment, as for the API;
  // each request bounded as the kit's are, so that a hung answer cannot stall the timer's sweeps.
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(boundedClientConfig(DEFAULT_CALL_BOUNDS)));
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    sweepDeadlines({ documents, tableName, graceSeconds })
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
  await webhooks?.stop();
  await backends?.stop();
  process.exit(1);
});
