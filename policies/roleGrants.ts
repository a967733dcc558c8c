import type { PolicyResource } from "@pulumi/policy";
import { documentsOf, type NormalizedStatement } from "./iamDocuments";
import { TYPES } from "./resourceTypes";

/** One thing a role may do: an action on a resource, and where the role got it. */
export interface Grant {
  action: string;
  resource: string;
  source: string;
}

/** The role resource with this ARN, if the stack defines it. */
export function roleWithArn(roleArn: unknown, resources: PolicyResource[]): PolicyResource | undefined {
  return resources.find((r) => r.type === TYPES.role && r.props.arn === roleArn);
}

function refersTo(value: unknown, role: PolicyResource): boolean {
  return value === role.props.name || value === role.props.id || value === role.props.arn;
}

/**
 * The managed policies a role has, from every resource that attaches one: the role's own
 * managedPolicyArns, RolePolicyAttachment, RolePolicyAttachmentsExclusive and PolicyAttachment.
 */
export function managedPolicyArnsOf(role: PolicyResource, resources: PolicyResource[]): string[] {
  const onRole = (role.props.managedPolicyArns as string[] | undefined) ?? [];
  const attached = resources.flatMap((r) => {
    switch (r.type) {
      case TYPES.rolePolicyAttachment:
        return refersTo(r.props.role, role) ? [String(r.props.policyArn)] : [];
      case TYPES.rolePolicyAttachmentsExclusive:
        return refersTo(r.props.roleName, role) ? ((r.props.policyArns as string[] | undefined) ?? []) : [];
      case TYPES.policyAttachment:
        return ((r.props.roles as unknown[] | undefined) ?? []).some((value) => refersTo(value, role))
          ? [String(r.props.policyArn)]
          : [];
      default:
        return [];
    }
  });
  return [...onRole, ...attached];
}

/** Every (action, resource) pair the role's Allow statements grant, from every place a role gets permissions. */
export function grantsOf(role: PolicyResource, resources: PolicyResource[]): Grant[] {
  const sources: Array<{ source: string; statements: NormalizedStatement[] }> = [];
  for (const document of documentsOf(TYPES.role, role.props))
    sources.push({ source: `role ${document.path}`, ...document });
  for (const inline of resources.filter((r) => r.type === TYPES.rolePolicy && refersTo(r.props.role, role))) {
    for (const document of documentsOf(TYPES.rolePolicy, inline.props))
      sources.push({ source: `RolePolicy ${inline.name}`, ...document });
  }
  for (const arn of managedPolicyArnsOf(role, resources)) {
    const policy = resources.find((r) => r.type === TYPES.managedPolicy && r.props.arn === arn);
    if (policy === undefined) continue;
    for (const document of documentsOf(TYPES.managedPolicy, policy.props))
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
