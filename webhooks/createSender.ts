import { lookup } from "node:dns/promises";
import type { HandlerConfig } from "../handler/config";
import { createTaskStatusService } from "../handler/createHandler";
import type { WarningLogger } from "../handler/taskStatusService";
import type { ResolvedAddress, Resolver } from "./addressGuard";
import { TaskWebhookSender } from "./taskWebhookSender";

/** How long one POST may take: with the table read (3 x 1 s at worst), inside the function's 5 s. */
export const POST_TIMEOUT_MS = 1500;

/** The system resolver, every address of the name (the guard checks them all). */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(
    ({ address, family }): ResolvedAddress => ({ address, family: family === 6 ? 6 : 4 }),
  );

/**
 * The sender, wired as the API's function is (the same repository, signer and service, so a
 * delivery's `data` is byte for byte what GET answers), with its own read of the CallbackUrl.
 * Used by the deployed sender and by `npm start`'s.
 */
export function createTaskWebhookSender(args: {
  config: HandlerConfig;
  signingSecrets: () => Promise<readonly string[]>;
  allowPrivateNetworks: boolean;
  logger: WarningLogger;
  resolve?: Resolver;
}): TaskWebhookSender {
  const { service, repository } = createTaskStatusService(args.config, args.logger, { withCallbackUrl: true });
  return new TaskWebhookSender({
    repository,
    service,
    signingSecrets: args.signingSecrets,
    resolve: args.resolve ?? systemResolver,
    allowPrivateNetworks: args.allowPrivateNetworks,
    postTimeoutMs: POST_TIMEOUT_MS,
  });
}
