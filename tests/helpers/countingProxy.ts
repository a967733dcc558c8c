import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback HTTP proxy to one upstream that counts the requests it forwards. */
export interface CountingProxy {
  endpoint: string;
  /** The X-Amz-Target of every forwarded request (e.g. "DynamoDB_20120810.GetItem"). */
  readonly targets: string[];
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const targets: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    targets.push(String(incoming.headers["x-amz-target"] ?? `${incoming.method} ${incoming.url}`));
    const forwarded = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
