import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Adds what a request to the API needs to be accepted: SigV4 headers, or nothing. A GET unless `request` says otherwise. */
export type RequestSigner = (
  url: URL,
  request?: { method: "POST"; body: string; contentType: string },
) => Promise<Record<string, string>>;

/** No signing, for endpoints without IAM auth (the local run, a public demo stack). */
export const unsignedRequests: RequestSigner = async () => ({});

/**
 * SigV4 for API Gateway (`execute-api`), with the given credentials or the default AWS credential
 * chain (environment, shared config and SSO, container and instance roles).
 */
export function sigv4Signer(
  region: string,
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): RequestSigner {
  const signer = new SignatureV4({
    service: "execute-api",
    region,
    credentials: credentials ?? fromNodeProviderChain(),
    sha256: Hash.bind(null, "sha256"),
  });
  return async (url, request) => {
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const signed = await signer.sign(
      new HttpRequest({
        method: request?.method ?? "GET",
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === "" ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers: { host: url.host, ...(request === undefined ? {} : { "content-type": request.contentType }) },
        ...(request === undefined ? {} : { body: request.body }),
      }),
    );
    // fetch sets Host from the URL itself, to the same value that was signed.
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}

/** The region in an API Gateway hostname (<id>.execute-api.<region>.amazonaws.com), if it is one. */
export function regionOfEndpoint(endpoint: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(endpoint.hostname)?.[1];
}
