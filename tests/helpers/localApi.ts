import type { AddressInfo } from "node:net";
import { loadHandlerConfig } from "../../handler/config";
import { createHandler } from "../../handler/createHandler";
import { createLocalApiServer } from "../../local/localApiServer";
import { withProcessEnv } from "./processEnv";
import { RecordingLogger } from "./recordingLogger";
import { sharedBackends } from "./sharedBackends";

export interface LocalApi {
  base: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The local server (as `npm start` runs it) over the run's emulators, with extra environment
 * for the function (e.g. a short URL_TTL_SECONDS). Logs are kept in memory, not printed.
 */
export async function startLocalApi(extraEnv: Record<string, string> = {}): Promise<LocalApi> {
  const backends = await sharedBackends();
  const env = { ...backends.env, ...extraEnv };
  const handler = await withProcessEnv(env, () => createHandler(loadHandlerConfig(process.env), new RecordingLogger()));
  // The SDK reads credentials from the environment on each call, as in Lambda.
  const server = createLocalApiServer((event, context) => withProcessEnv(env, () => handler(event, context)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    env,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
