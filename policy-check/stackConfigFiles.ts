import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SERVICE_NAME } from "../infra/resourceNames";

const ROOT = path.join(__dirname, "..");

/** The project name from Pulumi.yaml: the namespace of the program's own config keys. */
export const PROJECT_NAME = SERVICE_NAME;

/** A key's declaration in Pulumi.yaml's `config` block. */
interface ProjectConfigType {
  type?: string;
  items?: ProjectConfigType;
  default?: unknown;
}

/** Thrown, as the CLI refuses the stack before the program runs, for a value of the wrong type. */
export class StackConfigTypeError extends Error {
  constructor(stack: string, key: string, type: ProjectConfigType) {
    super(
      `validating stack config: Stack '${stack}' with configuration key '${key}' must be of type '${typeName(type)}'`,
    );
    this.name = "StackConfigTypeError";
  }
}

/**
 * The config a `pulumi up` on `stack` hands the program: Pulumi.<stack>.yaml, then `overrides`,
 * over Pulumi.yaml's defaults, each value of a declared key checked against its declared type.
 * This is what the CLI's workspace.ValidateStackConfigAndApplyProjectConfig does (pulumi/pulumi,
 * sdk/go/common/workspace), so the program under mocks reads what it reads on `pulumi preview`.
 * Every value is a string, and arrays and objects are JSON, as the CLI passes them.
 */
export function readStackConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, ProjectConfigType>;
  };
  if (project.name !== PROJECT_NAME) throw new Error(`Pulumi.yaml names project ${project.name}, not ${PROJECT_NAME}`);
  // A stack without a file yet (just `pulumi stack init`) has only the defaults.
  const stackFile = path.join(ROOT, `Pulumi.${stack}.yaml`);
  const stackValues = existsSync(stackFile)
    ? ((parse(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {})
    : {};
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stackValues)) values[qualify(key)] = value;
  for (const [key, value] of Object.entries(overrides)) values[qualify(key)] = value;
  for (const [key, declared] of Object.entries(project.config ?? {})) {
    const value = values[qualify(key)];
    if (value === undefined) {
      if (declared.default === undefined) throw new Error(`Stack '${stack}' missing configuration value '${key}'`);
      values[qualify(key)] = declared.default;
    } else if (!hasType(declared, value)) {
      throw new StackConfigTypeError(stack, key, declared);
    }
  }
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

/** The CLI's ValidateConfigValue: integers may be written as text, booleans as "true"/"false". */
function hasType(declared: ProjectConfigType, value: unknown): boolean {
  switch (declared.type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    default: {
      const items = declared.items;
      return items !== undefined && Array.isArray(value) && value.every((item) => hasType(items, item));
    }
  }
}

function typeName(declared: ProjectConfigType): string {
  return declared.items === undefined ? String(declared.type) : `array<${typeName(declared.items)}>`;
}

function qualify(key: string): string {
  return key.includes(":") ? key : `${PROJECT_NAME}:${key}`;
}

/** The stacks whose config is committed: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function committedStacks(): string[] {
  return readdirSync(ROOT)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** A stack's own policy pack config, policies/config/<stack>.json, if it has one. */
export function stackPackConfigFile(stack: string): string | undefined {
  const file = path.join(ROOT, "policies", "config", `${stack}.json`);
  return existsSync(file) ? file : undefined;
}
