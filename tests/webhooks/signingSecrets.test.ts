import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { sqsVisibilityChanger } from "../../webhooks/queueVisibility";
import { SigningSecretError, secretsManagerSigningSecrets, signingSecretsFrom } from "../../webhooks/signingSecrets";

/** A stand-in for an AWS JSON endpoint: records each call's target and body, answers `answer(target)`. */
async function jsonEndpoint(answer: (target: string) => unknown) {
  const calls: Array<{ target: string; body: Record<string, unknown> }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"]);
      calls.push({ target, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(answer(target)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-signing-secret-1-AbCdEf";

describe("webhooks/signingSecrets", () => {
  it("reads the current secret first, then the previous during a rotation", () => {
    expect(signingSecretsFrom('{"current":"whsec_a"}')).to.deep.equal(["whsec_a"]);
    expect(signingSecretsFrom('{"current":"whsec_a","previous":"whsec_b"}')).to.deep.equal(["whsec_a", "whsec_b"]);
    for (const bad of ["", "whsec_a", "{}", '{"current":""}', '{"current":"a","previous":3}']) {
      expect(() => signingSecretsFrom(bad), bad).to.throw(SigningSecretError);
    }
  });

  it("reads the secret from Secrets Manager once per container, and again only after a failed read", async () => {
    let fail = true;
    const api = await jsonEndpoint(() => {
      if (fail) {
        fail = false;
        return { SecretString: "not json" };
      }
      return { ARN: SECRET_ARN, SecretString: JSON.stringify({ current: "whsec_a", previous: "whsec_b" }) };
    });
    try {
      const client = new SecretsManagerClient({ endpoint: api.endpoint, region: "eu-west-1", credentials });
      const secrets = secretsManagerSigningSecrets(client, SECRET_ARN);
      await secrets().then(
        () => expect.fail("a malformed secret was taken"),
        (error: unknown) => expect(error).to.be.instanceOf(SigningSecretError),
      );
      expect(await secrets()).to.deep.equal(["whsec_a", "whsec_b"]);
      expect(await secrets()).to.deep.equal(["whsec_a", "whsec_b"]);
      expect(api.calls.map((c) => [c.target, c.body.SecretId])).to.deep.equal([
        ["secretsmanager.GetSecretValue", SECRET_ARN],
        ["secretsmanager.GetSecretValue", SECRET_ARN],
      ]);
      client.destroy();
    } finally {
      await api.close();
    }
  });
});

describe("webhooks/queueVisibility", () => {
  it("hides a message until its next attempt with ChangeMessageVisibility on the sender's queue", async () => {
    const api = await jsonEndpoint(() => ({}));
    try {
      const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/task-webhooks-1";
      const client = new SQSClient({ endpoint: api.endpoint, region: "eu-west-1", credentials });
      await sqsVisibilityChanger(client, queueUrl)("receipt-1", 1800);
      expect(api.calls).to.deep.equal([
        {
          target: "AmazonSQS.ChangeMessageVisibility",
          body: { QueueUrl: queueUrl, ReceiptHandle: "receipt-1", VisibilityTimeout: 1800 },
        },
      ]);
      client.destroy();
    } finally {
      await api.close();
    }
  });
});
