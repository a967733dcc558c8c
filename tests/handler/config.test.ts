import { formatTargetBuckets } from "@task-api/contract";
import { expect } from "chai";
import { loadHandlerConfig } from "../../handler/config";
import { ConfigError } from "../../handler/errors";

const VALID = { DDB_TABLE_NAME: "tasks-dev", AWS_REGION: "eu-west-1" };

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadHandlerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadHandlerConfig", () => {
  it("reads the minimal environment with the documented defaults", () => {
    const config = loadHandlerConfig(VALID);
    expect(config.tableName).to.equal("tasks-dev");
    expect(config.region).to.equal("eu-west-1");
    expect(config.urlTtlSeconds).to.equal(3600);
    expect(config.targetBuckets).to.deep.equal([]);
    expect(config.s3Endpoint).to.equal(undefined);
    expect(config.serviceName).to.equal("task-api");
  });

  it("takes the log service name from POWERTOOLS_SERVICE_NAME", () => {
    expect(loadHandlerConfig({ ...VALID, POWERTOOLS_SERVICE_NAME: "task-api-prod" }).serviceName).to.equal(
      "task-api-prod",
    );
  });

  it("splits TARGET_BUCKETS on commas, trimming blanks, each entry a bucket with an optional key prefix", () => {
    const config = loadHandlerConfig({ ...VALID, TARGET_BUCKETS: " media-bucket, ,demo.lijinhong.cn/out/ " });
    expect(config.targetBuckets).to.deep.equal([
      { bucket: "media-bucket", prefix: "" },
      { bucket: "demo.lijinhong.cn", prefix: "out/" },
    ]);
    expect(formatTargetBuckets(config.targetBuckets)).to.equal("media-bucket,demo.lijinhong.cn/out/");
  });

  it("takes URL_TTL_SECONDS from 1 to 21600 (6 hours, the signing credentials' documented lifetime)", () => {
    expect(loadHandlerConfig({ ...VALID, URL_TTL_SECONDS: "1" }).urlTtlSeconds).to.equal(1);
    expect(loadHandlerConfig({ ...VALID, URL_TTL_SECONDS: "21600" }).urlTtlSeconds).to.equal(21600);
  });

  for (const ttl of ["0", "21601", "604800", "1.5", "-5", "1e3", "abc"]) {
    it(`refuses URL_TTL_SECONDS=${ttl}`, () => {
      expect(problemsOf({ ...VALID, URL_TTL_SECONDS: ttl })).to.deep.equal([
        "URL_TTL_SECONDS must be a whole number from 1 to 21600",
      ]);
    });
  }

  it("reads the standard S3 endpoint override, falling back to AWS_ENDPOINT_URL", () => {
    expect(loadHandlerConfig({ ...VALID, AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4569" }).s3Endpoint?.href).to.equal(
      "http://127.0.0.1:4569/",
    );
    expect(loadHandlerConfig({ ...VALID, AWS_ENDPOINT_URL: "http://localhost:4566" }).s3Endpoint?.host).to.equal(
      "localhost:4566",
    );
  });

  it("lists every problem at once", () => {
    const problems = problemsOf({ TARGET_BUCKETS: "Bad_Bucket", AWS_ENDPOINT_URL_S3: "ftp://x" });
    expect(problems).to.have.length(4);
    expect(problems.join("\n")).to.include("DDB_TABLE_NAME").and.include("Bad_Bucket").and.include("AWS_REGION");
    expect(problems.join("\n")).to.include("AWS_ENDPOINT_URL_S3");
  });
});
