import { CALLER_ROUTE_KEYS, isKmsKeyArn, routeResource } from "@task-api/contract";
import { expect } from "chai";

describe("accessRules", () => {
  it("turns each caller route key into its execute-api resource, a path parameter matching any value", () => {
    expect(CALLER_ROUTE_KEYS.map(routeResource)).to.deep.equal(["GET/task/*", "POST/tasks/batch-get"]);
  });

  it("takes a KMS key ARN in any partition, and refuses an alias, an alias ARN and another service's ARN", () => {
    expect(isKmsKeyArn("arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333")).to.equal(true);
    expect(isKmsKeyArn("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd")).to.equal(true);
    for (const bad of [
      "alias/aws/dynamodb",
      "arn:aws:kms:eu-west-1:123456789012:alias/media",
      "arn:aws:s3:::media-bucket",
      "arn:aws:kms:eu-west-1:12345:key/x",
    ]) {
      expect(isKmsKeyArn(bad), bad).to.equal(false);
    }
  });
});
