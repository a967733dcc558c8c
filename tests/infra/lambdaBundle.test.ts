import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { expect } from "chai";
import { BUNDLE_BUDGET_KIB, BUNDLE_FILE, bundleComposition, bundleHandler } from "../../infra/lambdaBundle";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { makeContext, makeEvent } from "../helpers/factories";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";

type BundledHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

describe("bundleHandler (the deployed artifact)", function () {
  this.timeout(120_000);
  let bundle: string;
  let folder: string;

  before(async () => {
    bundle = (await bundleHandler())[BUNDLE_FILE] ?? "";
    // A folder with no node_modules above it, as in Lambda's /var/task.
    folder = await mkdtemp(path.join(tmpdir(), "task-api-bundle-"));
    await writeFile(path.join(folder, BUNDLE_FILE), bundle);
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it("is the same bytes every time it is built", async () => {
    expect((await bundleHandler())[BUNDLE_FILE]).to.equal(bundle);
  });

  it("is what npm run bundle writes to dist/lambda/", async () => {
    execFileSync("npm", ["run", "--silent", "bundle"], { stdio: "ignore" });
    expect(await readFile(path.join("dist", "lambda", BUNDLE_FILE), "utf8")).to.equal(bundle);
  });

  it("runs on its own, without node_modules, and serves the spec's completed example from DynamoDB Local", async () => {
    const backends = await sharedBackends();
    const answer = await withProcessEnv(backends.env, async () => {
      const module = (await import(pathToFileURL(path.join(folder, BUNDLE_FILE)).href)) as { handler: BundledHandler };
      return module.handler(makeEvent({ task_id: SPEC_EXAMPLE_TASKS.completed.TaskId }), makeContext());
    });
    expect(answer.statusCode).to.equal(200);
    const body = JSON.parse(answer.body ?? "{}") as Record<string, unknown>;
    expect(body).to.include(SPEC_EXAMPLE_TASKS.completed);
    expect(body.TargetObjectURL).to.be.a("string").and.include("X-Amz-Signature=");
  });
});

describe("bundleHandler's size levers", function () {
  this.timeout(60_000);
  let bundle: string;
  before(async () => {
    bundle = (await bundleHandler())[BUNDLE_FILE] ?? "";
  });

  it(`stays within its budget of ${BUNDLE_BUDGET_KIB} KiB`, () => {
    expect(Buffer.byteLength(bundle) / 1024).to.be.at.most(BUNDLE_BUDGET_KIB);
  });

  it("leaves the SDK's default credential chain (and its STS/SSO clients) out of the bundle", () => {
    for (const marker of ["AssumeRoleWithWebIdentity", "sso-oidc", "credential_process"]) {
      expect(bundle, marker).to.not.include(marker);
    }
  });

  it("formats no number with Intl: toLocaleString loads ICU's number data, 12-19 ms of CPU in a cold start", () => {
    expect(bundle).to.not.match(/toLocaleString|Intl\.NumberFormat/);
  });

  it("leaves the SDK's event stream codecs out of the bundle", () => {
    for (const marker of [":event-type", ":message-type"]) expect(bundle, marker).to.not.include(marker);
  });

  it("carries the small LRU cache, not mnemonist's", () => {
    expect(bundle).to.not.include("capacity should");
  });

  it("reports its composition by package, adding up to the bundle", async () => {
    const composition = await bundleComposition();
    const total = composition.reduce((sum, { bytes }) => sum + bytes, 0);
    expect(composition[0]?.name).to.equal("@smithy/core");
    expect(composition.map((c) => c.name))
      .to.include("(project)")
      .and.not.include("mnemonist");
    // Package bytes are the minified code; the rest of the file is esbuild's glue and the banner.
    expect(total).to.be.within(Buffer.byteLength(bundle) * 0.9, Buffer.byteLength(bundle));
  });
});
