/**
 * The three kits as their users get them: `npm pack` of contract/, processor/ and client/ (the
 * prepack build included), installed from the tarballs into an empty project outside the
 * repository, and used there with nothing of ours on the path. A file a tarball lacks, a type
 * that does not resolve, a dependency the manifest does not declare fails here.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { type LocalApi, startLocalApi } from "../helpers/localApi";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const KITS = ["contract", "processor", "client"] as const;

interface Packed {
  name: string;
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string }>;
}

/** Every class each kit exports, as README and the kits' index.ts promise them. */
const CLASSES = {
  "@task-api/processor": [
    "TaskWriter",
    "InvalidTaskInputError",
    "MalformedTaskRecordError",
    "TaskAlreadyExistsError",
    "TaskCallTimeoutError",
    "TaskDeadlineExceededError",
    "TaskNotFoundError",
    "TaskOutOfOrderError",
    "TaskTransitionError",
  ],
  "@task-api/client": [
    "TaskStatusClient",
    "InvalidTaskIdError",
    "TaskApiRequestError",
    "TaskClientConfigError",
    "TaskFailedError",
    "TaskNotFoundError",
    "TasksWaitTimeoutError",
    "TaskWaitTimeoutError",
    "TaskWebhookVerificationError",
  ],
};

/** A user's file that touches every exported class; the @ts-expect-error lines fail if a type is `any`. */
const USES = `import {
  InvalidTaskInputError, MalformedTaskRecordError, TaskAlreadyExistsError, TaskDeadlineExceededError,
  TaskNotFoundError as RecordNotFound, TaskOutOfOrderError, TaskTransitionError, TaskWriter, type TaskRecord,
  TaskCallTimeoutError,
} from "@task-api/processor";
import {
  InvalidTaskIdError, TaskApiRequestError, TaskClientConfigError, TaskFailedError, TaskNotFoundError,
  TasksWaitTimeoutError, TaskStatusClient, TaskWaitTimeoutError, isCompleted, type Task,
  TaskWebhookVerificationError, createTaskWebhookListener, verifyTaskWebhook, type TaskWebhook,
} from "@task-api/client";
import { TASK_STATUSES, type TaskStatus } from "@task-api/contract";

const writer = new TaskWriter({ tableName: "tasks", callTimeoutMs: 2000, maxAttempts: 2 });
// @ts-expect-error the call bound is a number of milliseconds
new TaskWriter({ tableName: "tasks", callTimeoutMs: "2s" });
const client = new TaskStatusClient({ endpoint: "http://127.0.0.1:3000", signing: "none" });
export async function work(id: string): Promise<TaskRecord> {
  await writer.start({
    TaskType: "image_watermarking", SourceBucket: "b", SourceKey: "k",
    CallbackUrl: "https://hooks.example.com/t", EstimatedSeconds: 30,
  });
  // @ts-expect-error EstimatedSeconds is a number of seconds
  await writer.start({ TaskType: "image_watermarking", SourceBucket: "b", SourceKey: "k", EstimatedSeconds: "30" });
  await writer.progress(id, 50);
  // @ts-expect-error progress needs a percentage
  await writer.progress(id);
  return writer.complete(id, { TargetKey: "out.png" });
}
export async function follow(id: string): Promise<TaskStatus | undefined> {
  const task: Task = await client.waitForTask(id, { maxWaitSeconds: 60 });
  // @ts-expect-error a wait needs maxWaitSeconds
  await client.waitForTask(id, {});
  return isCompleted(task) ? TASK_STATUSES[1] : (task.Status as TaskStatus | undefined);
}
export function receive(body: string, headers: Record<string, string>, secret: string): string {
  const delivery: TaskWebhook = verifyTaskWebhook(body, headers, secret);
  // @ts-expect-error a delivery's type is task.completed or task.failed
  const wrong: "task.started" = delivery.type;
  createTaskWebhookListener({ secret, onDelivery: (hook, webhookId) => hook.data.TaskId + webhookId + wrong });
  return delivery.data.TaskId;
}
export const errors: Error[] = [
  TaskWebhookVerificationError, TaskCallTimeoutError,
  InvalidTaskInputError, MalformedTaskRecordError, TaskAlreadyExistsError, TaskDeadlineExceededError,
  RecordNotFound, TaskOutOfOrderError, TaskTransitionError, InvalidTaskIdError, TaskApiRequestError,
  TaskClientConfigError, TaskFailedError, TaskNotFoundError, TasksWaitTimeoutError, TaskWaitTimeoutError,
].map((ErrorClass) => Object.create(ErrorClass.prototype) as Error);
`;

describe("the kits as users install them: npm pack, installed into an empty project", function () {
  this.timeout(600_000);
  const work = mkdtempSync(path.join(tmpdir(), "task-api-kits-"));
  const consumer = path.join(work, "consumer");
  let packed: Packed[] = [];
  let api: LocalApi;
  const inConsumer = (file: string, args: string[], env: Record<string, string> = {}) =>
    run(file, args, { cwd: consumer, env: { PATH: process.env.PATH ?? "", HOME: work, ...env } });

  before(async () => {
    const { stdout } = await run(
      "npm",
      ["pack", ...KITS.flatMap((kit) => ["--workspace", kit]), "--pack-destination", work, "--json"],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    packed = JSON.parse(stdout) as Packed[];
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, "package.json"), `${JSON.stringify({ name: "consumer", private: true })}\n`);
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", ...packed.map((p) => path.join(work, p.filename))],
      { cwd: consumer, maxBuffer: 16 * 1024 * 1024 },
    );
    api = await startLocalApi();
  });

  after(async () => {
    await api?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("packs each kit with its compiled JavaScript, types, source maps and LICENSE, and no tests", () => {
    expect(packed.map((p) => p.name)).to.deep.equal(["@task-api/contract", "@task-api/processor", "@task-api/client"]);
    for (const kit of packed) {
      const files = kit.files.map((f) => f.path);
      expect(files, kit.name).to.include.members([
        "LICENSE",
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/index.js.map",
        "dist/index.d.ts.map",
      ]);
      for (const file of files) expect(file, kit.name).to.not.match(/\.test\.|^tests?\//);
      const manifest = JSON.parse(
        readFileSync(path.join(ROOT, kit.name.replace("@task-api/", ""), "package.json"), "utf8"),
      );
      expect(manifest.private, kit.name).to.equal(undefined);
      expect(manifest.license, kit.name).to.equal("Apache-2.0");
    }
    // Versions move together: one version, and each kit takes exactly that contract.
    const version = JSON.parse(readFileSync(path.join(ROOT, "contract", "package.json"), "utf8")).version;
    for (const kit of ["processor", "client"]) {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, kit, "package.json"), "utf8"));
      expect([manifest.version, manifest.dependencies["@task-api/contract"]], kit).to.deep.equal([version, version]);
    }
    expect(packed.find((p) => p.name === "@task-api/processor")?.files.map((f) => f.path)).to.include(
      "bin/task-record.js",
    );
    expect(packed.find((p) => p.name === "@task-api/client")?.files.map((f) => f.path)).to.include(
      "bin/task-status.js",
    );
  });

  it("loads through import and through require, the same classes both ways", async () => {
    const names = Object.entries(CLASSES).flatMap(([kit, classes]) => classes.map((name) => `${kit}#${name}`));
    const script = `
      const { createRequire } = await import("node:module");
      const require = createRequire(process.cwd() + "/");
      const out = [];
      for (const entry of ${JSON.stringify(names)}) {
        const [kit, name] = entry.split("#");
        const imported = (await import(kit))[name];
        const required = require(kit)[name];
        out.push([entry, typeof imported, imported === required, imported.prototype instanceof Error || name.endsWith("Client") || name === "TaskWriter"]);
      }
      console.log(JSON.stringify(out));`;
    const { stdout } = await inConsumer(process.execPath, ["--input-type=module", "-e", script]);
    const results = JSON.parse(stdout) as Array<[string, string, boolean, boolean]>;
    expect(results.map(([entry]) => entry)).to.deep.equal(names);
    for (const [entry, type, same, shaped] of results)
      expect([entry, type, same, shaped]).to.deep.equal([entry, "function", true, true]);
  });

  for (const resolution of ["nodenext", "bundler"] as const) {
    it(`type-checks a user's file that uses every exported class, with "moduleResolution": "${resolution}"`, async () => {
      const file = resolution === "nodenext" ? "uses.mts" : "uses.ts";
      writeFileSync(path.join(consumer, file), USES);
      const tsconfig = `tsconfig.${resolution}.json`;
      writeFileSync(
        path.join(consumer, tsconfig),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2023"],
            module: resolution === "nodenext" ? "nodenext" : "esnext",
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            // The user's own @types/node; taken from this repository so that the project stays empty.
            typeRoots: [path.join(ROOT, "node_modules", "@types")],
            types: ["node"],
          },
          files: [file],
        }),
      );
      const result = await inConsumer(process.execPath, [TSC, "-p", tsconfig]).catch(
        (error: { stdout: string }) => error,
      );
      expect(result.stdout).to.equal("");
    });
  }

  it("runs npx task-record --help and npx task-status --help", async () => {
    const record = await inConsumer("npx", ["--no-install", "task-record", "--help"]);
    expect(record.stdout).to.match(/^usage: task-record start/);
    const status = await inConsumer("npx", ["--no-install", "task-status", "--help"]);
    expect(status.stdout).to.match(/^usage: task-status get/);
  });

  it("writes a task to DynamoDB Local with the installed kit, and reads it from the local server with the installed client", async () => {
    const script = `
      import { TaskWriter } from "@task-api/processor";
      import { TaskStatusClient } from "@task-api/client";
      const writer = new TaskWriter({ tableName: process.env.DDB_TABLE_NAME });
      const started = await writer.start({ TaskType: "document_conversion", SourceBucket: "media", SourceKey: "in.docx" });
      await writer.progress(started.TaskId, 40);
      await writer.fail(started.TaskId, "unsupported format", { errorCode: "UNSUPPORTED" });
      const client = new TaskStatusClient({ endpoint: process.env.API, signing: "none" });
      console.log(JSON.stringify(await client.getTask(started.TaskId)));`;
    const { stdout } = await inConsumer(process.execPath, ["--input-type=module", "-e", script], {
      ...api.env,
      API: api.base,
    });
    const task = JSON.parse(stdout);
    expect(task).to.include({ Status: "failed", ErrorMessage: "unsupported format", ErrorCode: "UNSUPPORTED" });
    expect(task.TaskId).to.match(/^[0-9a-f-]{36}$/);
  });

  it("verifies a signed delivery with the installed client's listener and refuses a forged one", async () => {
    // Signed with the standardwebhooks package the installed client itself depends on.
    const script = `
      import { createTaskWebhookListener, verifyTaskWebhook } from "@task-api/client";
      import { Webhook } from "standardwebhooks";
      const secret = "whsec_" + Buffer.alloc(32, 7).toString("base64");
      const got = [];
      const server = createTaskWebhookListener({ secret, onDelivery: (hook, id) => got.push([hook.type, hook.data.TaskId, id]) });
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = "http://127.0.0.1:" + server.address().port + "/";
      const body = JSON.stringify({ type: "task.completed", timestamp: new Date().toISOString(), data: { TaskId: "t-1", Status: "completed" } });
      const id = "task_completed_t-1";
      const now = new Date();
      const signature = new Webhook(secret).sign(id, now, body);
      const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": signature };
      const good = await fetch(url, { method: "POST", headers, body });
      const forged = await fetch(url, { method: "POST", headers, body: body.replace("t-1", "t-2") });
      server.close();
      console.log(JSON.stringify({ good: good.status, forged: forged.status, got, direct: verifyTaskWebhook(body, headers, secret).data.TaskId }));`;
    const { stdout } = await inConsumer(process.execPath, ["--input-type=module", "-e", script]);
    expect(JSON.parse(stdout)).to.deep.equal({
      good: 204,
      forged: 401,
      got: [["task.completed", "t-1", "task_completed_t-1"]],
      direct: "t-1",
    });
  });

  it("has no problem publint or Are the Types Wrong finds in any tarball", async () => {
    for (const kit of packed) {
      const tarball = path.join(work, kit.filename);
      const lint = await run(bin("publint"), ["run", tarball, "--strict"]);
      expect(lint.stdout, kit.name).to.include("All good!");
      // ESM only, which Node >= 22.12 also require()s (engines): the esm-only profile leaves out
      // CJSResolvesToESM, a problem only before that, and fails (a non-zero exit) on any other.
      const types = await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "json"]).catch(
        (error: { stdout: string; code: number }) => error,
      );
      const report = JSON.parse(types.stdout) as { analysis: { problems: Array<{ kind: string }> } };
      expect(
        report.analysis.problems.filter((p) => p.kind !== "CJSResolvesToESM"),
        kit.name,
      ).to.deep.equal([]);
      expect("code" in types ? types.code : 0, kit.name).to.equal(0);
    }
  });
});
