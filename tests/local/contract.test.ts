import { request } from "node:http";
import { INVALID_TASK_ID_MESSAGE } from "@task-api/contract";
import { expect } from "chai";
import { freePort } from "../../local/emulators";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { OpenApiContract } from "../helpers/openApiContract";

const ROUTE = "/task/{task_id}";

/** A GET with the path sent exactly as given (fetch would collapse dot segments such as %2E%2E). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Headers; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === "string") responseHeaders.set(name, value);
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Every kind of answer the local server gives, healthy and under faults, checked against
 * openapi.yaml: status, headers (required, documented, and no content headers without content)
 * and body.
 */
describe("the live local server against openapi.yaml", function () {
  this.timeout(90_000);
  const contract = new OpenApiContract();
  const apis: LocalApi[] = [];
  let healthy: LocalApi;

  async function answer(api: LocalApi, path: string, headers: Record<string, string> = {}) {
    const response = await rawGet(api.base, path, headers);
    expect(
      contract.check(ROUTE, "get", response.status, response.headers, response.body),
      `${response.status} ${response.body}`,
    ).to.deep.equal([]);
    return response;
  }

  before(async () => {
    healthy = await startLocalApi();
    apis.push(healthy);
  });
  after(async () => {
    await Promise.all(apis.map((api) => api.close()));
  });

  it("200 for each of the spec's examples, then 304 with no content headers for the same ETag", async () => {
    for (const task of Object.values(SPEC_EXAMPLE_TASKS)) {
      const first = await answer(healthy, `/task/${task.TaskId}`);
      expect(first.status).to.equal(200);
      const second = await answer(healthy, `/task/${task.TaskId}`, {
        "if-none-match": first.headers.get("etag") ?? "",
      });
      expect(second.status).to.equal(304);
      expect(second.headers.get("content-type")).to.equal(null);
      expect(second.headers.get("content-length")).to.be.oneOf([null, "0"]);
    }
  });

  it("400 with the ID rule for IDs of dots, sent as raw paths (a URL parser would collapse them)", async () => {
    for (const path of ["/task/%2E", "/task/%2E%2E", "/task/.%2E", "/task/.."]) {
      const response = await answer(healthy, path);
      expect(response.status, path).to.equal(400);
      expect(JSON.parse(response.body)).to.deep.equal({ error: INVALID_TASK_ID_MESSAGE });
    }
  });

  it("404 from the function for a missing task, and the gateway's route-level 404 for another path", async () => {
    const missing = await answer(healthy, "/task/no-such-task");
    expect(JSON.parse(missing.body)).to.deep.equal({ error: "Task not found: no-such-task" });
    expect(missing.headers.get("cache-control")).to.equal("no-store");
    const route = await answer(healthy, "/task/");
    expect(route.status).to.equal(404);
    expect(JSON.parse(route.body)).to.deep.equal({ message: "Not Found" });
  });

  it("503 with Retry-After and no-store when DynamoDB cannot be reached", async () => {
    const api = await startLocalApi({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}` });
    apis.push(api);
    const response = await answer(api, `/task/${SPEC_EXAMPLE_TASKS.completed.TaskId}`);
    expect(response.status).to.equal(503);
    expect(response.headers.get("retry-after")).to.equal("1");
    expect(response.headers.get("cache-control")).to.equal("no-store");
    expect(JSON.parse(response.body)).to.deep.equal({ error: "Failed to get task status: ECONNREFUSED" });
  });

  it("500 with no-store when the table does not exist", async () => {
    const api = await startLocalApi({ DDB_TABLE_NAME: "no-such-table" });
    apis.push(api);
    const response = await answer(api, `/task/${SPEC_EXAMPLE_TASKS.completed.TaskId}`);
    expect(response.status).to.equal(500);
    expect(response.headers.get("cache-control")).to.equal("no-store");
    expect(JSON.parse(response.body)).to.deep.equal({ error: "Failed to get task status: ResourceNotFoundException" });
  });
});
