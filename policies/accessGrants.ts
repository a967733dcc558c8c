import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { CALLER_ROUTE_KEYS, PROCESSOR_ITEM_ACTIONS, routeResource } from "@task-api/contract";
import { documentsOf } from "./iamDocuments";
import { TYPES } from "./resourceTypes";

/** What a processor may do to a task record: create it, and move it on. */
const ITEM_WRITES: readonly string[] = PROCESSOR_ITEM_ACTIONS;
/** The caller routes' part of an execute-api resource, after the stage. */
const CALLER_ROUTES = CALLER_ROUTE_KEYS.map(routeResource);

/**
 * The managed policies a stack grants to others come in two kinds, and each stays in its lane: a
 * caller policy allows only execute-api:Invoke on the caller routes (both reads) of this stack's API; a processor
 * policy allows only item writes (PutItem, UpdateItem) on this stack's table. A policy that
 * grants anything else, or mixes the two, is reported with the grant that breaks it.
 */
export const iamAccessPoliciesScoped: StackValidationPolicy = {
  name: "iam-access-policies-scoped",
  description: `Policies the stack grants to callers may only invoke ${CALLER_ROUTE_KEYS.join(" and ")} on this stack's API; policies for processors may only ${ITEM_WRITES.join("/")} on this stack's table.`,
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, reportViolation) => {
    const policies = args.resources.filter((r) => r.type === TYPES.managedPolicy);
    if (policies.length === 0) args.notApplicable("the stack defines no managed IAM policy");
    const executionArns = args.resources.filter((r) => r.type === TYPES.api).map((r) => String(r.props.executionArn));
    const tableArns = args.resources.filter((r) => r.type === TYPES.table).map((r) => String(r.props.arn));
    // A caller route of this API, under a named stage (not a wildcard).
    const invokesThisApi = (resource: string) =>
      executionArns.some((arn) => {
        if (!resource.startsWith(`${arn}/`)) return false;
        const [stage = "", ...route] = resource.slice(arn.length + 1).split("/");
        return stage !== "" && !stage.includes("*") && CALLER_ROUTES.includes(route.join("/"));
      });

    for (const policy of policies) {
      const kinds = new Set<string>();
      for (const { path, statements } of documentsOf(TYPES.managedPolicy, policy.props)) {
        for (const statement of statements) {
          if (statement.effect !== "Allow") continue;
          const where = `Policy ${policy.name} ${path}`;
          if (statement.notActions.length > 0 || statement.notResources.length > 0) {
            reportViolation(
              `${where} allows with NotAction or NotResource; grant named actions on named resources.`,
              policy.urn,
            );
            continue;
          }
          for (const action of statement.actions) {
            for (const resource of statement.resources) {
              if (action === "execute-api:Invoke" && invokesThisApi(resource)) {
                kinds.add("caller");
              } else if (ITEM_WRITES.includes(action) && tableArns.includes(resource)) {
                kinds.add("processor");
              } else {
                reportViolation(
                  `${where} allows ${action} on ${resource}: callers may only invoke this stack's API's ${CALLER_ROUTE_KEYS.join(" and ")}, processors may only ${ITEM_WRITES.join("/")} on this stack's table.`,
                  policy.urn,
                );
              }
            }
          }
        }
      }
      if (kinds.size > 1) {
        reportViolation(
          `Policy ${policy.name} mixes caller and processor grants; keep them in separate policies.`,
          policy.urn,
        );
      }
    }
  },
};
