import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A loopback HTTP server that plays answers in order (the last one repeats) and records requests. */
export interface ScriptedServer {
  endpoint: string;
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

export async function startScriptedServer(answers: ScriptedAnswer[]): Promise<ScriptedServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)] ?? { status: 500 };
    const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
    response.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
