import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { PROJECT_NAME, readStackConfig } from "./stackConfigFiles";

export const MOCK_ACCOUNT_ID = "123456789012";

/** The mock account has every IAM role a stack names, except those whose name starts with this. */
export const MOCK_MISSING_ROLE_PREFIX = "missing-";

/** One resource the program registered, with its inputs resolved (assets turned into their text). */
export interface MockedResource {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  /** The state the mock returned: inputs plus realistic computed attributes (ARNs, ids). */
  state: Record<string, unknown>;
  /** Resource options the engine would act on; the mocks themselves never see them. */
  options: ResourceOptionsSeen;
}

/** The resource options a registration carried, read off the request to the (mock) monitor. */
export interface ResourceOptionsSeen {
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  /** The properties whose changes the engine leaves alone. */
  ignoreChanges: string[];
  /** The URNs of the resources it depends on (dependsOn, and its inputs' resources). */
  dependencies: string[];
  /** For each input, the URNs of the resources its value came from (what policies see as propertyDependencies). */
  propertyDependencies: Record<string, string[]>;
  /** The parent's URN as the mock monitor names it ("" for none); `type::name` of the parent is its last part. */
  parent: string;
  /** The aliases it carries, as the SDK sent them: a URN, or a spec the engine resolves. */
  aliases: AliasSeen[];
}

/** One alias of a registration: an old URN, or the parts of one (empty parts default to the resource's own). */
export type AliasSeen =
  | { urn: string }
  | { name: string; type: string; stack: string; project: string; parentUrn: string; noParent: boolean };

/** The part of the SDK's Alias message the recorder reads. */
interface AliasMessage {
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

/** The part of a RegisterResourceRequest the option recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
  /** jspb's map: [property, [urns]] pairs (PropertyDependencies as its array form). */
  getPropertydependenciesMap(): { toArray(): Array<[string, [string[]?]]> };
  getParent(): string;
  getAliasesList(): AliasMessage[];
}

interface RegisteringMonitor {
  registerResource(request: RegisterRequest, callback: (...args: unknown[]) => void): void;
}

/** The type of the root resource `pulumi up` registers for every stack; not one of the program's. */
const STACK_RESOURCE_TYPE = "pulumi:pulumi:Stack";

export interface ProgramRun {
  stack: string;
  project: string;
  config: Record<string, string>;
  resources: MockedResource[];
  outputs: Record<string, unknown>;
  /** The provider functions the program called (tokens, each once). */
  calls: string[];
}

/** An archive of in-memory files, as a Lambda's `code` input resolves under mocks. */
export interface ResolvedArchive {
  archive: Record<string, string>;
}

/**
 * Rewrites a resource's inputs as it is registered, the way a Pulumi transform would; returns
 * undefined to leave them as the program wrote them.
 */
export type InputTransform = (resource: {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}) => Record<string, unknown> | undefined;

/**
 * Runs `program` under Pulumi's mocks, with the stack config a real `pulumi up` on `stack` would
 * see, and records every resource it registers. `program` builds the resources and returns the
 * stack's outputs. No CLI, engine or cloud is involved: the mocks answer each registration with
 * the state AWS would compute (ARNs, ids, URLs).
 */
export async function runProgramUnderMocks(
  program: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  options: {
    stack?: string;
    config?: Record<string, unknown>;
    transform?: InputTransform;
    /** Another Pulumi project name (a fork or a rename of this one); its config keys follow it. */
    project?: string;
  } = {},
): Promise<ProgramRun> {
  const stack = options.stack ?? "dev";
  const project = options.project ?? PROJECT_NAME;
  const config = Object.fromEntries(
    Object.entries(readStackConfig(stack, options.config)).map(([key, value]) => [
      key.startsWith(`${PROJECT_NAME}:`) ? `${project}:${key.slice(PROJECT_NAME.length + 1)}` : key,
      value,
    ]),
  );
  const region = config["aws:region"] ?? "us-east-1";
  const pending: Array<Promise<Omit<MockedResource, "options">>> = [];
  const optionsSeen = new Map<string, ResourceOptionsSeen>();
  const calls = new Set<string>();

  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(registered: MockResourceArgs) {
        const inputs = registered.inputs as Record<string, unknown>;
        const transformed = options.transform?.({ type: registered.type, name: registered.name, inputs });
        const args = transformed === undefined ? registered : { ...registered, inputs: transformed };
        const state = computedState(args, region);
        pending.push(
          Promise.all([resolveAssets(args.inputs), resolveAssets(state)]).then(([resolvedInputs, resolvedState]) => ({
            type: args.type,
            name: args.name,
            urn: `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`,
            inputs: resolvedInputs as Record<string, unknown>,
            state: resolvedState as Record<string, unknown>,
          })),
        );
        return { id: String(state.id), state };
      },
      call(args: MockCallArgs) {
        calls.add(args.token);
        return callResult(args, region);
      },
    },
    project,
    stack,
    false,
  );
  recordResourceOptions(optionsSeen);
  let outputs: Record<string, unknown> = {};

  // As the CLI runs a program: inside the root stack resource (aliases to it and stack transformations need it).
  // An error thrown while a resource's inputs resolve (an apply that refuses config) reaches the
  // CLI as an unhandled rejection that fails the run; it fails this run the same way.
  const failures = await collectUnhandledRejections(async () => {
    outputs = ((await pulumi.runtime.runInPulumiStack(async () => program())) ?? {}) as Record<string, unknown>;
    // Resource registrations finish asynchronously; wait until every one has been answered.
    await pulumi.runtime.disconnect();
  });
  if (failures.length > 0) throw failures[0];
  const resources = (await Promise.all(pending))
    .filter((resource) => resource.type !== STACK_RESOURCE_TYPE)
    .map((resource) => ({
      ...resource,
      options: optionsSeen.get(`${resource.type}::${resource.name}`) ?? noOptionsSeen(),
    }));
  return { stack, project, config, resources, outputs, calls: [...calls] };
}

/** No option set: a resource's options when its registration was not seen, and the base of a hand-made one. */
export function noOptionsSeen(): ResourceOptionsSeen {
  return {
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    dependencies: [],
    propertyDependencies: {},
    parent: "",
    aliases: [],
  };
}

/** Runs `work` with this process's unhandled rejections collected (and others' handlers set aside). */
async function collectUnhandledRejections(work: () => Promise<void>): Promise<unknown[]> {
  const previous = process.listeners("unhandledRejection");
  const failures: unknown[] = [];
  const collect = (reason: unknown) => failures.push(reason);
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", collect);
  try {
    await work();
    // Rejections are reported once the microtask queue drains.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", collect);
    for (const listener of previous) process.on("unhandledRejection", listener);
  }
  return failures;
}

/**
 * Resource options (`protect`, `retainOnDelete`, ...) travel to the engine, not to the mocks:
 * read them off each request to the mock monitor before it answers.
 */
function recordResourceOptions(into: Map<string, ResourceOptionsSeen>): void {
  const monitor = getMonitor() as unknown as RegisteringMonitor | undefined;
  if (monitor === undefined) throw new Error("no mock monitor: call setMocks first");
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    into.set(`${request.getType()}::${request.getName()}`, {
      protect: request.getProtect() === true,
      retainOnDelete: request.getRetainondelete() === true,
      deleteBeforeReplace: request.getDeletebeforereplace(),
      ignoreChanges: request.getIgnorechangesList(),
      // As this module names resources: without the parent's type in the URN (`Stack$aws:...`).
      dependencies: request.getDependenciesList().map(withoutParentTypes),
      propertyDependencies: Object.fromEntries(
        request
          .getPropertydependenciesMap()
          .toArray()
          .map(([property, urns]) => [property, (urns[0] ?? []).map(withoutParentTypes)]),
      ),
      parent: request.getParent(),
      aliases: request.getAliasesList().map(aliasSeen),
    });
    register(request, callback);
  };
}

function aliasSeen(alias: AliasMessage): AliasSeen {
  const spec = alias.getSpec();
  if (spec === undefined) return { urn: alias.getUrn() };
  return {
    name: spec.getName(),
    type: spec.getType(),
    stack: spec.getStack(),
    project: spec.getProject(),
    parentUrn: spec.getParenturn(),
    noParent: spec.getNoparent(),
  };
}

/** A URN with its type alone (`urn:pulumi:s::p::aws:...::name`), not its parents' (`pulumi:pulumi:Stack$aws:...`). */
function withoutParentTypes(urn: string): string {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  parts[2] = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
  return parts.join("::");
}

/** What AWS would compute for a resource on create, keyed by type. */
function computedState(args: MockResourceArgs, region: string): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  // Stable per resource, like Pulumi's auto-name suffix, so that two runs can be compared.
  const suffix = createHash("sha256").update(`${args.type}::${args.name}`).digest("hex").slice(0, 7);
  const name = typeof inputs.name === "string" ? inputs.name : `${inputs.namePrefix ?? `${args.name}-`}${suffix}`;
  const account = MOCK_ACCOUNT_ID;
  const base = { ...inputs, name, id: name };
  switch (args.type) {
    case "aws:dynamodb/table:Table": {
      const arn = `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      return inputs.streamEnabled === true
        ? { ...base, arn, streamArn: `${arn}/stream/2026-11-28T00:00:00.000`, streamLabel: "2026-11-28T00:00:00.000" }
        : { ...base, arn };
    }
    case "aws:cloudwatch/eventBus:EventBus":
      return { ...base, arn: `arn:aws:events:${region}:${account}:event-bus/${name}` };
    case "aws:sqs/queue:Queue":
      return {
        ...base,
        arn: `arn:aws:sqs:${region}:${account}:${name}`,
        url: `https://sqs.${region}.amazonaws.com/${account}/${name}`,
      };
    case "aws:pipes/pipe:Pipe":
      return { ...base, arn: `arn:aws:pipes:${region}:${account}:pipe/${name}` };
    case "aws:iam/role:Role":
      return { ...base, arn: `arn:aws:iam::${account}:role/${name}`, uniqueId: `AROA${suffix.toUpperCase()}` };
    case "aws:iam/rolePolicy:RolePolicy":
      return { ...base, id: `${inputs.role}:${name}` };
    case "aws:iam/policy:Policy":
      return { ...base, id: `arn:aws:iam::${account}:policy/${name}`, arn: `arn:aws:iam::${account}:policy/${name}` };
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return { ...base, id: `${inputs.role}-${suffix}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { ...base, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
      return {
        ...base,
        arn,
        qualifiedArn: `${arn}:$LATEST`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        version: "$LATEST",
      };
    }
    case "aws:apigatewayv2/api:Api": {
      const id = `a${suffix}xyz`.slice(0, 10);
      return {
        ...base,
        id,
        arn: `arn:aws:apigateway:${region}::/apis/${id}`,
        executionArn: `arn:aws:execute-api:${region}:${account}:${id}`,
        apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
      };
    }
    case "aws:apigatewayv2/stage:Stage": {
      const stageName = String(inputs.name);
      const path = stageName === "$default" ? "" : stageName;
      return {
        ...base,
        id: stageName,
        arn: `arn:aws:apigateway:${region}::/apis/${inputs.apiId}/stages/${stageName}`,
        invokeUrl: `https://${inputs.apiId}.execute-api.${region}.amazonaws.com/${path}`,
      };
    }
    case "aws:apigatewayv2/integration:Integration":
    case "aws:apigatewayv2/route:Route":
      return { ...base, id: `${args.type.split(":")[1]?.split("/")[1]}-${suffix}` };
    case "aws:lambda/permission:Permission":
      return { ...base, id: inputs.statementId ?? `${args.name}-${suffix}` };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { ...base, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` };
    case "aws:cloudwatch/dashboard:Dashboard": {
      const dashboardName = typeof inputs.dashboardName === "string" ? inputs.dashboardName : name;
      return { ...base, dashboardName, dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${dashboardName}` };
    }
    case "aws:sns/topic:Topic":
      return { ...base, arn: `arn:aws:sns:${region}:${account}:${name}` };
    case "aws:cloudwatch/eventTarget:EventTarget":
      // Its `arn` is an input, the target's (here, the function's); it has no ARN of its own.
      return { ...base, id: `${inputs.rule}-${suffix}` };
    case "aws:cloudwatch/eventRule:EventRule": {
      // On the default bus arn:aws:events:<region>:<account>:rule/<name>; on another, rule/<bus>/<name>.
      const bus =
        typeof inputs.eventBusName === "string" && inputs.eventBusName !== "default" ? `${inputs.eventBusName}/` : "";
      return { ...base, arn: `arn:aws:events:${region}:${account}:rule/${bus}${name}` };
    }
    case "aws:secretsmanager/secret:Secret": {
      // Secrets Manager appends six random characters to a secret's ARN.
      const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix.slice(0, 6)}`;
      return { ...base, id: arn, arn };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return { ...base, id: `${inputs.secretId}|${suffix}`, versionId: `v-${suffix}`, arn: inputs.secretId };
    case "aws:lambda/eventSourceMapping:EventSourceMapping": {
      const uuid = `${suffix}0-0000-4000-8000-000000000000`;
      return {
        ...base,
        id: uuid,
        uuid,
        arn: `arn:aws:lambda:${region}:${account}:event-source-mapping:${uuid}`,
        functionArn: inputs.functionName,
      };
    }
    case "aws:sqs/queuePolicy:QueuePolicy":
      return { ...base, id: inputs.queueUrl };
    case "random:index/randomBytes:RandomBytes": {
      const bytes = createHash("sha256")
        .update(`${args.name}::bytes`)
        .digest()
        .subarray(0, Number(inputs.length ?? 32));
      return { ...base, id: suffix, base64: bytes.toString("base64"), hex: bytes.toString("hex") };
    }
    default:
      return { ...base, arn: `arn:aws:${args.type.split(":")[1]?.split("/")[0]}:${region}:${account}:${name}` };
  }
}

/** Provider functions the program (or awsx) calls, answered as AWS would. */
function callResult(args: MockCallArgs, region: string): Record<string, unknown> {
  switch (args.token) {
    case "aws:index/getRegion:getRegion":
      return { name: region, region, id: region };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`, userId: "AIDA0000" };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:iam/getRole:getRole": {
      const name = String(args.inputs.name ?? "");
      if (name.startsWith(MOCK_MISSING_ROLE_PREFIX))
        throw new Error(`NoSuchEntity: The role with name ${name} cannot be found.`);
      return { id: name, name, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}`, uniqueId: "AROA0000" };
    }
    case "aws:iam/getPolicy:getPolicy": {
      const arn = String(args.inputs.arn ?? "");
      return { id: arn, arn, name: arn.split("/").at(-1) ?? "", policy: "{}" };
    }
    default:
      throw new Error(`no mock for provider call ${args.token}`);
  }
}

function isArchive(value: unknown): value is pulumi.asset.AssetArchive {
  return pulumi.asset.Archive.isInstance(value);
}

/** Replaces assets and archives (whose contents are promises under mocks) with their resolved text. */
async function resolveAssets(value: unknown): Promise<unknown> {
  if (isArchive(value)) {
    const assets = await value.assets;
    const archive: Record<string, string> = {};
    for (const [file, asset] of Object.entries(assets ?? {})) {
      const text = await (asset as pulumi.asset.StringAsset).text;
      if (typeof text !== "string") throw new Error(`archive entry ${file} is not in-memory text`);
      archive[file] = text;
    }
    return { archive } satisfies ResolvedArchive;
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveAssets));
  if (typeof value === "object" && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await resolveAssets(v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
