import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  BATCH_GET_PATH,
  BATCH_GET_ROUTE_KEY,
  FUNCTION_MEMORY_MB,
  FUNCTION_TIMEOUT_SECONDS,
  TASK_ROUTE_KEY,
} from "@task-api/contract";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { TaskStatusHandler } from "../handler/httpAdapter";

// The route key's path as a pattern: one non-empty segment after /task/.
const ROUTE = /^\/task\/([^/]+)$/;

/**
 * Serves a Lambda handler the way an API Gateway HTTP API with the routes `GET /task/{task_id}`
 * and `POST /tasks/batch-get` would: matching requests become payload-2.0 events, everything else
 * gets API Gateway's own 404.
 */
export function createLocalApiServer(handler: TaskStatusHandler): Server {
  return createServer((request, response) => {
    serve(handler, request, response).catch(() => {
      if (!response.headersSent) writeJson(response, 500, { message: "Internal Server Error" });
      else response.destroy();
    });
  });
}

async function serve(handler: TaskStatusHandler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  // The path as sent: WHATWG URL parsing would collapse dot segments, even percent-encoded ones
  // (/task/%2E%2E), and hand the route something the caller never asked for.
  const rawPath = (request.url ?? "/").split("?")[0] ?? "/";
  const segment = ROUTE.exec(rawPath)?.[1];
  let event: APIGatewayProxyEventV2;
  if (request.method === "GET" && segment !== undefined) {
    event = toEvent(request, url, rawPath, { routeKey: TASK_ROUTE_KEY, taskId: decodePathSegment(segment) });
  } else if (request.method === "POST" && rawPath === `/${BATCH_GET_PATH}`) {
    event = toEvent(request, url, rawPath, { routeKey: BATCH_GET_ROUTE_KEY, body: await readBody(request) });
  } else {
    writeJson(response, 404, { message: "Not Found" });
    return;
  }
  const result = await handler(event, lambdaContext());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.body ?? "");
}

/** A request body as API Gateway hands it over: text, or base64 for bytes that are not UTF-8. */
async function readBody(request: IncomingMessage): Promise<{ text: string; base64: boolean }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes)
    ? { text, base64: false }
    : { text: bytes.toString("base64"), base64: true };
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  rawPath: string,
  route: { routeKey: string; taskId?: string; body?: { text: string; base64: boolean } },
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search === "" ? {} : { queryStringParameters: query }),
    ...(route.taskId === undefined ? {} : { pathParameters: { task_id: route.taskId } }),
    ...(route.body === undefined ? {} : { body: route.body.text }),
    isBase64Encoded: route.body?.base64 ?? false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method: request.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}

/** API Gateway hands path parameters to the function percent-decoded. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function lambdaContext(): Context {
  const deadline = Date.now() + FUNCTION_TIMEOUT_SECONDS * 1000;
  const unsupported = () => {
    throw new Error("callback-style completion is not used by this handler");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "task-api-local",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:task-api-local",
    memoryLimitInMB: String(FUNCTION_MEMORY_MB),
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/task-api-local",
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

function writeJson(response: ServerResponse, statusCode: number, body: object): void {
  response.writeHead(statusCode, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
