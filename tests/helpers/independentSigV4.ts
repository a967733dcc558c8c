import aws4 from "aws4";

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

// The query parameters aws4 derives itself from the credentials, region and headers.
const DERIVED = new Set([
  "X-Amz-Signature",
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-SignedHeaders",
  "X-Amz-Security-Token",
]);

/**
 * Recomputes a presigned S3 GET URL's signature with aws4, an implementation of SigV4 that
 * shares no code with the AWS SDK, from the URL's own date, expiry and path. s3rver does not
 * check signatures, so this is what proves a URL would pass at S3.
 */
export function recomputePresignedSignature(url: string, credentials: SigningCredentials, region: string): string {
  const parsed = new URL(url);
  const query = new URLSearchParams();
  for (const [name, value] of parsed.searchParams) if (!DERIVED.has(name)) query.append(name, value);
  const signed = aws4.sign(
    {
      method: "GET",
      host: parsed.host,
      path: `${parsed.pathname}?${query.toString()}`,
      service: "s3",
      region,
      signQuery: true,
      headers: { Host: parsed.host },
    },
    credentials,
  );
  const signature = new URL(`http://signed${signed.path ?? ""}`).searchParams.get("X-Amz-Signature");
  if (signature === null) throw new Error("aws4 produced no signature");
  return signature;
}
