import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { LOCAL_REGION } from "../../local/embeddedBackends";
import { EMULATOR_CREDENTIALS } from "../../local/emulators";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { sharedBackends } from "../helpers/sharedBackends";

/** Java processes running DynamoDB Local that are children of `pid`. */
function dynamoDbLocalChildrenOf(pid: number): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, ...args]) => Number(ppid) === pid && args.join(" ").includes("DynamoDBLocal.jar"))
    .map(([childPid]) => Number(childPid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a task with a 1 s heartbeat on the served table, and waits (bounded) for the server's sweeper to fail it after the grace. */
async function expectSweptOn(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  try {
    const writer = new TaskWriter({ tableName, client });
    const { TaskId } = await writer.start(
      { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "a.pdf" },
      { heartbeatSeconds: 1 },
    );
    const documents = DynamoDBDocumentClient.from(client);
    const read = async () =>
      (await documents.send(new GetCommand({ TableName: tableName, Key: { TaskId }, ConsistentRead: true }))).Item;
    const deadline = Date.now() + 30_000;
    let item = await read();
    while (item?.Status === "processing" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      item = await read();
    }
    expect(item).to.include({ Status: "failed", ErrorCode: "DEADLINE_EXCEEDED" });
  } finally {
    client.destroy();
  }
}

describe("npm start (local/main.ts)", function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let stderr = "";
  let base: string;

  before(async () => {
    // The least grace a stack may have, so that the sweep test waits as little as it can.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      SWEEP_INTERVAL_SECONDS: "1",
      DEADLINE_GRACE_SECONDS: "5",
    };
    for (const name of ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "DDB_TABLE_NAME", "TARGET_BUCKETS"]) {
      delete env[name];
    }
    // node --import tsx: the same thing `npm start` runs, without npm's extra process in between.
    child = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], { env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    base = await until("the ready line", () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1], 90_000);
  });
  after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("prints a ready-to-paste curl line for each of the spec's examples, and no SDK deprecation warning", () => {
    expect(stderr).to.not.include("NodeVersionSupportWarning");
    for (const task of Object.values(SPEC_EXAMPLE_TASKS)) {
      expect(stderr).to.include(`curl -s ${base}/task/${task.TaskId}`);
    }
  });

  it("serves the seeded spec examples over HTTP, with a URL that downloads", async () => {
    const completed = await fetch(`${base}/task/${SPEC_EXAMPLE_TASKS.completed.TaskId}`);
    expect(completed.status).to.equal(200);
    const body = (await completed.json()) as Record<string, unknown>;
    expect(body).to.include(SPEC_EXAMPLE_TASKS.completed);
    const download = await fetch(String(body.TargetObjectURL));
    expect(download.status).to.equal(200);
    expect(download.headers.get("content-type")).to.equal("image/png");

    const failed = await fetch(`${base}/task/${SPEC_EXAMPLE_TASKS.failed.TaskId}`);
    expect(await failed.json()).to.deep.equal(SPEC_EXAMPLE_TASKS.failed);
    const missing = await fetch(`${base}/task/nope`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.deep.equal({ error: "Task not found: nope" });
  });

  it("runs the deadline sweeper on its timer: a task that stops reporting is failed in the table", async () => {
    const endpoint = /DynamoDB Local (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1] ?? expect.fail(stderr);
    const table = /table (\S+)/.exec(stderr)?.[1] ?? expect.fail(stderr);
    await expectSweptOn(endpoint, table);
  });

  it("its printed recipe works as printed: task-record in terminal A, task-status listen in B receives the signed webhook", async () => {
    // The lines as a user copies them: the writer's environment, the listener with the printed
    // secret, and the task-record commands (on a free port instead of 4000, and another task ID).
    const exported = /^ {4}export (.+)$/m.exec(stderr)?.[1] ?? expect.fail(stderr);
    const writerEnv = Object.fromEntries(exported.split(" ").map((pair) => pair.split("=", 2) as [string, string]));
    const listenLine = /^ {4}WEBHOOK_SIGNING_SECRET=(\S+) npx task-status listen --port 4000$/m.exec(stderr);
    const secret = listenLine?.[1] ?? expect.fail(stderr);
    const taskId = `recipe-${process.pid}`;
    const commands = ["start", "progress", "complete"].map((verb) => {
      const line = new RegExp(`^ {4}npx task-record ${verb} (.+)$`, "m").exec(stderr)?.[1] ?? expect.fail(stderr);
      return [verb, ...line.replaceAll("demo-1", taskId).split(" ")];
    });
    const cleanEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    const listener = spawn("npx", ["--no-install", "task-status", "listen", "--port", "0", "--count", "1"], {
      env: { ...cleanEnv, WEBHOOK_SIGNING_SECRET: secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let listened = "";
    let heard = "";
    listener.stderr?.on("data", (chunk: Buffer) => {
      listened += chunk.toString();
    });
    listener.stdout?.on("data", (chunk: Buffer) => {
      heard += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => listener.once("exit", resolve));
    try {
      const port = await until(
        "the listener",
        () => /listening for task webhooks on http:\/\/127\.0\.0\.1:(\d+)\//.exec(listened)?.[1],
        30_000,
      );
      for (const [verb, ...args] of commands) {
        const extra = verb === "start" ? ["--callback-url", `http://127.0.0.1:${port}/`] : [];
        execFileSync("npx", ["--no-install", "task-record", verb ?? "", ...args, ...extra], {
          env: { ...cleanEnv, ...writerEnv },
          stdio: "pipe",
        });
      }
      expect(await exited, listened).to.equal(0);
      const delivery = JSON.parse(heard.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
      expect(JSON.stringify(delivery)).to.include(taskId).and.include("task.completed");
    } finally {
      if (listener.exitCode === null) listener.kill("SIGKILL");
    }
  });

  it("stops everything it started, Java included, on Ctrl-C (SIGINT)", async () => {
    const pid = child.pid ?? expect.fail("no pid");
    const javaPids = dynamoDbLocalChildrenOf(pid);
    expect(javaPids).to.have.length(1);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).to.equal(0);
    for (const javaPid of javaPids)
      await until(`java ${javaPid} to exit`, () => (isRunning(javaPid) ? undefined : true), 15_000);
  });
});

/** `node --import tsx local/main.ts` against an external table, started once its ready line is out; its stderr so far. */
async function startExternal(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; stderr: () => string }> {
  let stderr = "";
  const child = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
    env: { ...process.env, ...env, PORT: "0" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await until("the ready line", () => (/listening on/.test(stderr) ? true : undefined), 30_000);
  return { child, stderr: () => stderr };
}

describe("npm start against an external table (AWS_ENDPOINT_URL_DYNAMODB and DDB_TABLE_NAME set)", function () {
  this.timeout(60_000);
  let server: Awaited<ReturnType<typeof startExternal>>;

  before(async () => {
    const backends = await sharedBackends();
    server = await startExternal({ ...backends.env, SWEEP_INTERVAL_SECONDS: "1", DEADLINE_GRACE_SECONDS: "5" });
  });
  after(() => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("starts nothing of its own and sweeps that table on its timer", async () => {
    expect(server.stderr()).to.include("(external: nothing started or seeded)");
    expect(server.stderr()).to.include("deadline sweeper every 1 s");
    const backends = await sharedBackends();
    await expectSweptOn(backends.env.AWS_ENDPOINT_URL_DYNAMODB, backends.env.DDB_TABLE_NAME);
  });
});

describe("npm start against an external table without a stream", function () {
  this.timeout(60_000);
  let server: Awaited<ReturnType<typeof startExternal>>;
  const tableName = `no-stream-${process.pid}`;

  before(async () => {
    const backends = await sharedBackends();
    // A table made by hand, as a user's might be: its key only, no stream to follow.
    await backends.dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "TaskId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "TaskId", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    server = await startExternal({ ...backends.env, DDB_TABLE_NAME: tableName });
  });
  after(() => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("serves the table and says webhooks are off, instead of failing to start", async () => {
    const stderr = server.stderr();
    expect(stderr).to.include(`webhooks off: table ${tableName} has no stream to follow`);
    expect(stderr).to.not.include("WEBHOOK_SIGNING_SECRET=");
    const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1] ?? expect.fail(stderr);
    expect((await fetch(`${base}/task/nope`)).status).to.equal(404);
  });
});
