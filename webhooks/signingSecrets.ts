import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/**
 * What the stack stores in its webhook secret (Secrets Manager, never a function's environment,
 * which lambda:GetFunction shows): the current signing secret and, during a rotation, the one
 * before it.
 */
export interface StoredSigningSecrets {
  current: string;
  previous?: string;
}

/** The stored secret is not what the stack writes. */
export class SigningSecretError extends Error {
  override name = "SigningSecretError";
}

/** The secrets to sign with, current first, from the stored JSON. */
export function signingSecretsFrom(secretString: string | undefined): string[] {
  let stored: unknown;
  try {
    stored = JSON.parse(secretString ?? "");
  } catch {
    throw new SigningSecretError("the webhook secret is not JSON");
  }
  const { current, previous } = (stored ?? {}) as Record<string, unknown>;
  if (typeof current !== "string" || current === "") throw new SigningSecretError("the webhook secret has no current");
  if (previous !== undefined && typeof previous !== "string") throw new SigningSecretError("previous must be a string");
  return previous === undefined || previous === "" ? [current] : [current, previous];
}

/**
 * Reads the secret once per container, on first use (a failed read is tried again by the next
 * delivery). A rotation reaches new containers: the stack puts the secret's version in the
 * sender's environment (WEBHOOK_SECRET_VERSION), so a new version replaces the warm ones.
 */
export function secretsManagerSigningSecrets(client: SecretsManagerClient, secretArn: string): () => Promise<string[]> {
  let read: Promise<string[]> | undefined;
  return () => {
    read ??= client
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then(({ SecretString }) => signingSecretsFrom(SecretString))
      .catch((error: unknown) => {
        read = undefined;
        throw error;
      });
    return read;
  };
}
