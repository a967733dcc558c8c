/**
 * What the webhook sender's cold start meets in the bench besides DynamoDB Local: a stand-in for
 * Secrets Manager's GetSecretValue (its JSON protocol, one secret) and a loopback receiver that
 * verifies each delivery with the client kit and answers 204.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createTaskWebhookListener } from "@task-api/client";

export async function startSenderStandIns(secret: string) {
  const secrets = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res
        .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
        .end(JSON.stringify({ Name: "bench", VersionId: "v1", SecretString: JSON.stringify({ current: secret }) }));
    });
  });
  let delivered = 0;
  const receiver = createTaskWebhookListener({ secret, onDelivery: () => (delivered += 1) });
  const listen = (server: ReturnType<typeof createServer>) =>
    new Promise<string>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
    );
  const [secretsEndpoint, receiverUrl] = await Promise.all([listen(secrets), listen(receiver)]);
  return {
    secretsEndpoint,
    receiverUrl: `${receiverUrl}/hooks`,
    delivered: () => delivered,
    stop: () => {
      for (const server of [secrets, receiver]) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}
