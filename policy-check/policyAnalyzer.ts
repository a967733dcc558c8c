import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { credentials } from "@grpc/grpc-js";
import type { PolicyPackConfig } from "@pulumi/policy";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  type AnalyzeDiagnostic,
  AnalyzeRequest,
  type AnalyzeResponse,
  type AnalyzerInfo,
  AnalyzerPropertyDependencies,
  AnalyzerResource,
  AnalyzerResourceOptions,
  AnalyzerStackConfigureRequest,
  AnalyzeStackRequest,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
  PolicyType,
} from "@pulumi/pulumi/proto/analyzer_pb";
import Ajv, { type SchemaObject } from "ajv";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { MockedResource, ProgramRun } from "./programUnderMocks";

type JsonSchema = SchemaObject & { default?: unknown };
const ajv = new Ajv({ allErrors: true, strict: false });

/** A policy's level as the engine names it. */
export type PolicyLevel = "advisory" | "mandatory" | "remediate" | "disabled";

const LEVEL_NAMES: Record<number, PolicyLevel> = {
  [EnforcementLevel.ADVISORY]: "advisory",
  [EnforcementLevel.MANDATORY]: "mandatory",
  [EnforcementLevel.REMEDIATE]: "remediate",
  [EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_CODES: Record<PolicyLevel, EnforcementLevel> = {
  advisory: EnforcementLevel.ADVISORY,
  mandatory: EnforcementLevel.MANDATORY,
  remediate: EnforcementLevel.REMEDIATE,
  disabled: EnforcementLevel.DISABLED,
};

/** One diagnostic, as `pulumi preview --policy-pack` would print it. */
export interface PolicyFinding {
  policy: string;
  level: PolicyLevel;
  /** The resource's name, or "(stack)" for a stack policy's finding without a URN. */
  resource: string;
  message: string;
}

export interface PolicyReport {
  findings: PolicyFinding[];
  /** Policies that were not disabled and applied to the stack (not reported not applicable everywhere). */
  applied: Set<string>;
  /** How many policies the pack has. */
  policyCount: number;
  mandatoryViolations: number;
}

const ROOT = path.join(__dirname, "..");

/**
 * The policy pack as the Pulumi engine runs it: `policies/` served by `@pulumi/pulumi`'s
 * `cmd/run-policy-pack` (which compiles the pack with its own tsconfig), spoken to over the
 * analyzer's gRPC protocol. Which policy runs on what, with which config and level, is the
 * pack's own @pulumi/policy server's decision, not ours: this side does what the engine does
 * (configure the pack with the resolved config, send each resource to Analyze and all of them to
 * AnalyzeStack) and reads the diagnostics back.
 */
export class ServedPolicyPack {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    private readonly info: AnalyzerInfo,
    /** The port of the pack's gRPC analyzer. */
    readonly port: number,
  ) {}

  /**
   * Starts the pack in `packDir` (default: the repository's policies/) with the policy host
   * `host` (default: this repository's @pulumi/pulumi) and reads what it announces.
   */
  static async start(
    packDir = path.join(ROOT, "policies"),
    host = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"),
  ): Promise<ServedPolicyPack> {
    // The engine address is only used for the pack's logs.
    const child = spawn(process.execPath, [host, "127.0.0.1:1", "."], {
      cwd: packDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const port = await portOf(child);
    const client = new AnalyzerClient(`127.0.0.1:${port}`, credentials.createInsecure());
    const info = await unary<AnalyzerInfo>((done) => client.getAnalyzerInfo(new Empty(), done));
    return new ServedPolicyPack(child, client, info, port);
  }

  /** The pack's policies and their own levels, as it announces them to the engine. */
  policies(): Array<{ name: string; level: PolicyLevel }> {
    return this.info.getPoliciesList().map((p) => ({
      name: p.getName(),
      level: LEVEL_NAMES[p.getEnforcementlevel()] ?? "advisory",
    }));
  }

  /**
   * What `pulumi preview --policy-pack ... --policy-pack-config <packConfig>` reports for a program
   * run: every resource's inputs to Analyze (resource policies), every resource's outputs with
   * its options and dependencies to AnalyzeStack (stack policies).
   */
  async check(run: ProgramRun, packConfig: PolicyPackConfig = {}): Promise<PolicyReport> {
    const resolved = await this.configure(packConfig);
    const stackRequest = new AnalyzerStackConfigureRequest().setStack(run.stack).setProject(run.project);
    await unary((done) => this.client.configureStack(stackRequest, done));
    // The engine files a resource policy's finding under the resource it analyzed; a stack
    // policy's finding names its resource by URN, or none.
    const names = new Map(run.resources.map((r) => [r.urn, r.name]));
    const findingsOf = (response: AnalyzeResponse, analyzed?: string): PolicyFinding[] =>
      response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        level: LEVEL_NAMES[d.getEnforcementlevel()] ?? "advisory",
        resource: names.get(d.getUrn()) ?? analyzed ?? "(stack)",
        message: violationOf(d),
      }));
    const resourceResponses: AnalyzeResponse[] = [];
    const findings: PolicyFinding[] = [];
    for (const resource of run.resources) {
      const request = new AnalyzeRequest()
        .setType(resource.type)
        .setName(resource.name)
        .setUrn(resource.urn)
        .setProperties(struct(resource.inputs))
        .setOptions(optionsOf(resource));
      const response = await unary<AnalyzeResponse>((done) => this.client.analyze(request, done));
      resourceResponses.push(response);
      findings.push(...findingsOf(response, resource.name));
    }
    const everything = new AnalyzeStackRequest().setResourcesList(run.resources.map(analyzerResource));
    const stackResponse = await unary<AnalyzeResponse>((done) => this.client.analyzeStack(everything, done));
    findings.push(...findingsOf(stackResponse));

    // A policy applied when it is enabled and some call of its kind did not report it not applicable:
    // resource policies are judged by Analyze (once per resource), stack policies by AnalyzeStack.
    const skippedBy = (response: AnalyzeResponse) =>
      new Set(response.getNotApplicableList().map((n) => n.getPolicyName()));
    const applied = new Set(
      this.info
        .getPoliciesList()
        .filter((p) => resolved.get(p.getName())?.level !== "disabled")
        .filter((p) =>
          p.getPolicyType() === PolicyType.POLICY_TYPE_STACK
            ? !skippedBy(stackResponse).has(p.getName())
            : resourceResponses.some((response) => !skippedBy(response).has(p.getName())),
        )
        .map((p) => p.getName()),
    );
    return {
      findings,
      applied,
      policyCount: this.policies().length,
      mandatoryViolations: findings.filter((f) => f.level === "mandatory").length,
    };
  }

  async stop(): Promise<void> {
    this.client.close();
    this.child.kill();
  }

  /**
   * Each policy's level and properties as the engine resolves them from `packConfig`; throws
   * PackConfigError where the engine refuses the config.
   */
  resolveConfig(packConfig: PolicyPackConfig): Map<string, ResolvedPolicyConfig> {
    return reconcile(this.info, packConfig);
  }

  /** As the engine does before analyzing: the pack config reconciled, then sent with Configure. */
  private async configure(packConfig: PolicyPackConfig): Promise<Map<string, ResolvedPolicyConfig>> {
    const request = new ConfigureAnalyzerRequest();
    const resolved = this.resolveConfig(packConfig);
    for (const [name, { level, properties }] of resolved) {
      request
        .getPolicyconfigMap()
        .set(name, new PolicyConfig().setEnforcementlevel(LEVEL_CODES[level]).setProperties(struct(properties)));
    }
    await unary((done) => this.client.configure(request, done));
    return resolved;
  }
}

/** A pack config the engine refuses: a level it does not have, or properties its schema rejects. */
export class PackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackConfigError";
  }
}

export interface ResolvedPolicyConfig {
  level: PolicyLevel;
  properties: Record<string, unknown>;
}

/**
 * Each policy's level and properties as the engine resolves them (ReconcilePolicyPackConfig in
 * pulumi/pulumi, pkg/resource/analyzer/config.go): the defaults of the policy's configSchema and
 * its own level, then an `all` level over every policy, then the policy's own entry (`"level"` or
 * `{ enforcementLevel?, ...properties }`); the result is checked against each policy's schema.
 */
function reconcile(info: AnalyzerInfo, packConfig: PolicyPackConfig): Map<string, ResolvedPolicyConfig> {
  const problems: string[] = [];
  const levelOf = (policy: string, given: unknown): PolicyLevel | undefined => {
    const level = typeof given === "string" ? given : (given as { enforcementLevel?: string } | null)?.enforcementLevel;
    if (level === undefined || level in LEVEL_CODES) return level as PolicyLevel | undefined;
    problems.push(`${policy}: ${JSON.stringify(level)} is not a valid enforcement level`);
    return undefined;
  };
  const allLevel = levelOf("all", packConfig.all);
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of info.getPoliciesList()) {
    const name = policy.getName();
    const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>;
    const properties: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema)) {
      if (property.default !== undefined) properties[key] = property.default;
    }
    const given = packConfig[name];
    const { enforcementLevel: _level, ...givenProperties } =
      typeof given === "object" && given !== null ? (given as Record<string, unknown>) : {};
    Object.assign(properties, givenProperties);
    const level = levelOf(name, given) ?? allLevel ?? LEVEL_NAMES[policy.getEnforcementlevel()] ?? "advisory";
    const validate = ajv.compile({
      type: "object",
      properties: schema,
      required: policy.getConfigschema()?.getRequiredList() ?? [],
    });
    if (!validate(properties)) {
      for (const error of validate.errors ?? [])
        problems.push(`${name}: ${error.instancePath || "(root)"} ${error.message}`);
    }
    resolved.set(name, { level, properties });
  }
  if (problems.length > 0) throw new PackConfigError(`policy pack configuration is invalid: ${problems.join(", ")}`);
  return resolved;
}

/** The violation's own words: the pack's server sends "<policy description>\n<violation>". */
function violationOf(diagnostic: AnalyzeDiagnostic): string {
  const prefix = `${diagnostic.getDescription()}\n`;
  const message = diagnostic.getMessage();
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function analyzerResource(resource: MockedResource): AnalyzerResource {
  const analyzed = new AnalyzerResource()
    .setType(resource.type)
    .setName(resource.name)
    .setUrn(resource.urn)
    .setProperties(struct(resource.state))
    .setOptions(optionsOf(resource))
    .setDependenciesList(resource.options.dependencies);
  for (const [property, urns] of Object.entries(resource.options.propertyDependencies)) {
    analyzed.getPropertydependenciesMap().set(property, new AnalyzerPropertyDependencies().setUrnsList(urns));
  }
  return analyzed;
}

function optionsOf(resource: MockedResource): AnalyzerResourceOptions {
  return new AnalyzerResourceOptions()
    .setProtect(resource.options.protect)
    .setDeletebeforereplace(resource.options.deleteBeforeReplace);
}

function struct(value: Record<string, unknown>): Struct {
  // Struct takes JSON values; a round trip drops undefined fields as the engine's serializer does.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function unary<T = unknown>(call: (done: (error: Error | null, response: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, response) => (error ? reject(error) : resolve(response))));
}

function portOf(child: ChildProcess): Promise<number> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<number>((resolve, reject) => {
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\n/.exec(stdout);
      if (line?.[1] !== undefined) resolve(Number(line[1]));
    });
    child.once("exit", (code) => reject(new Error(`the policy pack exited with ${code}:\n${stderr}`)));
  });
}
