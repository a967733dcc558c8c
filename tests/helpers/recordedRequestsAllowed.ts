/**
 * After the last test (mocha root hook; loaded through .mocharc's `require`): every AWS request
 * the project's code sent during the run must be allowed by the policies the program gives its
 * principal, on dev, prod and a stack with every option on, as a policy simulator evaluates them.
 * When the whole suite ran, the converse too: every grant must be needed by some recorded request,
 * unless the program says why next to it. Either failure fails the run, naming what it found.
 */
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type RecordedRequest, recordedRequests } from "./awsRequestRecorder";
import { runStack } from "./mockedProgram";
import { deniedRequests, unneededGrants } from "./requestSimulation";
import { CHECKED_STACKS } from "./stackOptions";

const ROOT = path.resolve(__dirname, "../..");

/** Whether this run loaded every test file and ran every test in them (no file list, no --grep). */
function ranWholeSuite(root: Mocha.Suite): boolean {
  const files = new Set<string>();
  let skipped = false;
  const walk = (suite: Mocha.Suite) => {
    if (suite.file !== undefined) files.add(path.relative(ROOT, suite.file));
    for (const test of suite.tests) if (test.state === undefined || test.isPending()) skipped = true;
    for (const child of suite.suites) walk(child);
  };
  walk(root);
  const all = (readdirSync(path.join(ROOT, "tests"), { recursive: true }) as string[])
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => path.join("tests", file));
  return !skipped && all.every((file) => files.has(file));
}

/** Per component: each operation it sent and how often, for a reader (RECORDED_AWS_REQUESTS_FILE). */
function summary(requests: readonly RecordedRequest[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const { component, service, operation } of requests) {
    const own = out[component] ?? {};
    own[`${service}:${operation}`] = (own[`${service}:${operation}`] ?? 0) + 1;
    out[component] = own;
  }
  return out;
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(300_000);
    const requests = recordedRequests();
    const root = this.test?.parent;
    const whole = root !== undefined && ranWholeSuite(root);
    if (whole && requests.length === 0) throw new Error("the whole suite ran, but no AWS request was recorded");
    const summaryFile = process.env.RECORDED_AWS_REQUESTS_FILE;
    if (summaryFile !== undefined && summaryFile !== "")
      writeFileSync(summaryFile, JSON.stringify(summary(requests), null, 2));
    const problems: string[] = [];
    for (const { stack, config } of CHECKED_STACKS) {
      const run = await runStack(config, stack);
      problems.push(...(await deniedRequests(run, requests)));
      if (whole) problems.push(...(await unneededGrants(run, requests)));
    }
    const stacks = CHECKED_STACKS.map(({ stack }) => stack).join(", ");
    console.log(
      `      AWS requests: ${requests.length} recorded, simulated on ${stacks}; unneeded grants ${whole ? "checked" : "not checked (not the whole suite)"}`,
    );
    if (problems.length > 0) {
      throw new Error(
        `AWS requests and grants disagree (${requests.length} requests recorded):\n${problems.join("\n")}`,
      );
    }
  },
};
