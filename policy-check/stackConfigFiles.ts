import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SERVICE_NAME } from "../infra/resourceNames";

const ROOT = path.join(__dirname, "..");

/** The project name from Pulumi.yaml: the namespace of the program's own config keys. */
export const PROJECT_NAME = SERVICE_NAME;

/**
 * The config a `pulumi up` on `stack` hands the program: Pulumi.yaml's defaults under the
 * project's namespace, overlaid with Pulumi.<stack>.yaml, then with `overrides`. Every value is
 * a string, and arrays and objects are JSON, as the CLI passes them.
 */
export function readStackConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, { default?: unknown }>;
  };
  if (project.name !== PROJECT_NAME) throw new Error(`Pulumi.yaml names project ${project.name}, not ${PROJECT_NAME}`);
  const values: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(project.config ?? {})) {
    if (schema.default !== undefined) values[qualify(key)] = schema.default;
  }
  // A stack without a file yet (just `pulumi stack init`) has only the defaults.
  const stackFile = path.join(ROOT, `Pulumi.${stack}.yaml`);
  const stackValues = existsSync(stackFile)
    ? ((parse(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {})
    : {};
  Object.assign(values, stackValues);
  for (const [key, value] of Object.entries(overrides)) values[qualify(key)] = value;
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
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
