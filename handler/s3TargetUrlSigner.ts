import { formatUrl } from "@aws-sdk/core/util";
import { S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { HttpRequest } from "@smithy/protocol-http";
import type { AwsCredentialIdentityProvider, ChecksumConstructor, HashConstructor } from "@smithy/types";
import type { TargetUrlSigner } from "./taskStatusService";

export interface S3TargetUrlSignerOptions {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  sha256: ChecksumConstructor | HashConstructor;
  expiresInSeconds: number;
  /** A non-AWS S3 endpoint (AWS_ENDPOINT_URL_S3); addressed path-style, as such endpoints expect. */
  endpoint?: URL | undefined;
}

// Names that can sit in a DNS label under s3.<region>.amazonaws.com and match its wildcard
// certificate; the SDK falls back to path-style for the rest (dotted names such as the spec's
// "demo.lijinhong.cn"), and so does this.
const VIRTUAL_HOSTABLE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * Signs SigV4 query-string GET URLs for S3 objects without an S3 client: the presigner over a
 * hand-built request keeps the S3 client and its endpoint rules out of the Lambda bundle.
 */
export class S3TargetUrlSigner implements TargetUrlSigner {
  private readonly presigner: S3RequestPresigner;

  constructor(private readonly options: S3TargetUrlSignerOptions) {
    this.presigner = new S3RequestPresigner({
      region: options.region,
      credentials: options.credentials,
      sha256: options.sha256,
    });
  }

  /** Signs as of `signedAt`; the URL is valid from then for the configured lifetime. */
  async signTargetUrl(bucket: string, key: string, signedAt: Date): Promise<string> {
    const signed = await this.presigner.presign(this.objectRequest(bucket, key), {
      expiresIn: this.options.expiresInSeconds,
      signingDate: signedAt,
    });
    return formatUrl(signed);
  }

  private objectRequest(bucket: string, key: string): HttpRequest {
    const objectPath = encodeKeyPath(key);
    const { endpoint, region } = this.options;
    if (endpoint !== undefined) {
      const basePath = endpoint.pathname.replace(/\/+$/, "");
      return new HttpRequest({
        method: "GET",
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port === "" ? undefined : Number(endpoint.port),
        path: `${basePath}/${bucket}/${objectPath}`,
        headers: {},
      });
    }
    const virtualHosted = VIRTUAL_HOSTABLE.test(bucket);
    return new HttpRequest({
      method: "GET",
      protocol: "https:",
      hostname: virtualHosted ? `${bucket}.s3.${region}.amazonaws.com` : `s3.${region}.amazonaws.com`,
      path: virtualHosted ? `/${objectPath}` : `/${bucket}/${objectPath}`,
      headers: {},
    });
  }
}

/**
 * S3's URI encoding of an object key: every byte but the unreserved set is percent-encoded,
 * and "/" is kept as the path separator (the presigner signs the path as given).
 */
export function encodeKeyPath(key: string): string {
  return key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join("/");
}
