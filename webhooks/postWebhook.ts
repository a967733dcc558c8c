import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./addressGuard";

/** The most of a receiver's answer the sender reads: its status is what counts; the body is only logged. */
export const ANSWER_READ_LIMIT_BYTES = 4096;

/** What one POST came to: the receiver's status and the start of its body, or why there was none. */
export type PostResult = { kind: "answered"; status: number; body: string } | { kind: "no-answer"; reason: string };

/**
 * POSTs `body` to `url`, connecting to `address` (already checked) whatever DNS says now: the
 * socket's lookup is pinned to it, while TLS still verifies the certificate for the URL's host
 * (SNI and the name check use the host, not the address). Follows no redirect (a 3xx is an
 * answer like any other), reads at most ANSWER_READ_LIMIT_BYTES of the body, and gives up at
 * `signal`.
 */
export function postWebhook(args: {
  url: URL;
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}): Promise<PostResult> {
  const { url, address } = args;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...args.headers, "content-length": String(Buffer.byteLength(args.body)) },
        lookup: pinned,
        signal: args.signal,
        // One connection per delivery: nothing is reused across receivers or attempts.
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const done = () => {
          finish({ kind: "answered", status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
          res.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          const room = ANSWER_READ_LIMIT_BYTES - read;
          chunks.push(chunk.subarray(0, Math.max(0, room)));
          read += chunk.length;
          if (read >= ANSWER_READ_LIMIT_BYTES) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    req.on("error", (error: Error) => {
      finish({
        kind: "no-answer",
        reason: args.signal.aborted ? "no answer in time" : `${error.name}: ${error.message}`,
      });
    });
    req.end(args.body);
  });
}
