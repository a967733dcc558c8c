/**
 * The repository's policy pack served by Pulumi's run-policy-pack, started once per test run on
 * first use and stopped after the last test (mocha root hook; loaded through .mocharc's `require`).
 */
import { ServedPolicyPack } from "../../policy-check/policyAnalyzer";

let started: Promise<ServedPolicyPack> | undefined;

export function servedPack(): Promise<ServedPolicyPack> {
  started ??= ServedPolicyPack.start();
  return started;
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    if (started === undefined) return;
    const pack = await started.catch(() => undefined);
    await pack?.stop();
  },
};
