import {
  ANSWERED_FIELDS,
  API_READ_FIELDS,
  EVENT_FIELDS,
  SENDER_READ_FIELDS,
  TASK_RECORD_FIELDS,
  type TaskFieldSpec,
} from "@task-api/contract";
import { expect } from "chai";
import { taskEventInputTemplate } from "../../infra/taskEventDefinitions";

const spec = (field: string): TaskFieldSpec =>
  (TASK_RECORD_FIELDS as Record<string, TaskFieldSpec>)[field] ?? { value: { type: "string" } };

describe("contract/taskFields", () => {
  it("puts only string fields in events: the pipes' template copies each one's S value", () => {
    for (const field of EVENT_FIELDS) expect(spec(field).value.type, field).to.equal("string");
    const template = taskEventInputTemplate("completed", "dev");
    for (const field of EVENT_FIELDS.filter((f) => f !== "Status")) {
      expect(template, field).to.include(`"${field}": "<$.dynamodb.NewImage.${field}.S>"`);
    }
  });

  it("keeps what only the webhook sender reads out of the API's answer and out of its projection", () => {
    expect(SENDER_READ_FIELDS).to.deep.equal(["CallbackUrl"]);
    for (const field of SENDER_READ_FIELDS) {
      expect(ANSWERED_FIELDS, field).to.not.include(field);
      expect(API_READ_FIELDS, field).to.not.include(field);
    }
  });
});
