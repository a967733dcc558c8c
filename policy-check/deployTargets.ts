import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseSignableTarget } from "@task-api/contract";
import { parse } from "yaml";
import type { DeployTarget } from "../infra/deployPermissions";
import type { StackNeeds } from "../infra/permissionsBoundary";

const ROOT = path.join(__dirname, "..");

/** The placeholder the committed permission files carry where the account ID goes. */
export const ACCOUNT_PLACEHOLDER = "<account>";

interface ProjectFile {
  name: string;
  config?: Record<string, { default?: unknown }>;
}

/** The Pulumi project as Pulumi.yaml names it: a fork or a rename is another project with other names. */
export function projectOf(root = ROOT): ProjectFile {
  return (parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile | null) ?? { name: "" };
}

/** One key of a stack's config as `pulumi up` sees it: Pulumi.<stack>.yaml, else Pulumi.yaml's default. */
function configValue(root: string, project: ProjectFile, stack: string, key: string): unknown {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  const values = existsSync(file)
    ? ((parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {})
    : {};
  const qualified = key.includes(":") ? key : `${project.name}:${key}`;
  return values[qualified] ?? project.config?.[key]?.default;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const optional = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** A stack's config key as `pulumi up` would read it. */
export type ConfigLookup = (key: string) => unknown;

/** What a stack's deploy permissions depend on, from its config. */
export function deployTargetFrom(project: string, stack: string, account: string, value: ConfigLookup): DeployTarget {
  return {
    account,
    project,
    stack,
    region: optional(value("aws:region")) ?? "*",
    tableKmsKeyArn: optional(value("tableKmsKeyArn")),
    callerRoles: strings(value("callerRoles")),
    processorRoles: strings(value("processorRoles")),
  };
}

/** What a stack's roles need beyond the project's names, from its config: its targets and keys (for the boundary). */
export function stackNeedsFrom(value: ConfigLookup): StackNeeds {
  return {
    targets: strings(value("targetBuckets")).map((entry) => parseSignableTarget(entry)),
    targetKmsKeyArns: strings(value("targetKmsKeyArns")),
    tableKmsKeyArn: optional(value("tableKmsKeyArn")),
  };
}

/** The lookup of a committed stack's config: Pulumi.<stack>.yaml, else Pulumi.yaml's default. */
function committedConfig(stack: string, root: string): ConfigLookup {
  const project = projectOf(root);
  return (key) => configValue(root, project, stack, key);
}

/** What the deploy permissions of committed `stack` depend on, for `account` (the placeholder by default). */
export function deployTargetOf(stack: string, account = ACCOUNT_PLACEHOLDER, root = ROOT): DeployTarget {
  return deployTargetFrom(projectOf(root).name, stack, account, committedConfig(stack, root));
}

/** What the roles of committed `stack` need beyond the project's names. */
export function stackNeedsOf(stack: string, root = ROOT): StackNeeds {
  return stackNeedsFrom(committedConfig(stack, root));
}

/** The smoke test's stacks (.github/workflows/smoke.yml): one per run, `smoke-<run>-<attempt>`. */
export const SMOKE_STACKS = "smoke-*";

/** The roles the smoke test writes and reads as (docs/deploy.md creates them; the stack attaches its policies). */
export const SMOKE_ROLES = { caller: "task-api-smoke-caller", processor: "task-api-smoke-processor" } as const;

/** The smoke role's target: dev's config, any smoke stack, the smoke's caller and processor roles. */
export function smokeDeployTarget(account = ACCOUNT_PLACEHOLDER, root = ROOT): DeployTarget {
  return {
    ...deployTargetOf("dev", account, root),
    stack: SMOKE_STACKS,
    callerRoles: [SMOKE_ROLES.caller],
    processorRoles: [SMOKE_ROLES.processor],
  };
}
