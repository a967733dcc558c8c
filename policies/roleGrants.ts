import type { PolicyResource } from "@pulumi/policy";
import { documentsOf, type NormalizedStatement } from "./iamDocuments";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const MANAGED_POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

/** One thing a role may do: an action on a resource, and where the role got it. */
export interface Grant {
  action: string;
  resource: string;
  source: string;
}

/** The role resource with this ARN, if the stack defines it. */
export function roleWithArn(roleArn: unknown, resources: PolicyResource[]): PolicyResource | undefined {
  return resources.find((r) => r.type === ROLE && r.props.arn === roleArn);
}

function refersTo(value: unknown, role: PolicyResource): boolean {
  return value === role.props.name || value === role.props.id || value === role.props.arn;
}

export function managedPolicyArnsOf(role: PolicyResource, resources: PolicyResource[]): string[] {
  const onRole = (role.props.managedPolicyArns as string[] | undefined) ?? [];
  const attached = resources
    .filter((r) => r.type === ATTACHMENT && refersTo(r.props.role, role))
    .map((r) => String(r.props.policyArn));
  return [...onRole, ...attached];
}

/** Every (action, resource) pair the role's Allow statements grant, from every place a role gets permissions. */
export function grantsOf(role: PolicyResource, resources: PolicyResource[]): Grant[] {
  const sources: Array<{ source: string; statements: NormalizedStatement[] }> = [];
  for (const document of documentsOf(ROLE, role.props)) sources.push({ source: `role ${document.path}`, ...document });
  for (const inline of resources.filter((r) => r.type === ROLE_POLICY && refersTo(r.props.role, role))) {
    for (const document of documentsOf(ROLE_POLICY, inline.props))
      sources.push({ source: `RolePolicy ${inline.name}`, ...document });
  }
  for (const arn of managedPolicyArnsOf(role, resources)) {
    const policy = resources.find((r) => r.type === MANAGED_POLICY && r.props.arn === arn);
    if (policy === undefined) continue;
    for (const document of documentsOf(MANAGED_POLICY, policy.props))
      sources.push({ source: `Policy ${policy.name}`, ...document });
  }
  const grants: Grant[] = [];
  for (const { source, statements } of sources) {
    for (const statement of statements) {
      if (statement.effect !== "Allow") continue;
      const actions = statement.notActions.length > 0 ? ["NotAction"] : statement.actions;
      const targets = statement.notResources.length > 0 ? ["NotResource"] : statement.resources;
      for (const action of actions) for (const resource of targets) grants.push({ action, resource, source });
    }
  }
  return grants;
}
