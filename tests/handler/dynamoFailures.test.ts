import { expect } from "chai";
import { classifyDynamoFailure } from "../../handler/dynamoFailures";
import { TaskLookupError, TaskLookupUnavailableError } from "../../handler/errors";

function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...extra });
}

describe("classifyDynamoFailure", () => {
  const transient: Array<[string, Error]> = [
    ["throttling", awsError("ProvisionedThroughputExceededException")],
    ["ThrottlingException", awsError("ThrottlingException")],
    ["a DynamoDB 500", awsError("InternalServerError", { $fault: "server" })],
    ["any server fault", awsError("SomethingNew", { $metadata: { httpStatusCode: 503 } })],
    ["a request timeout", awsError("TimeoutError")],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["a reset connection", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
  ];
  for (const [label, error] of transient) {
    it(`calls ${label} transient (503)`, () => {
      expect(classifyDynamoFailure(error, false)).to.be.instanceOf(TaskLookupUnavailableError);
    });
  }

  const permanent: Array<[string, Error]> = [
    ["access denied", awsError("AccessDeniedException", { $fault: "client", $metadata: { httpStatusCode: 400 } })],
    ["a missing table", awsError("ResourceNotFoundException")],
    ["a validation error", awsError("ValidationException")],
    ["bad credentials", awsError("UnrecognizedClientException")],
    ["anything unknown", new Error("what")],
  ];
  for (const [label, error] of permanent) {
    it(`calls ${label} permanent (500)`, () => {
      const failure = classifyDynamoFailure(error, false);
      expect(failure).to.be.instanceOf(TaskLookupError);
      expect(failure.statusCode).to.equal(500);
    });
  }

  it("reports a call cut off by the time budget as a 503 TimeoutError, whatever the SDK threw", () => {
    const failure = classifyDynamoFailure(awsError("AbortError"), true);
    expect(failure).to.be.instanceOf(TaskLookupUnavailableError);
    expect(failure.message).to.equal("Failed to get task status: TimeoutError");
  });
});
