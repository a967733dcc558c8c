import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { iamAccessPoliciesScoped } from "../../policies/accessGrants";
import { findingsOf, resourceOf, UNKNOWN_STRING, violationsOf } from "../helpers/policyHarness";

const ACCOUNT = "123456789012";
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/tasks-1`;
const EXECUTION_ARN = `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123`;
const CALLER = {
  Sid: "InvokeTaskStatus",
  Effect: "Allow",
  Action: ["execute-api:Invoke"],
  Resource: [`${EXECUTION_ARN}/$default/GET/task/*`, `${EXECUTION_ARN}/$default/POST/tasks/batch-get`],
};
const PROCESSOR = {
  Sid: "WriteTasks",
  Effect: "Allow",
  Action: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
  Resource: [TABLE_ARN],
};

/** The program's API, table and both access policies, as a stack policy sees them; statements overridable. */
function stack(caller: object[] = [CALLER], processor: object[] = [PROCESSOR], policyArn = "x") {
  const document = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  return [
    resourceOf(aws.apigatewayv2.Api, "task-api", { protocolType: "HTTP" }, { executionArn: EXECUTION_ARN }),
    resourceOf(aws.dynamodb.Table, "tasks", { hashKey: "TaskId" }, { arn: TABLE_ARN }),
    resourceOf(aws.iam.Policy, "task-api-callers", { policy: document(caller) }, { arn: `${policyArn}-callers` }),
    resourceOf(aws.iam.Policy, "task-api-processors", { policy: document(processor) }, { arn: `${policyArn}-p` }),
  ];
}

describe("policies/accessGrants: iam-access-policies-scoped (mandatory, stack)", () => {
  it("passes the program's caller and processor policies", async () => {
    expect(await findingsOf(iamAccessPoliciesScoped, stack())).to.deep.equal([]);
  });

  const widenings: Array<[string, object[], object[], RegExp]> = [
    [
      "a caller allowed any method",
      [{ ...CALLER, Resource: [`${EXECUTION_ARN}/*/*/task/*`] }],
      [PROCESSOR],
      /Invoke on .*\/\*\/\*\/task/,
    ],
    [
      "a caller allowed POST",
      [{ ...CALLER, Resource: [`${EXECUTION_ARN}/$default/POST/task/*`] }],
      [PROCESSOR],
      /POST/,
    ],
    [
      "a caller allowed POST on another path than /tasks/batch-get",
      [{ ...CALLER, Resource: [`${EXECUTION_ARN}/$default/POST/tasks/batch-get-all`] }],
      [PROCESSOR],
      /batch-get-all/,
    ],
    [
      "a caller allowed every GET route, not only the task route",
      [{ ...CALLER, Resource: [`${EXECUTION_ARN}/$default/GET/*`] }],
      [PROCESSOR],
      /GET\/\*/,
    ],
    [
      "a caller allowed any stage",
      [{ ...CALLER, Resource: [`${EXECUTION_ARN}/*/GET/task/*`] }],
      [PROCESSOR],
      /\/\*\/GET\/task/,
    ],
    [
      "a caller allowed another API",
      [{ ...CALLER, Resource: [`arn:aws:execute-api:eu-west-1:${ACCOUNT}:other/$default/GET/task/*`] }],
      [PROCESSOR],
      /other/,
    ],
    [
      "a caller allowed execute-api:*",
      [{ ...CALLER, Action: ["execute-api:*"] }],
      [PROCESSOR],
      /allows execute-api:\*/,
    ],
    ["a processor allowed DeleteItem", [CALLER], [{ ...PROCESSOR, Action: ["dynamodb:DeleteItem"] }], /DeleteItem/],
    ["a processor allowed Scan", [CALLER], [{ ...PROCESSOR, Action: ["dynamodb:Scan"] }], /Scan/],
    ["a processor allowed GetItem", [CALLER], [{ ...PROCESSOR, Action: ["dynamodb:GetItem"] }], /GetItem/],
    ["a processor on another table", [CALLER], [{ ...PROCESSOR, Resource: [`${TABLE_ARN}-other`] }], /tasks-1-other/],
    [
      "a processor with NotAction",
      [CALLER],
      [{ Effect: "Allow", NotAction: "iam:*", Resource: TABLE_ARN }],
      /NotAction/,
    ],
  ];
  for (const [label, caller, processor, message] of widenings) {
    it(`fails ${label}, naming the grant`, async () => {
      const violations = await violationsOf(iamAccessPoliciesScoped, stack(caller, processor));
      expect(violations.length).to.be.greaterThan(0);
      for (const violation of violations) expect(violation).to.match(message);
    });
  }

  it("fails one policy that mixes caller and processor grants", async () => {
    expect(await violationsOf(iamAccessPoliciesScoped, stack([CALLER, PROCESSOR], [PROCESSOR]))).to.deep.equal([
      "Policy task-api-callers mixes caller and processor grants; keep them in separate policies.",
    ]);
  });

  it("reports that it cannot decide, as advisory, while the API's ARN is unknown (first preview)", async () => {
    const resources = stack();
    const api = resources[0];
    if (api !== undefined) api.state.executionArn = UNKNOWN_STRING;
    const findings = await findingsOf(iamAccessPoliciesScoped, resources);
    expect(findings.map((f) => f.level)).to.deep.equal(["advisory"]);
    expect(findings[0]?.message).to.match(
      /^can't run policy 'iam-access-policies-scoped' from policy pack '[^']+' during preview/,
    );
  });
});
