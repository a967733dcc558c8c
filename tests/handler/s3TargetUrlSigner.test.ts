import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Hash } from "@smithy/hash-node";
import { expect } from "chai";
import { encodeKeyPath, S3TargetUrlSigner } from "../../handler/s3TargetUrlSigner";
import { recomputePresignedSignature } from "../helpers/independentSigV4";

const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

const SIGNING_DATE = new Date("2026-11-28T10:00:00Z");

function signerFor(options: { endpoint?: URL; credentials?: typeof CREDENTIALS & { sessionToken?: string } } = {}) {
  const credentials = options.credentials ?? CREDENTIALS;
  return new S3TargetUrlSigner({
    region: "eu-west-1",
    credentials: async () => credentials,
    sha256: Hash.bind(null, "sha256"),
    expiresInSeconds: 900,
    endpoint: options.endpoint,
  });
}

describe("S3TargetUrlSigner", () => {
  it("signs a virtual-hosted HTTPS URL for a DNS-safe bucket, valid for the configured time", async () => {
    const url = new URL(await signerFor().signTargetUrl("media-bucket", "processed/document.png", SIGNING_DATE));
    expect(url.origin).to.equal("https://media-bucket.s3.eu-west-1.amazonaws.com");
    expect(url.pathname).to.equal("/processed/document.png");
    expect(url.searchParams.get("X-Amz-Algorithm")).to.equal("AWS4-HMAC-SHA256");
    expect(url.searchParams.get("X-Amz-Expires")).to.equal("900");
    expect(url.searchParams.get("X-Amz-SignedHeaders")).to.equal("host");
    expect(url.searchParams.get("X-Amz-Credential")).to.match(
      /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/,
    );
    expect(url.searchParams.has("x-amz-checksum-mode")).to.equal(false);
  });

  it("falls back to path-style for a dotted bucket, as the SDK does", async () => {
    const url = new URL(await signerFor().signTargetUrl("demo.lijinhong.cn", "a/b.jpg", SIGNING_DATE));
    expect(url.origin).to.equal("https://s3.eu-west-1.amazonaws.com");
    expect(url.pathname).to.equal("/demo.lijinhong.cn/a/b.jpg");
  });

  it("addresses a custom endpoint path-style", async () => {
    const url = new URL(
      await signerFor({ endpoint: new URL("http://127.0.0.1:4569") }).signTargetUrl(
        "media-bucket",
        "k.png",
        SIGNING_DATE,
      ),
    );
    expect(url.origin).to.equal("http://127.0.0.1:4569");
    expect(url.pathname).to.equal("/media-bucket/k.png");
  });

  const keys = [
    "processed/document.png",
    "dir with spaces/file (1).png",
    "unicode/ümlaut-文件.png",
    "odd/chars!'()*+,;=&$@.png",
    "double//slash/and%percent.png",
  ];
  for (const key of keys) {
    it(`produces a signature an independent SigV4 implementation agrees with for ${JSON.stringify(key)}`, async () => {
      const signed = await signerFor().signTargetUrl("media-bucket", key, SIGNING_DATE);
      const url = new URL(signed);
      expect(decodeURIComponent(url.pathname.slice(1))).to.equal(key);
      expect(url.searchParams.get("X-Amz-Signature")).to.equal(
        recomputePresignedSignature(signed, CREDENTIALS, "eu-west-1"),
      );
    });
  }

  it("carries the session token of temporary credentials, and the signature covers it", async () => {
    const credentials = { ...CREDENTIALS, sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE/+=token" };
    const signed = await signerFor({ credentials }).signTargetUrl("media-bucket", "k.png", SIGNING_DATE);
    expect(new URL(signed).searchParams.get("X-Amz-Security-Token")).to.equal(credentials.sessionToken);
    expect(new URL(signed).searchParams.get("X-Amz-Signature")).to.equal(
      recomputePresignedSignature(signed, credentials, "eu-west-1"),
    );
  });

  it("is not matched by a signature from another secret (the check can fail)", async () => {
    const signed = await signerFor().signTargetUrl("media-bucket", "k.png", SIGNING_DATE);
    const other = recomputePresignedSignature(signed, { ...CREDENTIALS, secretAccessKey: "wrong" }, "eu-west-1");
    expect(new URL(signed).searchParams.get("X-Amz-Signature")).to.not.equal(other);
  });
});

describe("S3TargetUrlSigner against the SDK's own getSignedUrl", () => {
  // The conventional way (a full S3 client) must address the same object the same way: same
  // endpoint rules, same key encoding, same parameters. The SDK adds `x-id=GetObject` (and signs
  // it), so signatures differ; each is checked on its own with the independent implementation.
  const s3 = new S3Client({
    region: "eu-west-1",
    credentials: CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const comparable = (url: string) => {
    const parsed = new URL(url);
    parsed.searchParams.delete("X-Amz-Signature");
    parsed.searchParams.delete("x-id");
    return parsed.href;
  };
  after(() => s3.destroy());

  for (const [bucket, key] of [
    ["media-bucket", "processed/document.png"],
    ["demo.lijinhong.cn", "blindwatermark/resized ljh (1).jpg"],
    ["media-bucket", "unicode/ümlaut-文件+plus.png"],
  ] as const) {
    it(`addresses s3://${bucket}/${key} exactly as getSignedUrl does`, async () => {
      const ours = await signerFor().signTargetUrl(bucket, key, SIGNING_DATE);
      const sdk = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: 900,
        signingDate: SIGNING_DATE,
      });
      expect(comparable(ours)).to.equal(comparable(sdk));
      for (const url of [ours, sdk]) {
        expect(new URL(url).searchParams.get("X-Amz-Signature")).to.equal(
          recomputePresignedSignature(url, CREDENTIALS, "eu-west-1"),
        );
      }
    });
  }
});

describe("encodeKeyPath", () => {
  it("percent-encodes everything outside S3's unreserved set but keeps slashes", () => {
    expect(encodeKeyPath("a b/c!'()*~._-/ü")).to.equal("a%20b/c%21%27%28%29%2A~._-/%C3%BC");
  });
});
