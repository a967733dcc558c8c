import { expect } from "chai";
import { failureNameOf, TaskLookupError } from "../../handler/errors";

describe("TaskLookupError", () => {
  it("names an AWS error by its name and never carries its message", () => {
    const cause = Object.assign(
      new Error("User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: dynamodb:GetItem"),
      { name: "AccessDeniedException" },
    );
    const error = new TaskLookupError(cause);
    expect(error.message).to.equal("Failed to get task status: AccessDeniedException");
    expect(error.statusCode).to.equal(500);
    expect(error.cause).to.equal(cause);
  });

  it("names a Node network error by its code", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(new TaskLookupError(cause).message).to.equal("Failed to get task status: ECONNREFUSED");
  });
});

describe("failureNameOf", () => {
  it("falls back to Error for a plain error without a code", () => {
    expect(failureNameOf(new Error("x"))).to.equal("Error");
  });
  it("refuses names that are not short identifiers", () => {
    const error = Object.assign(new Error("x"), { name: "Bad name with spaces arn:aws:iam::123456789012" });
    expect(failureNameOf(error)).to.equal("Error");
  });
  it("says UnknownError for something thrown that is not an Error", () => {
    expect(failureNameOf("a string")).to.equal("UnknownError");
  });
});
