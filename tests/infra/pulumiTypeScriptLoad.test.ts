import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";

describe("index.ts as the Pulumi CLI loads it (vendored ts-node 7, type-checked)", function () {
  this.timeout(120_000);

  it("compiles, type-checks and registers every resource", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["tests/helpers/loadWithPulumiTsNode.cjs"], {
      maxBuffer: 1 << 20,
    });
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")).to.deep.equal({
      // The TaskApi component and the 50 resources it owns.
      resources: 51,
      exports: [
        "apiId",
        "apiUrl",
        "callerPolicyArn",
        "dashboardName",
        "dashboardUrl",
        "eventBusArn",
        "eventBusName",
        "functionName",
        "functionRoleArn",
        "processorPolicyArn",
        "region",
        "sweeperFunctionName",
        "tableArn",
        "tableName",
        "webhookQueueUrl",
        "webhookSenderFunctionName",
        "webhookSigningSecret",
      ],
    });
  });
});
