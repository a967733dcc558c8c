/**
 * DynamoDB Local and s3rver, started once per test run on first use and stopped after the
 * last test (mocha root hook; loaded through .mocharc's `require`).
 */
import { type EmbeddedBackends, startEmbeddedBackends } from "../../local/embeddedBackends";

let started: Promise<EmbeddedBackends> | undefined;

/** The run's emulators, seeded with the spec's examples; starts them on first call. */
export function sharedBackends(): Promise<EmbeddedBackends> {
  started ??= startEmbeddedBackends();
  return started;
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    if (started === undefined) return;
    const backends = await started.catch(() => undefined);
    await backends?.stop();
  },
};
