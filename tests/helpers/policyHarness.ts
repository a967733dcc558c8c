import type { Policy, PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyFinding } from "../../policy-check/policyAnalyzer";
import { type MockedResource, noOptionsSeen } from "../../policy-check/programUnderMocks";
import { servedPack } from "./servedPack";

// The engine's sentinels for values not known until deploy (@pulumi/policy/proxy; not in its typings).
const sentinels = require("@pulumi/policy/proxy") as { unknownStringValue: string; unknownNumberValue: string };
export const UNKNOWN_STRING = sentinels.unknownStringValue;
export const UNKNOWN_NUMBER = sentinels.unknownNumberValue;

/** A resource fixture, typed by the resource class it stands for. */
export function resourceOf(
  cls: abstract new (...args: never[]) => object,
  name: string,
  inputs: Record<string, unknown>,
  state: Record<string, unknown> = {},
  options: Partial<MockedResource["options"]> = {},
): MockedResource {
  // Generated resource classes carry their Pulumi type token (not always in their typings).
  const type = (cls as { __pulumiType?: unknown }).__pulumiType;
  if (typeof type !== "string") throw new Error(`${cls.name} has no Pulumi type`);
  return {
    type,
    name,
    urn: `urn:pulumi:test::task-api::${type}::${name}`,
    inputs,
    state: { ...inputs, ...state },
    options: { ...noOptionsSeen(), ...options },
  };
}

/**
 * One policy's findings over resources, from the pack as the engine runs it (served by
 * run-policy-pack, over gRPC): the whole pack judges them, and this policy's findings are kept.
 */
export async function findingsOf(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: MockedResource[],
  packConfig: PolicyPackConfig = {},
): Promise<PolicyFinding[]> {
  const pack = await servedPack();
  const report = await pack.check(
    { stack: "test", project: "task-api", config: {}, resources, outputs: {}, calls: [] },
    packConfig,
  );
  return report.findings.filter((finding) => finding.policy === policy.name);
}

/** Just the messages of a policy's findings at a level. */
export async function violationsOf(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: MockedResource[],
  packConfig: PolicyPackConfig = {},
): Promise<string[]> {
  const level = packLevel(policy, packConfig);
  return (await findingsOf(policy, resources, packConfig)).filter((f) => f.level === level).map((f) => f.message);
}

function packLevel(policy: Policy, packConfig: PolicyPackConfig): string {
  const entry = packConfig[policy.name];
  if (typeof entry === "string") return entry;
  return entry?.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}
