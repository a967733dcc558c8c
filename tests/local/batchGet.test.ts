import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { BATCH_GET_MESSAGES, TASK_ID_RULE } from "@task-api/contract";
import { TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { freePort } from "../../local/emulators";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { recomputePresignedSignature } from "../helpers/independentSigV4";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { OpenApiContract } from "../helpers/openApiContract";
import { sharedBackends } from "../helpers/sharedBackends";

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

const contract = new OpenApiContract();

/** One POST, whose answer must keep openapi.yaml's contract for the route, whatever it is. */
async function post(api: LocalApi, body: string, contentType = "application/json"): Promise<Answer> {
  const response = await fetch(`${api.base}/tasks/batch-get`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  const text = await response.text();
  expect(contract.check("/tasks/batch-get", "post", response.status, response.headers, text)).to.deep.equal([]);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> };
}

const batch = (api: LocalApi, taskIds: unknown) => post(api, JSON.stringify({ TaskIds: taskIds }));

/**
 * A stand-in DynamoDB in front of DynamoDB Local that leaves every key of the first `refusals`
 * BatchGetItem calls unprocessed (as DynamoDB does when throttled), and passes everything else on.
 */
async function startStingyDynamoDb(target: string, refusals: number) {
  let batchCalls = 0;
  const server = createServer((incoming: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      if (String(incoming.headers["x-amz-target"]).endsWith(".BatchGetItem")) {
        batchCalls += 1;
        if (batchCalls <= refusals) {
          const { RequestItems } = JSON.parse(body.toString()) as { RequestItems: Record<string, unknown> };
          response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
          response.end(
            JSON.stringify({
              Responses: Object.fromEntries(Object.keys(RequestItems).map((table) => [table, []])),
              UnprocessedKeys: RequestItems,
            }),
          );
          return;
        }
      }
      const { hostname, port } = new URL(target);
      const forward = httpRequest(
        { hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(response);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get batchCalls() {
      return batchCalls;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("POST /tasks/batch-get on the local server", function () {
  this.timeout(60_000);
  let api: LocalApi;
  const apis: LocalApi[] = [];
  const { completed, processing, failed, deblindwatermark } = SPEC_EXAMPLE_TASKS;

  before(async () => {
    api = await startLocalApi();
    apis.push(api);
  });
  after(async () => {
    for (const started of apis) await started.close();
  });

  it("answers the spec's examples exactly as GET does, in the order asked, with unknown IDs in NotFound", async () => {
    const asked = [
      deblindwatermark.TaskId,
      "no-such-1",
      completed.TaskId,
      processing.TaskId,
      "no-such-2",
      failed.TaskId,
    ];
    const answer = await batch(api, asked);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("cache-control")).to.equal("no-store");
    expect(answer.body.NotFound).to.deep.equal(["no-such-1", "no-such-2"]);
    const tasks = answer.body.Tasks as Array<Record<string, unknown>>;
    expect(tasks.map((t) => t.TaskId)).to.deep.equal([
      deblindwatermark.TaskId,
      completed.TaskId,
      processing.TaskId,
      failed.TaskId,
    ]);
    for (const task of tasks) {
      const single = (await (await fetch(`${api.base}/task/${String(task.TaskId)}`)).json()) as Record<string, unknown>;
      expect(task, String(task.TaskId)).to.deep.equal(single);
    }
    // The completed task's URL is signed as the single GET's: recomputed with an independent SigV4.
    const url = String(tasks[1]?.TargetObjectURL);
    expect(new URL(url).searchParams.get("X-Amz-Signature")).to.equal(
      recomputePresignedSignature(
        url,
        { accessKeyId: api.env.AWS_ACCESS_KEY_ID ?? "", secretAccessKey: api.env.AWS_SECRET_ACCESS_KEY ?? "" },
        api.env.AWS_REGION ?? "",
      ),
    );
    // The processing example is unfinished: its poll hint is the batch's Retry-After.
    const single = await fetch(`${api.base}/task/${processing.TaskId}`);
    expect(answer.headers.get("retry-after")).to.equal(single.headers.get("retry-after"));
  });

  it("answers a duplicated ID once, and no Retry-After when every task asked for is finished", async () => {
    const answer = await batch(api, [completed.TaskId, failed.TaskId, completed.TaskId]);
    expect((answer.body.Tasks as Array<{ TaskId: string }>).map((t) => t.TaskId)).to.deep.equal([
      completed.TaskId,
      failed.TaskId,
    ]);
    expect(answer.headers.get("retry-after")).to.equal(null);
  });

  it("takes 100 IDs in one request", async () => {
    const backends = await sharedBackends();
    const writer = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo });
    const ids = Array.from({ length: 100 }, (_, i) => `batch-${process.pid}-${i}`);
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids
          .slice(i, i + 25)
          .map((TaskId) =>
            writer.start({ TaskId, TaskType: "document", SourceBucket: "media-bucket", SourceKey: "a.pdf" }),
          ),
      );
    }
    const answer = await batch(api, ids);
    expect(answer.status).to.equal(200);
    expect((answer.body.Tasks as Array<{ TaskId: string }>).map((t) => t.TaskId)).to.deep.equal(ids);
    expect(answer.body.NotFound).to.deep.equal([]);
  });

  const refusals: Array<[string, () => Promise<Answer>, number, string]> = [
    ["a body that is not JSON", () => post(api, "{TaskIds: [1]"), 400, BATCH_GET_MESSAGES.notJson],
    ["no TaskIds", () => post(api, JSON.stringify({ Ids: ["a"] })), 400, BATCH_GET_MESSAGES.noTaskIds],
    ["a body that is a list", () => post(api, JSON.stringify(["a"])), 400, BATCH_GET_MESSAGES.noTaskIds],
    ["TaskIds that is not an array", () => batch(api, "a,b"), 400, BATCH_GET_MESSAGES.notArray],
    ["an empty TaskIds", () => batch(api, []), 400, BATCH_GET_MESSAGES.empty],
    [
      "101 IDs",
      () =>
        batch(
          api,
          Array.from({ length: 101 }, (_, i) => `t-${i}`),
        ),
      400,
      BATCH_GET_MESSAGES.tooMany(100),
    ],
    [
      "an invalid ID, by position",
      () => batch(api, ["ok-1", "not ok"]),
      400,
      `TaskIds[1] is not a valid task_id: ${TASK_ID_RULE}`,
    ],
    ["an ID that is not a string", () => batch(api, [7]), 400, BATCH_GET_MESSAGES.invalidId(0)],
    [
      "a content type other than JSON",
      () => post(api, "TaskIds=a", "application/x-www-form-urlencoded"),
      415,
      BATCH_GET_MESSAGES.notJsonContentType,
    ],
  ];
  for (const [label, send, status, message] of refusals) {
    it(`refuses ${label}: ${status}, no-store, never echoing the input`, async () => {
      const answer = await send();
      expect(answer.status).to.equal(status);
      expect(answer.body).to.deep.equal({ error: message });
      expect(answer.headers.get("cache-control")).to.equal("no-store");
    });
  }

  it("answers 503 with Retry-After when DynamoDB cannot be reached", async () => {
    const down = await startLocalApi({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}` });
    apis.push(down);
    const answer = await batch(down, [completed.TaskId]);
    expect(answer.status).to.equal(503);
    expect(answer.headers.get("retry-after")).to.equal("1");
    expect(answer.body).to.deep.equal({ error: "Failed to get task status: ECONNREFUSED" });
  });

  it("asks again for keys DynamoDB left unprocessed, and answers whole", async () => {
    const backends = await sharedBackends();
    const stingy = await startStingyDynamoDb(backends.env.AWS_ENDPOINT_URL_DYNAMODB, 1);
    try {
      const through = await startLocalApi({ AWS_ENDPOINT_URL_DYNAMODB: stingy.endpoint });
      apis.push(through);
      const answer = await batch(through, [completed.TaskId, failed.TaskId]);
      expect(answer.status).to.equal(200);
      expect((answer.body.Tasks as unknown[]).length).to.equal(2);
      expect(stingy.batchCalls).to.equal(2);
    } finally {
      await stingy.close();
    }
  });

  it("answers 503, never a partial 200, when keys stay unprocessed", async () => {
    const backends = await sharedBackends();
    const stingy = await startStingyDynamoDb(backends.env.AWS_ENDPOINT_URL_DYNAMODB, 1000);
    try {
      const through = await startLocalApi({ AWS_ENDPOINT_URL_DYNAMODB: stingy.endpoint });
      apis.push(through);
      const answer = await batch(through, [completed.TaskId]);
      expect(answer.status).to.equal(503);
      expect(answer.headers.get("retry-after")).to.equal("1");
      expect(answer.body).to.deep.equal({ error: "Failed to get task status: UnprocessedKeys" });
      expect(stingy.batchCalls).to.equal(5);
    } finally {
      await stingy.close();
    }
  });
});

describe("the callback URL is never answered", function () {
  this.timeout(60_000);

  it("GET and batch-get leave out a task's CallbackUrl", async () => {
    const api = await startLocalApi();
    try {
      const backends = await sharedBackends();
      const writer = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo });
      const TaskId = `callback-hidden-${process.pid}`;
      await writer.start({
        TaskId,
        TaskType: "image",
        SourceBucket: "media-bucket",
        SourceKey: "a.jpg",
        CallbackUrl: "https://hooks.example.com/t?token=secret-token",
        EstimatedSeconds: 30,
      });
      const single = await (await fetch(`${api.base}/task/${TaskId}`)).text();
      const batch = await (
        await fetch(`${api.base}/tasks/batch-get`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ TaskIds: [TaskId] }),
        })
      ).text();
      for (const answer of [single, batch]) {
        expect(answer).to.include(TaskId);
        expect(answer).to.not.include("secret-token");
        expect(answer).to.not.include("CallbackUrl");
        expect(answer).to.not.include("EstimatedSeconds");
      }
    } finally {
      await api.close();
    }
  });
});
