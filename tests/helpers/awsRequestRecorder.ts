/**
 * Records every AWS request the project's own code sends while the tests run (mocha root hook
 * module, loaded through .mocharc's `require` before any test file): the SDK operation and its
 * input, through a middleware added to each SDK client on its first `send`; each presigned URL the
 * function signs (S3's GetObject on its object, by the signer's principal); each request the
 * callers' client sends to the API (execute-api:Invoke on its route). Which part of the project
 * sent it is read off the call stack at `send`: the innermost frame in one of the component
 * folders. Only tests install any of this; production code is untouched.
 *
 * The requests are checked against the policies the program attaches to each principal after the
 * last test (tests/helpers/recordedRequestsAllowed.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import { S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { Client } from "@smithy/core/client";
import type { HttpRequest } from "@smithy/types";

/** The parts of the project that send AWS requests as a principal of their own. */
export type Component = "function" | "sweeper" | "sender" | "processor" | "republish" | "redeliver" | "caller";

/** One request as it left the project's code. */
export interface RecordedRequest {
  component: Component;
  /** The SigV4 signing name: the IAM service prefix (dynamodb, s3, events, execute-api). */
  service: string;
  /** The operation as the SDK names it (GetItem, BatchGetItem); for the API, its HTTP method. */
  operation: string;
  /** The operation's input as sent (DynamoDB's attribute-value form); for S3 and the API, what the URL names. */
  input: Record<string, unknown>;
  /** The file that sent it, relative to the repository. */
  sentBy: string;
}

const ROOT = path.resolve(__dirname, "../..");
const recorded: RecordedRequest[] = [];
const sender = new AsyncLocalStorage<{ component: Component; file: string }>();
const instrumented = new WeakSet<object>();

/** Every request recorded so far, in the order sent. */
export function recordedRequests(): readonly RecordedRequest[] {
  return recorded;
}

/**
 * The component a source file belongs to: its top folder, and in processor/ the module that runs
 * as its own principal (republish is an operator's command; create-table makes a table for
 * DynamoDB Local and is no principal of a deployed stack). Tests, local/ and scripts/ are no
 * principal either: they seed and serve the emulators.
 */
export function componentOf(file: string): Component | undefined {
  const [top, name] = file.split("/");
  switch (top) {
    case "handler":
      return "function";
    case "sweeper":
      return "sweeper";
    case "webhooks":
      return "sender";
    case "client":
      return "caller";
    case "processor":
      if (name === "republishTaskEvent.ts") return "republish";
      if (name === "redeliverTaskWebhook.ts") return "redeliver";
      if (name === "createTaskTable.ts") return undefined;
      return "processor";
    default:
      return undefined;
  }
}

/**
 * The innermost frame of the current call stack in this repository (outside node_modules and
 * tests/helpers); a frame in webhooks/ anywhere on the stack wins, since the sender runs the
 * handler's repository and signer as its own principal.
 */
function callingFile(): string | undefined {
  const stack = new Error().stack ?? "";
  const sender = /\(?((?:file:\/\/)?\/[^():]+\/webhooks\/[^():/]+\.ts):\d+:\d+\)?/
    .exec(stack)?.[1]
    ?.replace(/^file:\/\//, "");
  if (sender?.startsWith(`${ROOT}/webhooks/`)) return path.relative(ROOT, sender);
  for (const line of stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?$/.exec(line.trim());
    const file = match?.[1]?.replace(/^file:\/\//, "");
    if (file === undefined || !file.startsWith(`${ROOT}/`) || file.includes("/node_modules/")) continue;
    const relative = path.relative(ROOT, file);
    if (relative.startsWith("tests/helpers/awsRequestRecorder")) continue;
    return relative;
  }
  return undefined;
}

function record(component: Component, file: string, request: Omit<RecordedRequest, "component" | "sentBy">): void {
  recorded.push({ component, sentBy: file, ...request });
}

interface SmithyContext {
  __smithy_context?: {
    operation?: string;
    selectedHttpAuthScheme?: { httpAuthOption?: { signingProperties?: { name?: string } } };
  };
}

/** A build-step middleware that records the request under the component that sent it. */
function addRecordingMiddleware(client: Client<unknown, never, never, never>): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const from = sender.getStore();
      const smithy = (context as SmithyContext).__smithy_context;
      const service = smithy?.selectedHttpAuthScheme?.httpAuthOption?.signingProperties?.name;
      const operation = smithy?.operation;
      if (from !== undefined && service !== undefined && operation !== undefined) {
        record(from.component, from.file, { service, operation, input: args.input as Record<string, unknown> });
      }
      return next(args);
    },
    { step: "build", name: "recordAwsRequest", override: true },
  );
}

const send = Client.prototype.send;
Client.prototype.send = function recordingSend(this: Client<unknown, never, never, never>, ...args: unknown[]) {
  if (!instrumented.has(this.middlewareStack)) {
    instrumented.add(this.middlewareStack);
    addRecordingMiddleware(this);
  }
  const file = callingFile();
  const component = file === undefined ? undefined : componentOf(file);
  const call = () => (send as (...a: unknown[]) => unknown).apply(this, args);
  return component === undefined || file === undefined ? call() : sender.run({ component, file }, call);
} as typeof Client.prototype.send;

// A presigned GET is authorized, when it is used, as s3:GetObject on its object by the signer.
const presign = S3RequestPresigner.prototype.presign;
S3RequestPresigner.prototype.presign = function recordingPresign(
  this: S3RequestPresigner,
  request: HttpRequest,
  ...rest: unknown[]
) {
  const file = callingFile();
  const component = file === undefined ? undefined : componentOf(file);
  if (component !== undefined && file !== undefined) {
    record(component, file, { service: "s3", operation: "GetObject", input: objectOf(request) });
  }
  return (presign as (...a: unknown[]) => ReturnType<typeof presign>).call(this, request, ...rest);
} as typeof S3RequestPresigner.prototype.presign;

/** Bucket and key of a GET: virtual-hosted (<bucket>.s3.<region>.amazonaws.com) or path-style. */
function objectOf(request: HttpRequest): { Bucket: string; Key: string } {
  const virtualHost = /^(.+)\.s3\.[a-z0-9-]+\.amazonaws\.com$/.exec(request.hostname);
  const segments = request.path.replace(/^\//, "").split("/");
  const [bucket, ...key] = virtualHost?.[1] === undefined ? segments : [virtualHost[1], ...segments];
  return { Bucket: bucket ?? "", Key: decodeURIComponent(key.join("/")) };
}

// The callers' client reaches the API over HTTP; API Gateway authorizes each request as
// execute-api:Invoke on <apiId>/<stage>/<METHOD>/<path>.
const originalFetch = globalThis.fetch;
globalThis.fetch = function recordingFetch(input: Parameters<typeof fetch>[0], init?: RequestInit) {
  const file = callingFile();
  const component = file === undefined ? undefined : componentOf(file);
  if (component === "caller" && file !== undefined) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    record(component, file, {
      service: "execute-api",
      operation: "Invoke",
      input: { Method: method, Path: url.pathname },
    });
  }
  return originalFetch(input, init);
};
