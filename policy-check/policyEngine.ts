import type {
  EnforcementLevel,
  Policies,
  PolicyConfigSchema,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import type { MockedResource } from "./programUnderMocks";

/** One diagnostic, as `pulumi preview --policy-pack` would print it. */
export interface PolicyFinding {
  policy: string;
  level: EnforcementLevel;
  /** The resource's name, or "(stack)" for a stack policy's finding without a URN. */
  resource: string;
  message: string;
}

export interface PolicyReport {
  findings: PolicyFinding[];
  /** Policies that ran over at least one resource, by name, with how many resources each checked. */
  evaluated: Map<string, number>;
  mandatoryViolations: number;
}

class NotApplicable extends Error {}

const DEFAULT_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/**
 * Runs a policy pack over a program's resources the way the Pulumi engine's analyzer does
 * (@pulumi/policy's server.js): each resource policy sees every resource's inputs through
 * `unknownCheckingProxy`, each stack policy sees every resource's outputs; `isType`, `asType`,
 * `getConfig` and `notApplicable` behave as there; each policy's level comes from the pack config,
 * else the policy, else "advisory"; a policy that meets an unknown value reports, as advisory,
 * that it cannot run during preview. Property dependencies are not known here, only values.
 */
export async function runPolicyPack(
  policies: Policies,
  resources: readonly MockedResource[],
  packConfig: PolicyPackConfig = {},
): Promise<PolicyReport> {
  const findings: PolicyFinding[] = [];
  const evaluated = new Map<string, number>();
  for (const policy of policies) {
    const { level, config } = resolveConfig(policy, packConfig);
    if (level === "disabled") continue;
    const reported = level === "remediate" ? "mandatory" : level;
    const getConfig = <T extends object>() => config as T;
    const notApplicable = (reason?: string): never => {
      throw new NotApplicable(reason);
    };
    const run = async (check: () => unknown, resourceName: string) => {
      try {
        await check();
        evaluated.set(policy.name, (evaluated.get(policy.name) ?? 0) + 1);
      } catch (error) {
        if (error instanceof UnknownValueError) {
          findings.push({
            policy: policy.name,
            level: "advisory",
            resource: resourceName,
            message: `can't run policy '${policy.name}' during preview: ${(error as Error).message}`,
          });
        } else if (!(error instanceof NotApplicable)) {
          throw new Error(`policy ${policy.name} failed on ${resourceName}: ${String(error)}`, { cause: error });
        }
      }
    };

    if (isStackPolicy(policy)) {
      const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
      const report: ReportViolation = (message, urn) =>
        findings.push({
          policy: policy.name,
          level: reported,
          resource: (urn && byUrn.get(urn)) || "(stack)",
          message,
        });
      const args: StackValidationArgs = {
        resources: resources.map((r) => policyResource(r)),
        stackTags: new Map(),
        getConfig,
        notApplicable,
      };
      await run(() => policy.validateStack(args, report), "(stack)");
      continue;
    }

    const validations = policy.validateResource;
    if (validations === undefined) continue;
    for (const resource of resources) {
      const report: ReportViolation = (message) =>
        findings.push({ policy: policy.name, level: reported, resource: resource.name, message });
      const props = unknownCheckingProxy(structuredClone(resource.inputs)) as Record<string, unknown>;
      const args: ResourceValidationArgs = {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: { ...DEFAULT_OPTIONS, protect: resource.options.protect },
        stackTags: new Map(),
        isType: (cls) => isTypeOf(resource.type, cls),
        asType: ((cls: unknown) =>
          isTypeOf(resource.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
        getConfig,
        notApplicable,
      };
      for (const validation of Array.isArray(validations) ? validations : [validations]) {
        await run(() => validation(args, report), resource.name);
      }
    }
  }
  const mandatoryViolations = findings.filter((f) => f.level === "mandatory").length;
  return { findings, evaluated, mandatoryViolations };
}

function policyResource(resource: MockedResource): PolicyResource {
  const props = unknownCheckingProxy(structuredClone(resource.state)) as Record<string, unknown>;
  return {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: { ...DEFAULT_OPTIONS, protect: resource.options.protect },
    dependencies: [],
    propertyDependencies: {},
    isType: (cls) => isTypeOf(resource.type, cls),
    asType: ((cls: unknown) => (isTypeOf(resource.type, cls) ? props : undefined)) as PolicyResource["asType"],
  };
}

function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
  return "validateStack" in policy && typeof policy.validateStack === "function";
}

// As @pulumi/policy does: the class's registered Pulumi type, else its isInstance.
function isTypeOf(type: string, cls: unknown): boolean {
  const candidate = cls as { __pulumiType?: string; isInstance?: (o: unknown) => boolean };
  if (typeof candidate.__pulumiType === "string") return candidate.__pulumiType === type;
  return candidate.isInstance?.({ __pulumiType: type }) === true;
}

/** The policy's effective level and config: schema defaults overlaid with the pack config's values. */
function resolveConfig(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  packConfig: PolicyPackConfig,
): { level: EnforcementLevel; config: Record<string, unknown> } {
  const entry = packConfig[policy.name];
  const given: Record<string, unknown> = typeof entry === "object" && entry !== null ? { ...entry } : {};
  const levelOverride = typeof entry === "string" ? entry : (given.enforcementLevel as EnforcementLevel | undefined);
  delete given.enforcementLevel;
  const config: Record<string, unknown> = { ...defaultsOf(policy.configSchema), ...given };
  for (const [key, value] of Object.entries(given)) {
    const schema = policy.configSchema?.properties[key];
    if (schema === undefined) throw new Error(`policy ${policy.name} has no config property ${key}`);
    const expected = (schema as { type?: string }).type;
    const actual = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
    if (expected !== undefined && expected !== actual && !(expected === "number" && actual === "integer")) {
      throw new Error(`policy ${policy.name} config ${key} must be ${expected}, not ${actual}`);
    }
  }
  return { level: levelOverride ?? policy.enforcementLevel ?? "advisory", config };
}

function defaultsOf(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    const value = (property as { default?: unknown }).default;
    if (value !== undefined) defaults[key] = value;
  }
  return defaults;
}
