/**
 * `npm run measure:sweep`: what one deadline sweep costs, on DynamoDB Local. Starts DUE tasks
 * already past their deadline (half heartbeat, half timeout) beside ALIVE tasks that are not,
 * runs one sweep as the scheduled function does, and reports wall time and this process's CPU
 * per task failed; then an idle sweep (nothing due). CPU is the figure that scales to Lambda:
 * at 128 MB a function gets about 128/1769 of a vCPU (Lambda allocates a full vCPU at 1,769 MB).
 */
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEADLINE_GRACE_SECONDS } from "@task-api/contract";
import { TaskWriter } from "@task-api/processor";
import { startEmbeddedBackends } from "../local/embeddedBackends";
import { createTaskTable } from "../processor/createTaskTable";
import { sweepDeadlines } from "../sweeper/sweepDeadlines";

const DUE = Number(process.env.DUE ?? "1000");
const ALIVE = Number(process.env.ALIVE ?? "1000");
const LAMBDA_128MB_VCPU = 128 / 1769;

async function main(): Promise<void> {
  const backends = await startEmbeddedBackends();
  try {
    const tableName = "sweep-measure";
    await createTaskTable(backends.dynamo, tableName);
    const now = new Date();
    const past = new TaskWriter({ tableName, client: backends.dynamo, now: () => new Date(now.getTime() - 600_000) });
    const present = new TaskWriter({ tableName, client: backends.dynamo, now: () => now });
    const task = { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "a.pdf" };
    for (let i = 0; i < DUE; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, DUE - i) }, (_, j) =>
          past.start(task, (i + j) % 2 === 0 ? { heartbeatSeconds: 60 } : { timeoutSeconds: 300 }),
        ),
      );
    }
    for (let i = 0; i < ALIVE; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, ALIVE - i) }, () =>
          present.start(task, { heartbeatSeconds: 60, timeoutSeconds: 600 }),
        ),
      );
    }
    const documents = DynamoDBDocumentClient.from(backends.dynamo);
    const sweep = async () => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const report = await sweepDeadlines({
        documents,
        tableName,
        now: () => now,
        graceSeconds: DEADLINE_GRACE_SECONDS.default,
      });
      const used = process.cpuUsage(cpu);
      return { report, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
    };
    await sweep(); // warm: the first sweep pays module and connection setup; re-seed below
    for (let i = 0; i < DUE; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, DUE - i) }, (_, j) =>
          past.start(task, (i + j) % 2 === 0 ? { heartbeatSeconds: 60 } : { timeoutSeconds: 300 }),
        ),
      );
    }
    const full = await sweep();
    const idle = await sweep();
    const perTaskCpu = full.cpuMs / Math.max(1, full.report.failed);
    const rows = [
      ["sweep", "failed", "pages", "wall ms", "CPU ms", "CPU ms/task", "tasks per 4 s at 128 MB"],
      [
        `${DUE} due, ${ALIVE} alive`,
        String(full.report.failed),
        String(full.report.pages),
        full.wallMs.toFixed(0),
        full.cpuMs.toFixed(0),
        perTaskCpu.toFixed(2),
        String(Math.floor((4000 * LAMBDA_128MB_VCPU) / perTaskCpu)),
      ],
      [
        "idle",
        String(idle.report.failed),
        String(idle.report.pages),
        idle.wallMs.toFixed(0),
        idle.cpuMs.toFixed(0),
        "-",
        "-",
      ],
    ];
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length))) ?? [];
    for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  "));
    console.log(`node ${process.version}`);
  } finally {
    await backends.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
