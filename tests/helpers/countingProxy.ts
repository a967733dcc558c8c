import { startFaultProxy } from "../../scripts/chaos/faultProxy";

/** A loopback HTTP proxy to one upstream that counts the requests it forwards. */
export interface CountingProxy {
  endpoint: string;
  /** The X-Amz-Target of every forwarded request (e.g. "DynamoDB_20120810.GetItem"). */
  readonly targets: string[];
  close(): Promise<void>;
}

/** The fault proxy with a plan that passes everything on, noting each request's target. */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const targets: string[] = [];
  const proxy = await startFaultProxy(
    () => upstream,
    (request) => {
      targets.push(request.target);
      return { kind: "pass" };
    },
  );
  return { endpoint: proxy.endpoint, targets, close: () => proxy.close() };
}
