import { loadStackConfig } from "../../infra/stackConfig";
import { deployTaskApi } from "../../infra/taskApi";
import {
  type InputTransform,
  type MockedResource,
  type ProgramRun,
  runProgramUnderMocks,
} from "../../policy-check/programUnderMocks";

/**
 * Runs the program's resources under mocks for `stack` with config overrides (as `pulumi config
 * set` would), in this project or in a copy of it named `project`, its inputs rewritten by `transform`.
 */
export function runStack(
  config: Record<string, unknown> = {},
  stack = "dev",
  project?: string,
  transform?: InputTransform,
): Promise<ProgramRun> {
  return runProgramUnderMocks(() => ({ ...deployTaskApi(loadStackConfig()).outputs }), {
    stack,
    config,
    ...(project === undefined ? {} : { project }),
    ...(transform === undefined ? {} : { transform }),
  });
}

/** The resources of one type. */
export function ofType(run: ProgramRun, type: string): MockedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The one resource of a type; fails the test if there is not exactly one. */
export function single(run: ProgramRun, type: string): MockedResource {
  const found = ofType(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as MockedResource;
}

/** The resource of a type with a logical name; fails the test if there is none. */
export function named(run: ProgramRun, type: string, name: string): MockedResource {
  const found = run.resources.find((resource) => resource.type === type && resource.name === name);
  if (found === undefined) throw new Error(`no ${type} named ${name}`);
  return found;
}

/** Every input that differs between two runs, as "type::name path" lines (resources added or removed too). */
export function inputDifferences(before: ProgramRun, after: ProgramRun): string[] {
  const key = (resource: MockedResource) => `${resource.type}::${resource.name}`;
  const byKey = (run: ProgramRun) => new Map(run.resources.map((resource) => [key(resource), resource]));
  const a = byKey(before);
  const b = byKey(after);
  const differences: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (x === undefined) differences.push(`${k} added`);
    else if (y === undefined) differences.push(`${k} removed`);
    else diff(x.inputs, y.inputs, k, differences);
  }
  return differences.sort();
}

function diff(x: unknown, y: unknown, at: string, out: string[]): void {
  if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
    for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
      diff((x as Record<string, unknown>)[field], (y as Record<string, unknown>)[field], `${at} ${field}`, out);
    }
  } else if (x !== y) {
    out.push(at);
  }
}
