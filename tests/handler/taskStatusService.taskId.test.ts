import { isWellFormedTaskId, TASK_ID_RULE } from "@task-api/contract";
import { expect } from "chai";
import { InvalidTaskIdError, TaskIdMissingError } from "../../handler/errors";
import { parseTaskId } from "../../handler/taskStatusService";

describe("parseTaskId", () => {
  for (const good of [
    "1234-5678-9012",
    "c66b85ce-384d-4790-8417-e8821e34dff7",
    "a",
    "A.b_c:d-e",
    ".a",
    "a..",
    "x".repeat(128),
  ]) {
    it(`accepts ${good.length > 20 ? `${good.length} characters` : good}`, () => {
      expect(parseTaskId(good)).to.equal(good);
      expect(isWellFormedTaskId(good)).to.equal(true);
    });
  }

  it("throws TaskIdMissingError with the spec's message when there is none", () => {
    expect(() => parseTaskId(undefined))
      .to.throw(TaskIdMissingError)
      .with.property("message", "task_id is required in path parameters");
  });

  for (const bad of [
    ".",
    "..",
    "...",
    "",
    " ",
    "x".repeat(129),
    "a/b",
    "a%2Fb",
    "ü",
    "a\u0000b",
    "a\nb",
    "😀",
    "a+b",
    "a,b",
  ]) {
    it(`rejects ${JSON.stringify(bad.slice(0, 12))} without echoing it`, () => {
      let thrown: unknown;
      try {
        parseTaskId(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(InvalidTaskIdError);
      expect((thrown as Error).message).to.equal(`Invalid task_id: ${TASK_ID_RULE}`);
      expect(isWellFormedTaskId(bad)).to.equal(false);
    });
  }
});
