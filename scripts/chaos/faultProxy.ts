/**
 * A loopback HTTP proxy to DynamoDB (Local) that does to each request what its plan says: pass it
 * on, delay it, hold it until released, forward it and drop the answer (a write that took effect
 * but was never acknowledged), reset the connection, or hang (never answer). `npm run chaos`
 * drives it with a random plan; the deadline tests with a fixed one. It also refuses connections
 * while `refusing` is set (it stops listening).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { kind: "pass" }
  | { kind: "delay"; ms: number }
  | { kind: "hold" }
  | { kind: "dropAnswer" }
  | { kind: "reset" }
  | { kind: "hang" };

/** What the plan sees of a request: its X-Amz-Target (or method and path), operation and body. */
export interface ProxiedRequest {
  /** "DynamoDB_20120810.GetItem", or "GET /" for a request without one. */
  target: string;
  /** The target's last part: "GetItem". */
  operation: string;
  body: string;
}

export interface FaultProxy {
  endpoint: string;
  /** Forwards every held request, in the order held. */
  release(): void;
  /** How many requests are held now. */
  held(): number;
  /** Each fault applied, by kind. */
  readonly applied: Record<Fault["kind"], number>;
  /** Stops listening (new connections are refused) for `ms`, then listens again on the same port. */
  refuseFor(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(
  upstream: () => string,
  plan: (request: ProxiedRequest) => Fault,
): Promise<FaultProxy> {
  const applied: Record<Fault["kind"], number> = { pass: 0, delay: 0, hold: 0, dropAnswer: 0, reset: 0, hang: 0 };
  const holding: Array<() => void> = [];
  const hanging = new Set<ServerResponse>();

  const forward = (incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse, dropAnswer: boolean) => {
    const target = new URL(upstream());
    const forwarded = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        if (dropAnswer) {
          // The table has taken the write; its answer never reaches the writer.
          answer.resume();
          answer.on("end", () => outgoing.socket?.destroy());
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.socket?.destroy());
    forwarded.end(body);
  };

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = String(incoming.headers["x-amz-target"] ?? `${incoming.method} ${incoming.url}`);
      const fault = plan({ target, operation: target.split(".").pop() ?? target, body: body.toString("utf8") });
      applied[fault.kind] += 1;
      switch (fault.kind) {
        case "pass":
          return forward(incoming, body, outgoing, false);
        case "delay":
          setTimeout(() => forward(incoming, body, outgoing, false), fault.ms);
          return;
        case "hold":
          holding.push(() => forward(incoming, body, outgoing, false));
          return;
        case "dropAnswer":
          return forward(incoming, body, outgoing, true);
        case "reset":
          outgoing.socket?.destroy();
          return;
        case "hang":
          hanging.add(outgoing);
          outgoing.on("close", () => hanging.delete(outgoing));
          return;
      }
    });
  };

  let server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = async (s: Server) => {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    release: () => {
      for (const send of holding.splice(0)) send();
    },
    held: () => holding.length,
    applied,
    refuseFor: async (ms) => {
      await stop(server);
      await new Promise((resolve) => setTimeout(resolve, ms));
      server = createServer(handle);
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    close: async () => {
      for (const response of hanging) response.socket?.destroy();
      await stop(server);
    },
  };
}
