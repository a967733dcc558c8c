import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { expect } from "chai";
import { DynamoTaskRepository } from "../../handler/dynamoTaskRepository";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { sharedBackends } from "../helpers/sharedBackends";

describe("DynamoTaskRepository on DynamoDB Local", function () {
  this.timeout(90_000);
  let repository: DynamoTaskRepository;

  before(async () => {
    const backends = await sharedBackends();
    repository = new DynamoTaskRepository(DynamoDBDocumentClient.from(backends.dynamo), backends.env.DDB_TABLE_NAME);
    await backends.dynamo.send(
      new PutItemCommand({
        TableName: backends.env.DDB_TABLE_NAME,
        Item: {
          TaskId: { S: "repo-projection-1" },
          Status: { S: "failed" },
          Result: { S: "r" },
          ErrorMessage: { S: "boom" },
          ExpiresAt: { N: "4102444800" },
          Secret: { S: "never read" },
        },
      }),
    );
  });

  it("reads a stored task with the reserved-word attributes (Status, Result) intact", async () => {
    expect(await repository.findTask(SPEC_EXAMPLE_TASKS.failed.TaskId)).to.deep.equal(SPEC_EXAMPLE_TASKS.failed);
  });

  it("projects away every attribute outside the spec but the TTL", async () => {
    expect(await repository.findTask("repo-projection-1")).to.deep.equal({
      TaskId: "repo-projection-1",
      Status: "failed",
      Result: "r",
      ErrorMessage: "boom",
      ExpiresAt: 4102444800,
    });
  });

  it("resolves undefined for a task that does not exist", async () => {
    expect(await repository.findTask("no-such-task")).to.equal(undefined);
  });
});
