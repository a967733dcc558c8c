/**
 * `npm run bench [-- --quick]`: what the deployed Lambda bundle costs, against bare Node.js, the
 * SDK's own floors and a conventional handler (bench/conventional/handler.mjs), on the Node.js
 * major the functions deploy on (scripts/lambdaNode.ts fetches it from the npm registry when the
 * Node running the bench is another one).
 *
 * - Bundle: `npm run bundle`'s output, copied into a folder with no node_modules above it, as
 *   Lambda runs it.
 * - Cold start: a fresh process that imports the handler and serves one request against
 *   DynamoDB Local; its whole CPU (user + system) and peak RSS. Bare Node.js, the bundle, the
 *   cold-start floor (bench/floor/handler.ts: one consistent GetCommand and one presigned GET,
 *   bundled with the same settings and stubs) and the conventional handler take turns for each
 *   round; medians, and ratios taken round by round.
 * - Warm: CPU per invocation over thousands of invocations after a warm-up, against a DynamoDB
 *   stub in another process, for a completed task (URL signed) and a missing one.
 * - The SDK floor: the same warm run of a handler that only does a lib-dynamodb GetCommand
 *   (bench/bareGetItem.mjs), the one call the function cannot avoid; the bundle's ratio to it.
 * - Log bytes per poll: what the bundle writes to stdout/stderr per invocation, at the default
 *   level INFO and at DEBUG (bench/logBytes.mjs), for a completed task and a missing one.
 * - The bundle's composition: its largest packages (esbuild's metafile).
 * - Signing one URL: CPU per presigned URL.
 * - A processor's cold start: bench/processor/kit.ts (TaskWriter: start, progress, complete)
 *   bundled as a processor's build would, against bench/processor/floor.ts (the same writes with
 *   bare lib-dynamodb commands), each a fresh process writing to DynamoDB Local; the ratio round
 *   by round, both bundles' sizes, and whether the EventBridge client got into the kit's bundle.
 * - Webhook sender cold start: its bundle on one queue message (GetItem, the secret from a
 *   stand-in for Secrets Manager, one signed POST to a loopback receiver that verifies it),
 *   against the status bundle's cold start in the same rounds.
 * Prints a table, writes bench/results/latest.json (bench/results/quick.json with --quick), and
 * names the machine and the Node.js it measured (`--node /path/to/node` measures another). It asserts nothing about time; `--quick` (used by npm test) only proves it runs.
 */
import { execFileSync, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Hash } from "@smithy/hash-node";
import { bundleProcessor } from "../bench/processor/bundle";
import { startSenderStandIns } from "../bench/sender/standIns";
import { S3TargetUrlSigner } from "../handler/s3TargetUrlSigner";
import { BUNDLE_FILE, bundleComposition, bundleFunction, bundleModule } from "../infra/lambdaBundle";
import { startEmbeddedBackends } from "../local/embeddedBackends";
import { SPEC_EXAMPLE_TASKS } from "../local/specExamples";
import { generateSigningSecret } from "../webhooks/signatures";
import { lambdaNodeBinary, nodeVersionOf } from "./lambdaNode";

const ROOT = path.join(__dirname, "..");
const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, node: { type: "string" } },
});
const ROUNDS = values.quick ? 1 : 15;
const WARM_INVOCATIONS = values.quick ? 200 : 5000;
const SIGNINGS = values.quick ? 500 : 20_000;

const TARGETS = {
  coldVsFloor: 1.1,
  warmVsFloor: 1.1,
  coldVsConventional: 0.5,
  peakRssVsFloor: 1.1,
  processorColdVsFloor: 1.1,
};
/** Every child process runs on the Lambda runtime's Node.js, or on `--node PATH` to compare another. */
const NODE = values.node ?? lambdaNodeBinary();

interface ColdSample {
  cpuUs: number;
  maxRssKb: number;
  statusCode: number | null;
}

/** Runs a node script with the given environment; resolves with the last line it wrote to stderr, parsed. */
function runNode(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => {
      const last = stderr.trim().split("\n").at(-1) ?? "";
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last));
      } catch (error) {
        reject(new Error(`node ${args.join(" ")} failed (${String(error)}):\n${stderr}`));
      }
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function startDynamoStub(): Promise<{ endpoint: string; stop: () => void }> {
  const child = spawn(NODE, [path.join(ROOT, "bench", "dynamoStub.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** CPU per presigned URL, with the handler's own signer. */
async function signingCostUs(): Promise<number> {
  const signer = new S3TargetUrlSigner({
    region: "eu-west-1",
    credentials: async () => ({ accessKeyId: "AKIDBENCH", secretAccessKey: "secret", sessionToken: "token" }),
    sha256: Hash.bind(null, "sha256"),
    expiresInSeconds: 3600,
  });
  for (let i = 0; i < 200; i += 1) await signer.signTargetUrl("media-bucket", `processed/${i}.png`, new Date());
  const before = process.cpuUsage();
  for (let i = 0; i < SIGNINGS; i += 1) await signer.signTargetUrl("media-bucket", `processed/${i}.png`, new Date());
  const used = process.cpuUsage(before);
  return (used.user + used.system) / SIGNINGS;
}

/** The processor kit's cold start against its floor, round by round, in `isolated` (no node_modules). */
async function processorColdStart(isolated: string, env: NodeJS.ProcessEnv) {
  const kit = await bundleProcessor(path.join(ROOT, "bench", "processor", "kit.ts"));
  const floor = await bundleProcessor(path.join(ROOT, "bench", "processor", "floor.ts"));
  const files = { kit: path.join(isolated, "processor-kit.mjs"), floor: path.join(isolated, "processor-floor.mjs") };
  await writeFile(files.kit, kit.text);
  await writeFile(files.floor, floor.text);
  const run = async (file: string) => {
    const sample = (await runNode(
      [path.join(ROOT, "bench", "processor", "coldStart.mjs"), pathToFileURL(file).href],
      env,
      isolated,
    )) as ColdSample;
    if (sample.statusCode !== 200) throw new Error(`${file} answered ${sample.statusCode}`);
    return sample.cpuUs;
  };
  const ratios: number[] = [];
  const cpu = { kit: [] as number[], floor: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (["kit", "floor"] as const) : (["floor", "kit"] as const);
    const got = { kit: 0, floor: 0 };
    for (const kind of order) {
      got[kind] = await run(files[kind]);
      cpu[kind].push(got[kind]);
    }
    ratios.push(got.kit / got.floor);
  }
  return {
    coldCpuMs: { kit: median(cpu.kit) / 1000, floor: median(cpu.floor) / 1000 },
    coldCpuRatioVsFloor: median(ratios),
    bundleKiB: {
      kit: Number((kit.text.length / 1024).toFixed(1)),
      floor: Number((floor.text.length / 1024).toFixed(1)),
    },
    eventBridgeInKitBundle: Object.keys(kit.metafile.inputs).some((input) => input.includes("client-eventbridge")),
  };
}

/**
 * The sender's cold start against the status bundle's, round by round: a completed task with a
 * CallbackUrl on the stand-ins' receiver, one queue message each round.
 */
async function senderColdStart(args: {
  isolated: string;
  env: NodeJS.ProcessEnv;
  bundle: string;
  taskId: string;
  backends: Awaited<ReturnType<typeof startEmbeddedBackends>>;
}) {
  const sender = path.join(args.isolated, "sender.mjs");
  await writeFile(sender, (await bundleFunction("webhooks"))[BUNDLE_FILE] ?? "");
  const secret = generateSigningSecret();
  const standIns = await startSenderStandIns(secret);
  const hooked = "bench-webhook";
  await DynamoDBDocumentClient.from(args.backends.dynamo).send(
    new PutCommand({
      TableName: args.env.DDB_TABLE_NAME,
      Item: { ...SPEC_EXAMPLE_TASKS.completed, TaskId: hooked, CallbackUrl: standIns.receiverUrl },
    }),
  );
  const senderEnv = {
    ...args.env,
    WEBHOOK_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/task-webhooks",
    WEBHOOK_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:task-webhooks",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIns.secretsEndpoint,
  };
  const coldStart = path.join(ROOT, "bench", "coldStart.mjs");
  const senderCold = path.join(ROOT, "bench", "sender", "coldStart.mjs");
  const senders: ColdSample[] = [];
  const statuses: ColdSample[] = [];
  const ratios: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const runSender = async () => {
        const sample = (await runNode(
          [senderCold, pathToFileURL(sender).href, hooked],
          senderEnv,
          args.isolated,
        )) as ColdSample & { failures: number };
        if (sample.failures !== 0) throw new Error("the sender's bench delivery failed");
        senders.push(sample);
      };
      const runStatus = async () => {
        statuses.push(
          (await runNode(
            [coldStart, pathToFileURL(args.bundle).href, args.taskId],
            args.env,
            args.isolated,
          )) as ColdSample,
        );
      };
      if (round % 2 === 0) await runSender().then(runStatus);
      else await runStatus().then(runSender);
      ratios.push((senders.at(-1)?.cpuUs ?? Number.NaN) / (statuses.at(-1)?.cpuUs ?? Number.NaN));
    }
    if (standIns.delivered() !== ROUNDS)
      throw new Error(`the receiver verified ${standIns.delivered()} of ${ROUNDS} deliveries`);
  } finally {
    standIns.stop();
  }
  return {
    coldCpuMs: {
      sender: median(senders.map((s) => s.cpuUs)) / 1000,
      status: median(statuses.map((s) => s.cpuUs)) / 1000,
    },
    peakRssMb: {
      sender: median(senders.map((s) => s.maxRssKb)) / 1024,
      status: median(statuses.map((s) => s.maxRssKb)) / 1024,
    },
    coldCpuRatioVsStatus: median(ratios),
    bundleKiB: Number(((await stat(sender)).size / 1024).toFixed(1)),
    deliveriesVerified: standIns.delivered(),
  };
}

async function main(): Promise<void> {
  execFileSync("npm", ["run", "--silent", "bundle"], { cwd: ROOT, stdio: "ignore" });
  // The kits' dist/, which a processor's build bundles.
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "ignore" });
  const isolated = await mkdtemp(path.join(tmpdir(), "task-api-bench-"));
  const bundle = path.join(isolated, "index.mjs");
  await copyFile(path.join(ROOT, "dist", "lambda", "index.mjs"), bundle);
  const bundleKiB = (await stat(bundle)).size / 1024;
  // The floor, bundled as the function is, beside it in the isolated folder.
  const floor = path.join(isolated, "floor.mjs");
  await writeFile(floor, (await bundleModule(path.join(ROOT, "bench", "floor", "handler.ts")))[BUNDLE_FILE] ?? "");
  const floorKiB = (await stat(floor)).size / 1024;
  const conventional = path.join(ROOT, "bench", "conventional", "handler.mjs");
  const coldStart = path.join(ROOT, "bench", "coldStart.mjs");

  const backends = await startEmbeddedBackends();
  const stub = await startDynamoStub();
  try {
    const env = {
      ...process.env,
      ...backends.env,
      POWERTOOLS_SERVICE_NAME: "task-api",
      NODE_OPTIONS: "",
    };
    const taskId = SPEC_EXAMPLE_TASKS.completed.TaskId;
    const kinds = {
      bare: ["bare"],
      bundle: [pathToFileURL(bundle).href, taskId],
      floor: [pathToFileURL(floor).href, taskId],
      conventional: [pathToFileURL(conventional).href, taskId],
    } as const;
    const samples: Record<keyof typeof kinds, ColdSample[]> = { bare: [], bundle: [], floor: [], conventional: [] };
    const ratiosVsBare: number[] = [];
    const ratiosVsFloor: number[] = [];
    const ratiosVsConventional: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Rotate the order so no kind always runs first (or last) in a round.
      const order = (["bare", "bundle", "floor", "conventional"] as const).map(
        (_, i, all) => all[(i + round) % all.length] ?? "bare",
      );
      const roundSamples: Partial<Record<keyof typeof kinds, ColdSample>> = {};
      for (const kind of order) {
        // The bundle runs from its isolated folder; the conventional handler needs the repo's node_modules.
        const cwd = kind === "bundle" || kind === "floor" ? isolated : ROOT;
        const sample = (await runNode([coldStart, ...kinds[kind]], env, cwd)) as ColdSample;
        if (kind !== "bare" && sample.statusCode !== 200) throw new Error(`${kind} answered ${sample.statusCode}`);
        samples[kind].push(sample);
        roundSamples[kind] = sample;
      }
      const b = roundSamples.bundle?.cpuUs ?? Number.NaN;
      ratiosVsBare.push(b / (roundSamples.bare?.cpuUs ?? Number.NaN));
      ratiosVsFloor.push(b / (roundSamples.floor?.cpuUs ?? Number.NaN));
      ratiosVsConventional.push(b / (roundSamples.conventional?.cpuUs ?? Number.NaN));
    }

    const warmEnv = { ...env, AWS_ENDPOINT_URL_DYNAMODB: stub.endpoint };
    const warmRun = (handlerModule: string, cwd: string) =>
      runNode(
        [
          path.join(ROOT, "bench", "warm.mjs"),
          pathToFileURL(handlerModule).href,
          String(WARM_INVOCATIONS),
          "bench-completed",
          "bench-missing",
        ],
        warmEnv,
        cwd,
      ) as Promise<Record<string, { cpuUsPerInvocation: number; statusCode: number }>>;
    const warm = await warmRun(bundle, isolated);
    const warmConventional = await warmRun(conventional, ROOT);
    const warmFloor = await warmRun(path.join(ROOT, "bench", "bareGetItem.mjs"), ROOT);
    const logBytes = async (level: string) =>
      (await runNode(
        [path.join(ROOT, "bench", "logBytes.mjs"), pathToFileURL(bundle).href, "bench-completed", "bench-missing"],
        { ...warmEnv, POWERTOOLS_LOG_LEVEL: level },
        isolated,
      )) as Record<string, { bytesPerInvocation: number }>;
    const [logInfo, logDebug] = [await logBytes("INFO"), await logBytes("DEBUG")];
    const composition = (await bundleComposition()).slice(0, 8);

    const cold = Object.fromEntries(
      Object.entries(samples).map(([kind, list]) => [
        kind,
        { cpuMs: median(list.map((s) => s.cpuUs)) / 1000, peakRssMb: median(list.map((s) => s.maxRssKb)) / 1024 },
      ]),
    ) as Record<keyof typeof kinds, { cpuMs: number; peakRssMb: number }>;
    const results = {
      machine: {
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: nodeVersionOf(NODE),
      },
      quick: values.quick,
      rounds: ROUNDS,
      bundleKiB: Number(bundleKiB.toFixed(1)),
      floorBundleKiB: Number(floorKiB.toFixed(1)),
      bundleVsFloor: bundleKiB / floorKiB,
      cold,
      coldCpuRatio: {
        vsBare: median(ratiosVsBare),
        vsFloor: median(ratiosVsFloor),
        vsConventional: median(ratiosVsConventional),
      },
      warmCpuUsPerInvocation: {
        bundle: {
          completed: warm["bench-completed"]?.cpuUsPerInvocation,
          missing: warm["bench-missing"]?.cpuUsPerInvocation,
        },
        conventional: {
          completed: warmConventional["bench-completed"]?.cpuUsPerInvocation,
          missing: warmConventional["bench-missing"]?.cpuUsPerInvocation,
        },
        floor: {
          completed: warmFloor["bench-completed"]?.cpuUsPerInvocation,
          missing: warmFloor["bench-missing"]?.cpuUsPerInvocation,
        },
        invocations: WARM_INVOCATIONS,
      },
      warmCpuRatioVsFloor: {
        completed:
          (warm["bench-completed"]?.cpuUsPerInvocation ?? Number.NaN) /
          (warmFloor["bench-completed"]?.cpuUsPerInvocation ?? Number.NaN),
        missing:
          (warm["bench-missing"]?.cpuUsPerInvocation ?? Number.NaN) /
          (warmFloor["bench-missing"]?.cpuUsPerInvocation ?? Number.NaN),
      },
      logBytesPerPoll: {
        info: {
          completed: logInfo["bench-completed"]?.bytesPerInvocation,
          missing: logInfo["bench-missing"]?.bytesPerInvocation,
        },
        debug: {
          completed: logDebug["bench-completed"]?.bytesPerInvocation,
          missing: logDebug["bench-missing"]?.bytesPerInvocation,
        },
      },
      bundleTopPackagesKiB: composition.map(({ name, bytes }) => ({ name, kib: Number((bytes / 1024).toFixed(1)) })),
      signOneUrlUs: await signingCostUs(),
      processor: await processorColdStart(isolated, env),
      sender: await senderColdStart({ isolated, env, bundle, taskId, backends }),
      targets: TARGETS,
    };
    // A quick run (npm test's) proves the bench works; it must not replace the figures of a real run.
    const resultsFile = path.join(ROOT, "bench", "results", values.quick ? "quick.json" : "latest.json");
    await mkdir(path.dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
  } finally {
    stub.stop();
    await backends.stop();
    await rm(isolated, { recursive: true, force: true });
  }
}

function printTable(r: {
  machine: { cpu: string; cores: number; memoryGiB: number; node: string };
  rounds: number;
  bundleKiB: number;
  floorBundleKiB: number;
  bundleVsFloor: number;
  cold: Record<string, { cpuMs: number; peakRssMb: number }>;
  coldCpuRatio: { vsBare: number; vsFloor: number; vsConventional: number };
  warmCpuUsPerInvocation: {
    bundle: { completed?: number; missing?: number };
    conventional: { completed?: number; missing?: number };
    floor: { completed?: number; missing?: number };
    invocations: number;
  };
  warmCpuRatioVsFloor: { completed: number; missing: number };
  logBytesPerPoll: { info: { completed?: number; missing?: number }; debug: { completed?: number; missing?: number } };
  bundleTopPackagesKiB: Array<{ name: string; kib: number }>;
  signOneUrlUs: number;
  processor: {
    coldCpuMs: { kit: number; floor: number };
    coldCpuRatioVsFloor: number;
    bundleKiB: { kit: number; floor: number };
    eventBridgeInKitBundle: boolean;
  };
  sender: {
    coldCpuMs: { sender: number; status: number };
    peakRssMb: { sender: number; status: number };
    coldCpuRatioVsStatus: number;
    bundleKiB: number;
  };
}): void {
  const f = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? "?" : n.toFixed(digits));
  const rows: Array<[string, string, string]> = [
    ["cold start CPU vs the SDK cold floor", `${f(r.coldCpuRatio.vsFloor, 2)}×`, `≤ ${TARGETS.coldVsFloor}×`],
    ["bundle size vs the floor's", `${f(r.bundleVsFloor, 2)}×`, `${f(r.bundleKiB)} vs ${f(r.floorBundleKiB)} KiB`],
    ["cold start CPU vs bare Node.js", `${f(r.coldCpuRatio.vsBare, 2)}×`, "(for scale)"],
    ["warm CPU vs the SDK floor, completed", `${f(r.warmCpuRatioVsFloor.completed, 2)}×`, `≤ ${TARGETS.warmVsFloor}×`],
    ["warm CPU vs the SDK floor, missing", `${f(r.warmCpuRatioVsFloor.missing, 2)}×`, `≤ ${TARGETS.warmVsFloor}×`],
    ["cold start CPU vs conventional", `${f(r.coldCpuRatio.vsConventional, 2)}×`, `≤ ${TARGETS.coldVsConventional}×`],
    [
      "peak RSS after a cold start vs floor",
      `${f((r.cold.bundle?.peakRssMb ?? Number.NaN) / (r.cold.floor?.peakRssMb ?? Number.NaN), 2)}×`,
      `≤ ${TARGETS.peakRssVsFloor}× (${f(r.cold.bundle?.peakRssMb)} MB)`,
    ],
    ["log bytes per poll (INFO), completed", `${f(r.logBytesPerPoll.info.completed, 0)} B`, "0 B"],
    [
      "processor kit cold CPU vs its floor",
      `${f(r.processor.coldCpuRatioVsFloor, 2)}×`,
      `≤ ${TARGETS.processorColdVsFloor}× (${f(r.processor.coldCpuMs.kit)} vs ${f(r.processor.coldCpuMs.floor)} ms)`,
    ],
    [
      "webhook sender cold CPU vs status's",
      `${f(r.sender.coldCpuRatioVsStatus, 2)}×`,
      `(${f(r.sender.coldCpuMs.sender)} vs ${f(r.sender.coldCpuMs.status)} ms; ${f(r.sender.peakRssMb.sender)} vs ${f(r.sender.peakRssMb.status)} MB; ${f(r.sender.bundleKiB)} KiB)`,
    ],
  ];
  console.log(
    `task-api bench on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGiB} GiB), Node ${r.machine.node}; ${r.rounds} cold rounds, ${r.warmCpuUsPerInvocation.invocations} warm invocations`,
  );
  console.log("");
  console.log("figure                                 measured     target");
  for (const [name, measured, target] of rows) console.log(`${name.padEnd(38)} ${measured.padEnd(12)} ${target}`);
  console.log("");
  console.log("cold start (medians)        CPU ms   peak RSS MB");
  for (const [kind, c] of Object.entries(r.cold))
    console.log(`${kind.padEnd(26)} ${f(c.cpuMs).padStart(7)}   ${f(c.peakRssMb).padStart(11)}`);
  console.log("");
  const w = r.warmCpuUsPerInvocation;
  console.log(
    `warm CPU µs / invocation: bundle completed ${f(w.bundle.completed, 0)}, missing ${f(w.bundle.missing, 0)}; SDK floor (bare GetCommand) completed ${f(w.floor.completed, 0)}, missing ${f(w.floor.missing, 0)}; conventional completed ${f(w.conventional.completed, 0)}, missing ${f(w.conventional.missing, 0)}`,
  );
  const l = r.logBytesPerPoll;
  console.log(
    `log bytes / poll: INFO completed ${f(l.info.completed, 0)}, missing ${f(l.info.missing, 0)}; DEBUG completed ${f(l.debug.completed, 0)}, missing ${f(l.debug.missing, 0)}`,
  );
  console.log(`signing one URL: ${f(r.signOneUrlUs)} µs CPU (in the bench's own process, Node ${process.version})`);
  console.log("");
  const p = r.processor;
  console.log(
    `processor bundles: kit ${f(p.bundleKiB.kit)} KiB, floor ${f(p.bundleKiB.floor)} KiB; EventBridge client in the kit's bundle: ${p.eventBridgeInKitBundle ? "yes" : "no"}`,
  );
  console.log("");
  console.log("bundle's largest packages");
  for (const { name, kib } of r.bundleTopPackagesKiB) console.log(`${f(kib).padStart(7)} KiB  ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
