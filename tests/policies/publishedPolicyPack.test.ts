import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { credentials } from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeRequest,
  type AnalyzeResponse,
  type AnalyzerInfo,
  AnalyzerResourceOptions,
  EnforcementLevel,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { expect } from "chai";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { policies } from "../../policies/allPolicies";
import { UNKNOWN_NUMBER } from "../helpers/policyHarness";
import { installedPackages, type ServedPack, serveTheTarballAsPublished } from "../helpers/publishedPolicyPack";

const LEVELS: Record<number, string> = {
  [EnforcementLevel.ADVISORY]: "advisory",
  [EnforcementLevel.MANDATORY]: "mandatory",
  [EnforcementLevel.DISABLED]: "disabled",
  [EnforcementLevel.REMEDIATE]: "remediate",
};

describe("the policy pack as published: npm pack of policies/, installed in an empty folder, served by run-policy-pack", function () {
  // npm install of @pulumi/aws and friends from npm's cache: about 12 s here.
  this.timeout(300_000);
  let served: ServedPack;
  let client: AnalyzerClient;

  before(async () => {
    served = await serveTheTarballAsPublished();
    client = new AnalyzerClient(`127.0.0.1:${served.port}`, credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await served?.stop();
  });

  it("ships the pack's sources, its own tsconfig, PulumiPolicy.yaml, the per-stack configs and the contract it imports, nothing else", () => {
    expect(served.files).to.include.members([
      "PulumiPolicy.yaml",
      "index.ts",
      "allPolicies.ts",
      "tsconfig.json",
      "package.json",
    ]);
    expect(served.files).to.include.members(["config/dev.json", "config/prod.json", "config/public-api.json"]);
    // @task-api/contract is on no registry: it travels in the tarball, compiled, with its sources as types.
    const contractSources = readdirSync(path.join(__dirname, "..", "..", "contract")).filter((f) => f.endsWith(".ts"));
    expect(served.files.filter((file) => file.startsWith("node_modules/"))).to.have.members(
      ["index.js", "package.json", ...contractSources].map((file) => `node_modules/@task-api/contract/${file}`),
    );
    for (const file of served.files) expect(file).to.not.match(/^\.\.|\.test\./);
  });

  it("leaves policies/ as it was: the contract bundled for the tarball is removed after packing", () => {
    expect(existsSync(path.join(__dirname, "..", "..", "policies", "node_modules", "@task-api"))).to.equal(false);
  });

  it("installs its own TypeScript and Pulumi packages, so the host does not fall back to its bundled compiler", async () => {
    expect(await installedPackages(served.folder, "@pulumi")).to.include.members(["aws", "policy", "pulumi"]);
    expect(await installedPackages(served.folder, ".")).to.include.members(["typescript"]);
    expect(await installedPackages(served.folder, "@task-api")).to.include.members(["contract"]);
  });

  function analyzeFunction(inputs: Record<string, unknown>): Promise<AnalyzeResponse> {
    const request = new AnalyzeRequest()
      .setType("aws:lambda/function:Function")
      .setName("task-status")
      .setUrn("urn:pulumi:dev::task-api::aws:lambda/function:Function::task-status")
      .setProperties(Struct.fromJavaScript(inputs as Parameters<typeof Struct.fromJavaScript>[0]))
      .setOptions(new AnalyzerResourceOptions());
    return new Promise((resolve, reject) =>
      client.analyze(request, (error, response) => (error ? reject(error) : resolve(response))),
    );
  }

  const compliant = {
    runtime: "nodejs24.x",
    architectures: ["arm64"],
    timeout: 5,
    memorySize: 128,
    reservedConcurrentExecutions: 10,
  };

  it("announces every policy of allPolicies.ts under the pack's name, each at its own level", async () => {
    const info = await new Promise<AnalyzerInfo>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (error, response) => (error ? reject(error) : resolve(response))),
    );
    expect(info.getName()).to.equal("task-api-policies");
    expect(info.getVersion()).to.equal("0.1.0");
    expect(info.getPoliciesList().map((p) => [p.getName(), LEVELS[p.getEnforcementlevel()]])).to.deep.equal(
      policies.map((p) => [p.name, p.enforcementLevel]),
    );
  });

  it("finds nothing wrong with the program's function", async () => {
    expect((await analyzeFunction(compliant)).getDiagnosticsList()).to.deep.equal([]);
  });

  it("reports a 30 s timeout as a mandatory violation of lambda-timeout-max", async () => {
    const diagnostics = (await analyzeFunction({ ...compliant, timeout: 30 })).getDiagnosticsList();
    expect(diagnostics.map((d) => [d.getPolicyname(), LEVELS[d.getEnforcementlevel()], d.getMessage()])).to.deep.equal([
      // The engine shows the policy's description above the violation's own message.
      [
        "lambda-timeout-max",
        "mandatory",
        "Lambda functions must set a timeout of at most 5 seconds.\nLambda function task-status has a timeout of 30 s; the limit is 5 s.",
      ],
    ]);
  });

  it("refuses nodejs22.x under the default minimum, as a mandatory violation", async () => {
    const diagnostics = (await analyzeFunction({ ...compliant, runtime: "nodejs22.x" })).getDiagnosticsList();
    expect(diagnostics.map((d) => [d.getPolicyname(), LEVELS[d.getEnforcementlevel()]])).to.deep.equal([
      ["lambda-runtime-nodejs-minimum", "mandatory"],
    ]);
  });

  it("reports a timeout unknown at preview as an advisory it cannot decide", async () => {
    const diagnostics = (await analyzeFunction({ ...compliant, timeout: UNKNOWN_NUMBER })).getDiagnosticsList();
    expect(diagnostics.map((d) => [d.getPolicyname(), LEVELS[d.getEnforcementlevel()]])).to.deep.equal([
      ["lambda-timeout-max", "advisory"],
    ]);
    expect(diagnostics[0]?.getMessage()).to.match(/can't run policy 'lambda-timeout-max'.* during preview/);
  });
});
