import { expect } from "chai";
import { BUNDLE_FILE, bundleFunction, bundleHandler } from "../../infra/lambdaBundle";
import { MOCK_ACCOUNT_ID, type ProgramRun, runProgramUnderMocks } from "../../policy-check/programUnderMocks";
import { named, ofType, single } from "../helpers/mockedProgram";

/** The parsed statements of an IAM policy JSON string. */
function statementsOf(policy: unknown): Array<Record<string, unknown>> {
  return (JSON.parse(String(policy)) as { Statement: Array<Record<string, unknown>> }).Statement;
}

describe("the Pulumi program (index.ts) on stack dev under mocks", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  let tableArn: string;
  let functionLogGroup: { name: string; arn: string };

  before(async () => {
    // The real entry point, with the committed Pulumi.yaml defaults and Pulumi.dev.yaml values.
    run = await runProgramUnderMocks(async () => ({ ...(await import("../../index.js")) }), { stack: "dev" });
    tableArn = String(single(run, "aws:dynamodb/table:Table").state.arn);
    const logGroup = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "task-status-function");
    functionLogGroup = { name: String(logGroup?.state.name), arn: String(logGroup?.state.arn) };
  });

  it("creates exactly the service's resources", () => {
    expect(run.resources.map((r) => r.type).sort()).to.deep.equal(
      [
        "aws:apigatewayv2/api:Api",
        "aws:apigatewayv2/integration:Integration",
        "aws:apigatewayv2/route:Route",
        "aws:apigatewayv2/route:Route",
        "aws:apigatewayv2/stage:Stage",
        "aws:cloudwatch/dashboard:Dashboard",
        "aws:cloudwatch/eventBus:EventBus",
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/eventTarget:EventTarget",
        "aws:cloudwatch/eventTarget:EventTarget",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:dynamodb/table:Table",
        "aws:iam/policy:Policy",
        "aws:iam/policy:Policy",
        "aws:iam/role:Role",
        "aws:iam/role:Role",
        "aws:iam/role:Role",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:lambda/function:Function",
        "aws:lambda/function:Function",
        "aws:lambda/function:Function",
        "aws:lambda/permission:Permission",
        "aws:lambda/permission:Permission",
        "aws:lambda/permission:Permission",
        "aws:pipes/pipe:Pipe",
        "aws:pipes/pipe:Pipe",
        "aws:secretsmanager/secret:Secret",
        "aws:secretsmanager/secretVersion:SecretVersion",
        "aws:sqs/queue:Queue",
        "aws:sqs/queue:Queue",
        "aws:sqs/queue:Queue",
        "aws:sqs/queuePolicy:QueuePolicy",
        "random:index/randomBytes:RandomBytes",
        "task-api:index:TaskApi",
        "time:index/sleep:Sleep",
      ].sort(),
    );
  });

  it("keys the table on TaskId (S), on demand, with PITR, the AWS-owned key, TTL on ExpiresAt, unprotected on dev", () => {
    const table = single(run, "aws:dynamodb/table:Table");
    expect(table.inputs).to.deep.include({
      hashKey: "TaskId",
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: false },
      deletionProtectionEnabled: false,
      ttl: { attributeName: "ExpiresAt", enabled: true },
    });
    expect(table.options.protect).to.equal(false);
    expect(table.inputs).to.not.have.any.keys("rangeKey");
  });

  it("gives the table the sweeper's two sparse deadline indexes, keyed (shard, deadline), projecting the period", () => {
    const table = single(run, "aws:dynamodb/table:Table");
    expect(table.inputs.attributes).to.have.deep.members([
      { name: "TaskId", type: "S" },
      { name: "HeartbeatShard", type: "N" },
      { name: "HeartbeatDeadline", type: "N" },
      { name: "TimeoutShard", type: "N" },
      { name: "TimeoutDeadline", type: "N" },
    ]);
    expect(table.inputs.globalSecondaryIndexes).to.deep.equal([
      {
        name: "heartbeat-deadlines",
        keySchemas: [
          { attributeName: "HeartbeatShard", keyType: "HASH" },
          { attributeName: "HeartbeatDeadline", keyType: "RANGE" },
        ],
        projectionType: "INCLUDE",
        nonKeyAttributes: ["HeartbeatSeconds"],
      },
      {
        name: "timeout-deadlines",
        keySchemas: [
          { attributeName: "TimeoutShard", keyType: "HASH" },
          { attributeName: "TimeoutDeadline", keyType: "RANGE" },
        ],
        projectionType: "INCLUDE",
        nonKeyAttributes: ["TimeoutSeconds"],
      },
    ]);
  });

  it("runs the deadline sweeper every minute, on the API's runtime, 5 s and 128 MB, invocable only by its rule", () => {
    const fn = named(run, "aws:lambda/function:Function", "deadline-sweeper");
    const rule = named(run, "aws:cloudwatch/eventRule:EventRule", "deadline-sweep");
    const target = named(run, "aws:cloudwatch/eventTarget:EventTarget", "deadline-sweep");
    const permission = named(run, "aws:lambda/permission:Permission", "deadline-sweep");
    expect(fn.inputs).to.deep.include({
      name: "task-api-dev-sweeper",
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      timeout: 5,
      memorySize: 128,
      handler: "index.handler",
      role: named(run, "aws:iam/role:Role", "deadline-sweeper").state.arn,
      environment: {
        variables: {
          DDB_TABLE_NAME: single(run, "aws:dynamodb/table:Table").state.name,
          DEADLINE_GRACE_SECONDS: "10",
          POWERTOOLS_SERVICE_NAME: "task-api",
          POWERTOOLS_LOG_LEVEL: "INFO",
        },
      },
    });
    expect(fn.inputs).to.not.have.property("reservedConcurrentExecutions");
    expect(rule.inputs.scheduleExpression).to.equal("rate(1 minute)");
    expect(target.inputs).to.deep.include({ rule: rule.state.name, arn: fn.state.arn });
    expect(permission.inputs).to.deep.include({
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      function: fn.state.name,
      sourceArn: rule.state.arn,
    });
  });

  it("lets the sweeper query exactly the two deadline indexes and update the table's items, nothing else", () => {
    const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "deadline-sweeper");
    const logGroup = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "deadline-sweeper");
    expect(logGroup?.inputs.name).to.equal("/aws/lambda/task-api-dev-sweeper");
    expect(policy.inputs.role).to.equal(named(run, "aws:iam/role:Role", "deadline-sweeper").state.id);
    expect(statementsOf(policy.inputs.policy)).to.deep.equal([
      {
        Sid: "FindTasksPastDeadline",
        Effect: "Allow",
        Action: ["dynamodb:Query"],
        Resource: [`${tableArn}/index/heartbeat-deadlines`, `${tableArn}/index/timeout-deadlines`],
      },
      { Sid: "FailTasksPastDeadline", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: [tableArn] },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${logGroup?.state.arn}:*`],
      },
    ]);
  });

  it("lets only Lambda assume the function's role, and attaches no managed policy", () => {
    const role = named(run, "aws:iam/role:Role", "task-status-function");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(role.inputs.managedPolicyArns ?? []).to.deep.equal([]);
    // Dev names no caller or processor roles, so nothing is attached anywhere.
    expect(run.resources.filter((r) => /policyAttachment/i.test(r.type))).to.deep.equal([]);
  });

  // Which actions each statement needs is checked against the requests the code sends, by AWS's
  // rules (tests/helpers/recordedRequestsAllowed.ts); here, that each is scoped to this stack's own.
  it("scopes the function's grants to the stack's table, the target objects and its own log group", () => {
    const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "task-status-function");
    expect(policy.inputs.role).to.equal(named(run, "aws:iam/role:Role", "task-status-function").state.id);
    const statements = statementsOf(policy.inputs.policy) as Array<{ Sid: string; Resource: string[] }>;
    expect(Object.fromEntries(statements.map((s) => [s.Sid, s.Resource]))).to.deep.equal({
      ReadTasks: [tableArn],
      ReadTargetObjects: ["arn:aws:s3:::media-bucket-dev/*"],
      WriteOwnLogs: [`${functionLogGroup.arn}:*`],
    });
    expect(tableArn).to.match(new RegExp(`^arn:aws:dynamodb:eu-west-1:${MOCK_ACCOUNT_ID}:table/`));
  });

  it("names the function's log group after the function, puts access logs under /aws/vendedlogs/, with the stack's retention", () => {
    const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => [g.inputs.name ?? g.inputs.namePrefix, g.inputs.retentionInDays])).to.have.deep.members([
      ["/aws/lambda/task-api-dev-status", 14],
      ["/aws/lambda/task-api-dev-sweeper", 14],
      ["/aws/lambda/task-api-dev-webhooks", 14],
      ["/aws/vendedlogs/apigateway/task-api-dev-access-", 14],
    ]);
    expect(named(run, "aws:lambda/function:Function", "task-status").inputs.name).to.equal("task-api-dev-status");
  });

  it("runs the function on nodejs24.x, arm64, 5 s, 128 MB, with its config in the environment", () => {
    const fn = named(run, "aws:lambda/function:Function", "task-status");
    expect(fn.inputs).to.deep.include({
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      timeout: 5,
      memorySize: 128,
      handler: "index.handler",
      role: named(run, "aws:iam/role:Role", "task-status-function").state.arn,
    });
    // No reservation on dev: a fresh account (quota 10, 100 kept unreserved) could not deploy one.
    expect(fn.inputs).to.not.have.property("reservedConcurrentExecutions");
    expect(fn.inputs.environment).to.deep.equal({
      variables: {
        DDB_TABLE_NAME: single(run, "aws:dynamodb/table:Table").state.name,
        TARGET_BUCKETS: "media-bucket-dev",
        URL_TTL_SECONDS: "900",
        POLL_INTERVAL_SECONDS: "30",
        DEADLINE_GRACE_SECONDS: "10",
        POWERTOOLS_SERVICE_NAME: "task-api",
        POWERTOOLS_LOG_LEVEL: "INFO",
      },
    });
    expect(fn.inputs.loggingConfig).to.deep.include({ logFormat: "JSON", logGroup: functionLogGroup.name });
  });

  it("deploys the esbuild bundle as in-memory text: one ES module that exports the handler", async () => {
    const code = named(run, "aws:lambda/function:Function", "task-status").inputs.code as {
      archive: Record<string, string>;
    };
    expect(Object.keys(code.archive)).to.deep.equal([BUNDLE_FILE]);
    const text = code.archive[BUNDLE_FILE] ?? "";
    expect(text).to.equal((await bundleHandler())[BUNDLE_FILE]);
    expect(text).to.match(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(text).to.not.include("node_modules/");
    expect(text).to.not.include("sourceMappingURL");
  });

  it("deploys the sweeper's own bundle, an ES module that exports its handler", async () => {
    const code = named(run, "aws:lambda/function:Function", "deadline-sweeper").inputs.code as {
      archive: Record<string, string>;
    };
    const text = code.archive[BUNDLE_FILE] ?? "";
    expect(text).to.equal((await bundleFunction("sweeper"))[BUNDLE_FILE]);
    expect(text).to.match(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(text).to.not.equal((await bundleHandler())[BUNDLE_FILE]);
  });

  it("routes GET /task/{task_id} and POST /tasks/batch-get behind IAM auth to the function (proxy, payload 2.0)", () => {
    const api = single(run, "aws:apigatewayv2/api:Api");
    const integration = single(run, "aws:apigatewayv2/integration:Integration");
    const route = named(run, "aws:apigatewayv2/route:Route", "get-task");
    expect(api.inputs.protocolType).to.equal("HTTP");
    expect(integration.inputs).to.deep.include({
      apiId: api.state.id,
      integrationType: "AWS_PROXY",
      integrationMethod: "POST",
      integrationUri: named(run, "aws:lambda/function:Function", "task-status").state.invokeArn,
      payloadFormatVersion: "2.0",
    });
    expect(route.inputs).to.deep.include({
      apiId: api.state.id,
      routeKey: "GET /task/{task_id}",
      authorizationType: "AWS_IAM",
      target: `integrations/${integration.state.id}`,
    });
    expect(named(run, "aws:apigatewayv2/route:Route", "batch-get-tasks").inputs).to.deep.include({
      apiId: api.state.id,
      routeKey: "POST /tasks/batch-get",
      authorizationType: "AWS_IAM",
      target: `integrations/${integration.state.id}`,
    });
  });

  it("serves a throttled, auto-deployed $default stage with JSON access logs", () => {
    const stage = single(run, "aws:apigatewayv2/stage:Stage");
    const accessLogs = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "task-api-access");
    expect(stage.inputs).to.deep.include({ name: "$default", autoDeploy: true });
    expect(stage.inputs.defaultRouteSettings).to.deep.include({ throttlingRateLimit: 50, throttlingBurstLimit: 100 });
    const logSettings = stage.inputs.accessLogSettings as { destinationArn: string; format: string };
    expect(logSettings.destinationArn).to.equal(accessLogs?.state.arn);
    expect(JSON.parse(logSettings.format)).to.include({ requestId: "$context.requestId", status: "$context.status" });
  });

  it("lets API Gateway invoke the function only through this API's two routes, each by its own permission", () => {
    const api = single(run, "aws:apigatewayv2/api:Api");
    for (const [name, route] of [
      ["api-invokes-task-status", "GET/task/*"],
      ["api-invokes-task-status-batch", "POST/tasks/batch-get"],
    ] as const) {
      expect(named(run, "aws:lambda/permission:Permission", name).inputs, name).to.deep.include({
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        function: named(run, "aws:lambda/function:Function", "task-status").state.name,
        sourceArn: `${api.state.executionArn}/*/${route}`,
      });
    }
  });

  it("alarms on function errors, throttles, duration near the timeout, API 5xx, sweeper errors and undelivered task events, notifying nobody without an e-mail", () => {
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const fnName = named(run, "aws:lambda/function:Function", "task-status").state.name;
    const apiId = single(run, "aws:apigatewayv2/api:Api").state.id;
    expect(
      alarms.map((a) => [a.inputs.namespace, a.inputs.metricName, a.inputs.dimensions, a.inputs.threshold]),
    ).to.have.deep.members([
      ["AWS/Lambda", "Errors", { FunctionName: fnName }, 1],
      ["AWS/Lambda", "Throttles", { FunctionName: fnName }, 1],
      ["AWS/Lambda", "Duration", { FunctionName: fnName }, 4000],
      ["AWS/ApiGateway", "5xx", { ApiId: apiId }, 5],
      ["AWS/Lambda", "Errors", { FunctionName: "task-api-dev-sweeper" }, 1],
      ...["task-events-dead-letters", "task-webhooks-dead-letters"].map((queue) => [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        { QueueName: named(run, "aws:sqs/queue:Queue", queue).state.name },
        1,
      ]),
    ]);
    for (const alarm of alarms) expect(alarm.inputs.alarmActions).to.deep.equal([]);
    expect(ofType(run, "aws:sns/topic:Topic")).to.deep.equal([]);
  });

  it("draws the alarms' metrics on a per-stack dashboard", () => {
    const dashboard = single(run, "aws:cloudwatch/dashboard:Dashboard");
    expect(dashboard.inputs.dashboardName).to.equal("task-api-dev-eu-west-1");
    const body = String(dashboard.inputs.dashboardBody);
    for (const metric of ['"Errors"', '"Throttles"', '"Duration"', '"5xx"']) expect(body).to.include(metric);
    for (const alarm of ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
      if (!alarm.name.endsWith("-dead-letters")) expect(body).to.include(String(alarm.state.arn));
    }
  });

  it("exports the API, region, table, functions, the API function's role, the access policies and the dashboard", () => {
    const api = single(run, "aws:apigatewayv2/api:Api");
    const policies = ofType(run, "aws:iam/policy:Policy");
    const policyArn = (name: string) => policies.find((p) => p.name === name)?.state.arn;
    expect(run.outputs).to.deep.equal({
      apiUrl: `https://${api.state.id}.execute-api.eu-west-1.amazonaws.com/`,
      apiId: api.state.id,
      region: "eu-west-1",
      tableName: single(run, "aws:dynamodb/table:Table").state.name,
      tableArn,
      functionName: "task-api-dev-status",
      sweeperFunctionName: "task-api-dev-sweeper",
      functionRoleArn: named(run, "aws:iam/role:Role", "task-status-function").state.arn,
      callerPolicyArn: policyArn("task-api-callers"),
      processorPolicyArn: policyArn("task-api-processors"),
      dashboardName: "task-api-dev-eu-west-1",
      dashboardUrl:
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=task-api-dev-eu-west-1",
      eventBusName: "task-api-dev",
      eventBusArn: `arn:aws:events:eu-west-1:${MOCK_ACCOUNT_ID}:event-bus/task-api-dev`,
      webhookQueueUrl: named(run, "aws:sqs/queue:Queue", "task-webhooks").state.url,
      webhookSenderFunctionName: "task-api-dev-webhooks",
      webhookSigningSecret: `whsec_${named(run, "random:index/randomBytes:RandomBytes", "webhook-signing-secret").state.base64}`,
    });
    expect(String(run.outputs.callerPolicyArn)).to.match(/^arn:aws:iam::123456789012:policy\/task-api-callers-/);
  });

  it("describes the callers' policy by both routes it grants, and leaves an existing stack's description alone (it would replace the policy)", () => {
    const callers = named(run, "aws:iam/policy:Policy", "task-api-callers");
    expect(callers.inputs.description).to.equal(
      "task-api: call GET /task/{task_id} and POST /tasks/batch-get (SigV4, execute-api:Invoke on those routes only)",
    );
    const resources = JSON.parse(String(callers.inputs.policy)).Statement.flatMap(
      (s: { Resource: string[] }) => s.Resource,
    );
    expect(resources.some((r: string) => r.endsWith("/GET/task/*"))).to.equal(true);
    expect(resources.some((r: string) => r.endsWith("/POST/tasks/batch-get"))).to.equal(true);
    expect(callers.options.ignoreChanges).to.deep.equal(["description"]);
  });
});
