import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { HandlerConfig } from "../../handler/config";
import type { StoredTask } from "../../handler/storedTask";
import type { TaskStatusServiceDeps } from "../../handler/taskStatusService";
import { InMemoryTaskRepository, RecordingSigner } from "./fakes";
import { RecordingLogger } from "./recordingLogger";

/** A stored task as a document processor writes it once done; override any attribute. */
export function makeStoredTask(overrides: Record<string, unknown> = {}): StoredTask {
  return {
    TaskId: "1234-5678-9012",
    Status: "completed",
    SourceKey: "original/document.pdf",
    TargetKey: "processed/document.png",
    SourceBucket: "media-bucket",
    TargetBucket: "media-bucket",
    TaskType: "document",
    Created_at: "2024-01-01T00:00:00Z",
    Updated_at: "2024-01-01T00:00:05Z",
    ...overrides,
  };
}

/** An API Gateway HTTP API (payload 2.0) event for GET /task/{task_id}; null leaves out pathParameters. */
export function makeEvent(
  pathParameters: Record<string, string> | null = { task_id: "1234-5678-9012" },
): APIGatewayProxyEventV2 {
  const taskId = pathParameters?.task_id ?? "";
  return {
    version: "2.0",
    routeKey: "GET /task/{task_id}",
    rawPath: `/task/${taskId}`,
    rawQueryString: "",
    headers: { host: "api.example.com" },
    ...(pathParameters === null ? {} : { pathParameters }),
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: {
        method: "GET",
        path: `/task/${taskId}`,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "test",
      },
      requestId: "api-request-1",
      routeKey: "GET /task/{task_id}",
      stage: "$default",
      time: "28/Nov/2026:11:00:00 +0000",
      timeEpoch: 1795863600000,
    },
  };
}

/** A Lambda context whose time (the spec's 5 s by default) counts down from now. */
export function makeContext(awsRequestId = "lambda-request-1", remainingMs = 5000): Context {
  const deadline = Date.now() + remainingMs;
  const unused = () => undefined;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "task-api",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:task-api",
    memoryLimitInMB: "128",
    awsRequestId,
    logGroupName: "/aws/lambda/task-api",
    logStreamName: "stream",
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: unused,
    fail: unused,
    succeed: unused,
  };
}

/** A valid handler config; override any field. */
export function makeConfig(overrides: Partial<HandlerConfig> = {}): HandlerConfig {
  return {
    tableName: "tasks",
    targetBuckets: [{ bucket: "media-bucket", prefix: "" }],
    urlTtlSeconds: 3600,
    pollIntervalSeconds: 2,
    deadlineGraceSeconds: 10,
    region: "us-east-1",
    s3Endpoint: undefined,
    serviceName: "task-api",
    ...overrides,
  };
}

/**
 * TaskStatusService dependencies (media-bucket signable, 1 h URLs, 2 s polls), in memory. The
 * deadline grace is 0 here, so that the deadline rules read at their instant; the grace's own
 * tests set it.
 */
export function makeServiceDeps(overrides: Partial<TaskStatusServiceDeps> = {}): TaskStatusServiceDeps {
  return {
    repository: InMemoryTaskRepository.of(),
    signer: new RecordingSigner(),
    signableTargets: [{ bucket: "media-bucket", prefix: "" }],
    urlTtlSeconds: 3600,
    pollIntervalSeconds: 2,
    deadlineGraceSeconds: 0,
    logger: new RecordingLogger(),
    ...overrides,
  };
}
