import { TYPES } from "./resourceTypes";

/**
 * IAM policy documents as the engine hands them to a policy: a JSON string or an object, with
 * `Statement`, `Action` and `Resource` each a single value or a list.
 */

/** One statement, with every list-or-single field turned into a list. */
export interface NormalizedStatement {
  sid: string | undefined;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
}

/** Where a document was found on a resource, for messages ("policy", "inlinePolicies[0].policy"). */
export interface LocatedDocument {
  path: string;
  statements: NormalizedStatement[];
}

/** Parses a policy document; a document that is not JSON yields one statement that fails every rule. */
export function parsePolicyDocument(document: unknown): NormalizedStatement[] {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [unreadable("the document is not valid JSON")];
    }
  }
  if (typeof parsed !== "object" || parsed === null) return [unreadable("the document is not an object")];
  const statement = (parsed as { Statement?: unknown }).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return statements.map((entry) => normalizeStatement(entry));
}

function normalizeStatement(entry: unknown): NormalizedStatement {
  if (typeof entry !== "object" || entry === null) return unreadable("a statement is not an object");
  const s = entry as Record<string, unknown>;
  return {
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: typeof s.Effect === "string" ? s.Effect : "",
    actions: listOf(s.Action),
    notActions: listOf(s.NotAction),
    resources: listOf(s.Resource),
    notResources: listOf(s.NotResource),
  };
}

function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

// A statement that no rule accepts: an Allow of "*" on "*" named for why it could not be read.
function unreadable(reason: string): NormalizedStatement {
  return {
    sid: `unreadable: ${reason}`,
    effect: "Allow",
    actions: ["*"],
    notActions: [],
    resources: ["*"],
    notResources: [],
  };
}

/** A short label for a statement in messages. */
export function describeStatement(statement: NormalizedStatement, index: number): string {
  return statement.sid === undefined ? `statement ${index + 1}` : `statement "${statement.sid}"`;
}

/** The IAM documents a resource carries, by type: an inline or managed policy's `policy`, a role's inline policies. */
export function documentsOf(type: string, props: Record<string, unknown>): LocatedDocument[] {
  switch (type) {
    case TYPES.rolePolicy:
    case TYPES.managedPolicy:
    case TYPES.userPolicy:
    case TYPES.groupPolicy:
      return [{ path: "policy", statements: parsePolicyDocument(props.policy) }];
    case TYPES.role: {
      const inline = props.inlinePolicies;
      if (!Array.isArray(inline)) return [];
      return inline.flatMap((entry: unknown, i: number) => {
        const policy = (entry as { policy?: unknown } | null)?.policy;
        return policy === undefined
          ? []
          : [{ path: `inlinePolicies[${i}].policy`, statements: parsePolicyDocument(policy) }];
      });
    }
    default:
      return [];
  }
}

/** The resource types that can carry IAM documents. */
export const IAM_DOCUMENT_TYPES: readonly string[] = [
  TYPES.rolePolicy,
  TYPES.managedPolicy,
  TYPES.userPolicy,
  TYPES.groupPolicy,
  TYPES.role,
];
