import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { STREAM_LIST_ACTIONS, STREAM_READ_ACTIONS } from "@task-api/contract";
import { TYPES } from "./resourceTypes";
import { grantsOf, roleWithArn } from "./roleGrants";

/**
 * An EventBridge pipe's role, as a whole, may only read this stack's table streams (and decrypt
 * with the tables' own customer-managed keys), put events on this stack's event buses, and send
 * to this stack's queues (its dead letters); anything else is reported by action and resource.
 */
export const pipesRoleLeastPrivilege: StackValidationPolicy = {
  name: "pipes-role-least-privilege",
  description:
    "An EventBridge pipe's role may only read this stack's table streams (and list streams, which takes no resource), put events on this stack's buses, and send to this stack's queues.",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, reportViolation) => {
    const pipes = args.resources.filter((r) => r.type === TYPES.pipe);
    if (pipes.length === 0) args.notApplicable("the stack has no EventBridge pipe");
    const arnsOf = (type: string, property: string) =>
      args.resources.filter((r) => r.type === type).map((r) => String(r.props[property]));
    const streams = arnsOf(TYPES.table, "streamArn");
    // A table under a customer-managed key: its stream is read with that key.
    const tableKeys = args.resources
      .filter((r) => r.type === TYPES.table)
      .map((r) => (r.props.serverSideEncryption as { kmsKeyArn?: unknown } | undefined)?.kmsKeyArn)
      .filter((arn): arn is string => typeof arn === "string" && arn !== "");
    const buses = arnsOf(TYPES.bus, "arn");
    const queues = arnsOf(TYPES.queue, "arn");
    const allowed = (action: string, resource: string): boolean => {
      if ((STREAM_READ_ACTIONS as readonly string[]).includes(action)) return streams.includes(resource);
      // Wildcard-only: the one stream action that takes no resource.
      if ((STREAM_LIST_ACTIONS as readonly string[]).includes(action)) return resource === "*";
      if (action === "events:PutEvents") return buses.includes(resource);
      if (action === "sqs:SendMessage") return queues.includes(resource);
      if (action === "kms:Decrypt") return tableKeys.includes(resource);
      return false;
    };
    for (const pipe of pipes) {
      const role = roleWithArn(pipe.props.roleArn, args.resources);
      if (role === undefined) {
        reportViolation(
          `Pipe ${pipe.name} uses a role (${String(pipe.props.roleArn)}) this stack does not define, so its permissions cannot be checked.`,
          pipe.urn,
        );
        continue;
      }
      for (const grant of grantsOf(role, args.resources)) {
        if (!allowed(grant.action, grant.resource)) {
          reportViolation(
            `Role ${role.name} of pipe ${pipe.name} allows ${grant.action} on ${grant.resource} (${grant.source}): a pipe may only read this stack's table stream, put on this stack's bus, and dead-letter to this stack's queue.`,
            role.urn,
          );
        }
      }
    }
  },
};
