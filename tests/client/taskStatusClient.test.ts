import {
  InvalidTaskIdError,
  TaskApiRequestError,
  TaskNotFoundError,
  TaskStatusClient,
  type TaskStatusClientOptions,
} from "@task-api/client";
import { INVALID_TASK_ID_MESSAGE } from "@task-api/contract";
import aws4 from "aws4";
import { expect } from "chai";
import { freePort } from "../../local/emulators";
import { type ScriptedAnswer, type ScriptedServer, startScriptedServer } from "../helpers/scriptedServer";

const TASK = { TaskId: "t-1", Status: "processing" };

describe("TaskStatusClient.getTask", () => {
  let server: ScriptedServer | undefined;
  const slept: number[] = [];

  /** A client against a server scripted with `answers`; its waits are recorded, not slept. */
  async function clientFor(answers: ScriptedAnswer[], options: Partial<TaskStatusClientOptions> = {}) {
    server = await startScriptedServer(answers);
    slept.length = 0;
    return new TaskStatusClient({
      endpoint: server.endpoint,
      signing: "none",
      sleep: async (ms) => {
        slept.push(ms);
      },
      ...options,
    });
  }
  afterEach(() => server?.close());

  it("tells the gateway's route-level 404 from a missing task: an API error naming the URL, not TaskNotFoundError", async () => {
    const client = await clientFor([
      { status: 404, body: { message: "Not Found" } },
      { status: 404, body: { error: "Task not found: t-1" } },
    ]);
    const routeLevel = await client.getTask("t-1").catch((error: unknown) => error);
    expect(routeLevel).to.be.instanceOf(TaskApiRequestError).and.include({ status: 404, attempts: 1 });
    expect((routeLevel as Error).message).to.equal(
      `GET ${server?.endpoint.replace(/\/?$/, "/")}task/t-1 answered 404 without reaching the task API (Not Found): check the endpoint`,
    );
    const missing = await client.getTask("t-1").catch((error: unknown) => error);
    expect(missing).to.be.instanceOf(TaskNotFoundError).and.have.property("message", "Task not found: t-1");
  });

  it("refuses an ID of dots with the server's message before asking (a URL would collapse it)", async () => {
    const client = await clientFor([]);
    for (const id of [".", ".."]) {
      const error = await client.getTask(id).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidTaskIdError).and.have.property("message", INVALID_TASK_ID_MESSAGE);
    }
    expect(server?.requests).to.deep.equal([]);
  });

  it("retries a 503, then returns the task from the 200 (2 attempts)", async () => {
    const client = await clientFor([
      { status: 503, body: { message: "Service Unavailable" } },
      { status: 200, body: TASK },
    ]);
    expect(await client.getTask("t-1")).to.deep.equal(TASK);
    expect(server?.requests).to.have.length(2);
    expect(slept).to.have.length(1);
  });

  it("honours Retry-After on a 429 before retrying", async () => {
    const client = await clientFor([
      { status: 429, headers: { "retry-after": "3" }, body: { message: "Too Many Requests" } },
      { status: 200, body: TASK },
    ]);
    await client.getTask("t-1");
    expect(slept).to.have.length(1);
    expect(slept[0]).to.be.at.least(3000);
  });

  it("gives up after the bounded number of attempts on 5xx, saying how many", async () => {
    const client = await clientFor(
      [{ status: 500, body: { error: "Failed to get task status: InternalServerError" } }],
      {
        retry: { maxAttempts: 3 },
      },
    );
    const error = await client.getTask("t-1").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TaskApiRequestError);
    expect(error).to.include({ status: 500, attempts: 3 });
    expect((error as Error).message).to.include("Failed to get task status: InternalServerError");
    expect(server?.requests).to.have.length(3);
    expect(slept).to.have.length(2);
  });

  for (const [status, errorClass, body] of [
    [404, TaskNotFoundError, { error: "Task not found: t-1" }],
    [400, InvalidTaskIdError, { error: "Invalid task_id: ..." }],
    [403, TaskApiRequestError, { message: "Forbidden" }],
  ] as const) {
    it(`does not retry a ${status}: one request, ${errorClass.name}`, async () => {
      const client = await clientFor([
        { status, body },
        { status: 200, body: TASK },
      ]);
      const error = await client.getTask("t-1").catch((e: unknown) => e);
      expect(error).to.be.instanceOf(errorClass);
      expect(server?.requests).to.have.length(1);
      expect(slept).to.deep.equal([]);
    });
  }

  it("retries network errors, then reports them with the attempt count", async () => {
    const closed = await freePort();
    const client = new TaskStatusClient({
      endpoint: `http://127.0.0.1:${closed}`,
      signing: "none",
      retry: { maxAttempts: 2 },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    slept.length = 0;
    const error = await client.getTask("t-1").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TaskApiRequestError);
    expect(error).to.include({ status: undefined, attempts: 2 });
    expect((error as Error).message).to.include("ECONNREFUSED");
    expect(slept).to.have.length(1);
  });

  it("sends If-None-Match with the kept ETag, and answers a 304 with the kept task", async () => {
    const client = await clientFor([
      { status: 200, headers: { etag: 'W/"v1"' }, body: TASK },
      { status: 304, headers: { etag: 'W/"v1"' } },
    ]);
    expect(await client.getTask("t-1")).to.deep.equal(TASK);
    expect(await client.getTask("t-1")).to.deep.equal(TASK);
    expect(server?.requests.map((r) => r.headers["if-none-match"])).to.deep.equal([undefined, 'W/"v1"']);
  });

  it("signs requests with SigV4 for execute-api, as an independent implementation computes it", async () => {
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
    const client = await clientFor([{ status: 200, body: TASK }], {
      signing: "sigv4",
      region: "eu-west-1",
      credentials,
    });
    await client.getTask("t-1");
    const request = server?.requests[0];
    const authorization = String(request?.headers.authorization);
    expect(authorization).to.match(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request/,
    );
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) headers[name] = String(request?.headers[name]);
    const expected = aws4.sign(
      {
        method: "GET",
        host: String(request?.headers.host),
        path: request?.url,
        service: "execute-api",
        region: "eu-west-1",
        headers,
      },
      credentials,
    );
    expect(authorization).to.equal(expected.headers?.Authorization);
  });
});
