import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { expect } from "chai";
import type { TaskStatusHandler } from "../../handler/httpAdapter";
import { createLocalApiServer } from "../../local/localApiServer";

describe("createLocalApiServer", () => {
  const seen: Array<{ event: APIGatewayProxyEventV2; context: Context }> = [];
  const handler: TaskStatusHandler = async (event, context) => {
    seen.push({ event, context });
    return { statusCode: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: '{"ok":true}' };
  };
  let server: Server;
  let base: string;

  before(async () => {
    server = createLocalApiServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it("turns GET /task/{id} into a payload-2.0 event and writes the handler's answer", async () => {
    const response = await fetch(`${base}/task/1234-5678-9012?x=1`, { headers: { "user-agent": "probe" } });
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/json; charset=utf-8");
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(seen).to.have.length(1);
    const { event, context } = seen[0] ?? expect.fail("no event");
    expect(event).to.include({ version: "2.0", routeKey: "GET /task/{task_id}", rawPath: "/task/1234-5678-9012" });
    expect(event.rawQueryString).to.equal("x=1");
    expect(event.pathParameters).to.deep.equal({ task_id: "1234-5678-9012" });
    expect(event.requestContext.http.method).to.equal("GET");
    expect(event.requestContext.http.userAgent).to.equal("probe");
    expect(event.requestContext.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).to.be.within(1, 5000);
  });

  it("hands the function the percent-decoded path parameter, as API Gateway does", async () => {
    await fetch(`${base}/task/a%20b`);
    expect(seen[0]?.event.pathParameters).to.deep.equal({ task_id: "a b" });
  });

  for (const [method, path] of [
    ["GET", "/"],
    ["GET", "/task"],
    ["GET", "/task/"],
    ["GET", "/task/a/b"],
    ["POST", "/task/1234"],
    ["DELETE", "/task/1234"],
  ] as const) {
    it(`answers API Gateway's own 404 to ${method} ${path} without calling the function`, async () => {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status).to.equal(404);
      expect(await response.json()).to.deep.equal({ message: "Not Found" });
      expect(seen).to.have.length(0);
    });
  }
});
