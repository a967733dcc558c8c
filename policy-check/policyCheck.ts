import { readFileSync } from "node:fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { loadStackConfig } from "../infra/stackConfig";
import { deployTaskApi, type TaskApi } from "../infra/taskApi";
import { PackConfigError, type PolicyReport, type ServedPolicyPack } from "./policyAnalyzer";
import { type InputTransform, type ProgramRun, runProgramUnderMocks } from "./programUnderMocks";

/**
 * A way to break the real program, for proving that a rule catches it: an input rewrite applied
 * as the resource is registered (as a Pulumi transform would), or resources added beside the
 * program's own.
 */
export interface ProgramMutation {
  description: string;
  transform?: InputTransform;
  extend?: (stack: TaskApi) => void;
}

export interface PolicyCheckOptions {
  stack?: string;
  /** As `--policy-pack-config`: levels and thresholds per policy. */
  packConfig?: PolicyPackConfig;
  /** Stack config overrides, as `pulumi config set` would make them. */
  config?: Record<string, unknown>;
  mutation?: ProgramMutation;
}

/**
 * What `pulumi preview --policy-pack policies` reports, without the CLI: the program under mocks
 * with the stack's config, then everything it registered sent to the pack as the engine sends it.
 */
export async function checkProgramPolicies(
  pack: ServedPolicyPack,
  options: PolicyCheckOptions = {},
): Promise<{ run: ProgramRun; report: PolicyReport }> {
  const { mutation } = options;
  const run = await runProgramUnderMocks(
    () => {
      const stack = deployTaskApi(loadStackConfig());
      mutation?.extend?.(stack);
      return { ...stack.outputs };
    },
    {
      ...(options.stack === undefined ? {} : { stack: options.stack }),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(mutation?.transform === undefined ? {} : { transform: mutation.transform }),
    },
  );
  const report = await pack.check(run, options.packConfig);
  return { run, report };
}

/** Reads a policy pack config file (the JSON `--policy-pack-config` takes). */
export function readPackConfig(file: string): PolicyPackConfig {
  const config: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new PackConfigError(`${file}: a policy pack config is an object of policy names`);
  }
  // As the CLI parses it (parsePolicyPackConfig): each entry a level, or an object of properties.
  for (const [policy, entry] of Object.entries(config)) {
    if (typeof entry !== "string" && (typeof entry !== "object" || entry === null || Array.isArray(entry))) {
      throw new PackConfigError(
        `parsing ${JSON.stringify(policy)}: ${JSON.stringify(entry)} is not a valid value; must be a string or object`,
      );
    }
  }
  return config as PolicyPackConfig;
}

/** One stack's report, with the pack config it was checked with. */
export interface StackReport {
  stack: string;
  packConfig: string;
  report: PolicyReport;
}

/** The reports as one table (stack, policy, level, resource, message), then a summary line per stack. */
export function formatReport(reports: readonly StackReport[]): string {
  const rows = reports.flatMap(({ stack, report }) =>
    report.findings.map((f) => [stack, f.policy, f.level, f.resource, f.message]),
  );
  const header = ["STACK", "POLICY", "LEVEL", "RESOURCE", "MESSAGE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const summaries = reports.map(({ stack, packConfig, report }) => {
    const advisory = report.findings.filter((f) => f.level === "advisory").length;
    return `stack ${stack} (${packConfig}): ${report.applied.size} of ${report.policyCount} policies applied, ${report.mandatoryViolations} mandatory violation(s), ${advisory} advisory finding(s)`;
  });
  const table = rows.length === 0 ? ["No findings."] : [line(header), ...rows.map(line)];
  return [...table, "", ...summaries].join("\n");
}
