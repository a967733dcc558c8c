/**
 * `npm run measure:polling`: what conditional requests save a caller, measured on the local
 * server over the emulators. Polls each of the spec's examples N times, once with plain GETs and
 * once as the client does (If-None-Match with the last ETag), and counts the bytes of every
 * response (status line, headers and body) as they arrive on the socket.
 */
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { loadHandlerConfig } from "../handler/config";
import { createHandler } from "../handler/createHandler";
import { startEmbeddedBackends } from "../local/embeddedBackends";
import { createLocalApiServer } from "../local/localApiServer";
import { SPEC_EXAMPLE_TASKS } from "../local/specExamples";

const POLLS = Number(process.env.POLLS ?? "100");

interface Poll {
  status: number;
  bytes: number;
  etag: string | undefined;
}

function poll(base: string, taskId: string, etag: string | undefined): Promise<Poll> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/task/${taskId}`,
      { headers: etag === undefined ? {} : { "if-none-match": etag } },
      (res) => {
        let bytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          bytes += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`.length;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, etag: res.headers.etag }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const backends = await startEmbeddedBackends();
  Object.assign(process.env, backends.env);
  const server = createLocalApiServer(
    createHandler(loadHandlerConfig(process.env), {
      addContext() {},
      appendKeys() {},
      resetKeys() {},
      debug() {},
      info() {},
      warn() {},
      error() {},
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    console.log(`${POLLS} polls of each example task, plain GET vs If-None-Match`);
    console.log("task              plain bytes  conditional bytes  full answers  304s  saved");
    for (const [name, task] of Object.entries(SPEC_EXAMPLE_TASKS)) {
      let plain = 0;
      for (let i = 0; i < POLLS; i += 1) plain += (await poll(base, task.TaskId, undefined)).bytes;
      let conditional = 0;
      let full = 0;
      let etag: string | undefined;
      for (let i = 0; i < POLLS; i += 1) {
        const answer = await poll(base, task.TaskId, etag);
        conditional += answer.bytes;
        if (answer.status === 200) full += 1;
        etag = answer.etag ?? etag;
      }
      const saved = ((1 - conditional / plain) * 100).toFixed(0);
      console.log(
        `${name.padEnd(16)}  ${String(plain).padStart(11)}  ${String(conditional).padStart(17)}  ${String(full).padStart(12)}  ${String(POLLS - full).padStart(4)}  ${saved}%`,
      );
    }
  } finally {
    server.closeAllConnections();
    server.close();
    await backends.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
