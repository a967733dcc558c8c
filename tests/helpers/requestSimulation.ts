/**
 * Recorded requests against the policies a stack gives their principals, evaluated by a policy
 * simulator (@cloud-copilot/iam-simulate, AGPL-3.0: a devDependency of the tests only, never
 * bundled nor shipped) rather than by code of ours: which requests AWS would deny, and which
 * grants no request needs.
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { ProgramRun } from "../../policy-check/programUnderMocks";
import type { RecordedRequest } from "./awsRequestRecorder";
import { type AuthorizedRequest, authorizedAs, type IamStatement } from "./iamReference";
import { type Principal, principalsOf, stackTargetsOf } from "./principalPolicies";

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM's answer for one request of a principal under these identity policies (and permissions boundary). */
export async function simulate(
  principalArn: string,
  policies: Principal["policies"],
  action: string,
  resource: string,
  account: string,
  options: {
    context?: Record<string, string>;
    boundary?: Principal["boundary"] | undefined;
    /** The resource's own policy (a KMS key policy, which must delegate to IAM for any grant to count). */
    resourcePolicy?: unknown;
  } = {},
): Promise<string> {
  const { context = {}, boundary, resourcePolicy } = options;
  const simulation = {
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(boundary === undefined ? {} : { permissionBoundaryPolicies: [{ name: "boundary", policy: boundary }] }),
    ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
    request: { principal: principalArn, action, resource: { resource, accountId: account }, contextVariables: context },
  };
  const result = await runSimulation(simulation, {});
  // API Gateway's V2 paths (/apis/...) are resource types of the prefix `apigateway`, but iam-data
  // keeps the REST reference's lists for its verbs (tests/helpers/iamReference.ts), so the
  // validating entry point finds no type: evaluate those without its resource-type check.
  if (
    result.resultType === "error" &&
    result.errors.message === "no.resource.types" &&
    action.startsWith("apigateway:")
  ) {
    return runUnsafeSimulation(simulation, {});
  }
  if (result.resultType === "error") {
    throw new Error(`the simulator refused ${action} on ${resource}: ${result.errors.message}`);
  }
  return result.overallResult;
}

/** The statement closest to granting a denied request: one with the action, else one of its service. */
function nearestStatement(principal: Principal, action: string): string {
  const statements = principal.policies.flatMap(({ name, policy }) => policy.Statement.map((s) => ({ name, s })));
  const describe = ({ name, s }: { name: string; s: IamStatement }) =>
    `${name} ${s.Sid ?? "(no Sid)"}: ${list(s.Action).join(", ")} on ${list(s.Resource).join(", ")}`;
  const withAction = statements.find(({ s }) => list(s.Action).includes(action));
  if (withAction !== undefined) return describe(withAction);
  const service = action.split(":")[0];
  const sameService = statements.find(({ s }) => list(s.Action).some((a) => a.startsWith(`${service}:`)));
  return sameService === undefined ? `none grants any ${service} action` : describe(sameService);
}

/** Each recorded request mapped into the stack, once per component, action and resource. */
async function authorizedRequests(run: ProgramRun, requests: readonly RecordedRequest[]): Promise<AuthorizedRequest[]> {
  const targets = stackTargetsOf(run);
  const seen = new Map<string, AuthorizedRequest>();
  for (const request of requests) {
    for (const authorized of await authorizedAs(request, targets)) {
      const key = `${request.component} ${authorized.action} ${authorized.resource}`;
      if (!seen.has(key)) seen.set(key, authorized);
    }
  }
  return [...seen.values()];
}

/**
 * Every recorded request that the stack's policies for its principal would not allow, as a line
 * naming the stack, the component, the action, the resource, the file that sent it and the
 * nearest statement.
 */
export async function deniedRequests(run: ProgramRun, requests: readonly RecordedRequest[]): Promise<string[]> {
  const principals = principalsOf(run);
  const account = stackTargetsOf(run).account;
  const denied: string[] = [];
  for (const authorized of await authorizedRequests(run, requests)) {
    const { component, sentBy } = authorized.request;
    const principal = principals.find((p) => p.component === component);
    if (principal === undefined) continue; // republish on a stack without a bus: nothing to republish
    const answer = await simulate(principal.arn, principal.policies, authorized.action, authorized.resource, account, {
      boundary: principal.boundary,
    });
    if (answer !== "Allowed") {
      denied.push(
        `${run.stack}: ${component} (${sentBy}) sends ${authorized.action} on ${authorized.resource}: ${answer}; nearest statement: ${nearestStatement(principal, authorized.action)}`,
      );
    }
  }
  return denied;
}

/**
 * Every grant (statement, action, resource) that no recorded request of its principal needs,
 * unless the program says why next to it (the principal's `usedByAws`): a grant is needed when a
 * policy of that one statement's action and resource alone allows some recorded request.
 */
export async function unneededGrants(run: ProgramRun, requests: readonly RecordedRequest[]): Promise<string[]> {
  const account = stackTargetsOf(run).account;
  const authorized = await authorizedRequests(run, requests);
  const unneeded: string[] = [];
  for (const principal of principalsOf(run)) {
    const own = authorized.filter((a) => a.request.component === principal.component);
    for (const { name, policy } of principal.policies) {
      for (const statement of policy.Statement) {
        if (statement.Sid !== undefined && statement.Sid in principal.usedByAws) continue;
        for (const action of list(statement.Action)) {
          for (const resource of list(statement.Resource)) {
            const alone = [
              {
                name: "grant",
                policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] },
              },
            ];
            let needed = false;
            for (const request of own.filter((a) => a.action === action)) {
              if ((await simulate(principal.arn, alone, action, request.resource, account)) === "Allowed") {
                needed = true;
                break;
              }
            }
            if (!needed) {
              unneeded.push(
                `${run.stack}: ${principal.component}'s ${name} ${statement.Sid ?? "(no Sid)"} grants ${action} on ${resource}, which no recorded request needs`,
              );
            }
          }
        }
      }
    }
  }
  return unneeded;
}
