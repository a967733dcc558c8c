/**
 * A field's value rule: the subset of JSON Schema (2020-12) the task's fields use, kept as data so
 * that the same rule is checked at run time (keepsRule, hasRuleType) and written out as JSON
 * Schema (npm run schemas). Patterns are RegExps whose source is the schema's pattern: JSON
 * Schema's regular expressions are ECMA-262's.
 */
export interface ValueRule {
  readonly type: "string" | "integer" | "number";
  /** The name it has in a schema's $defs, when several fields share it. */
  readonly def?: string;
  readonly enum?: readonly string[];
  readonly pattern?: RegExp;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  /** An annotation, as JSON Schema 2020-12 treats `format` by default: written out, not checked here. */
  readonly format?: "date-time" | "uri";
  readonly examples?: readonly string[];
}

/** The TypeScript type a rule's values have: its enum's members, or its JSON type. */
export type RuleValue<R> = R extends { readonly enum: readonly (infer E)[] }
  ? E
  : R extends { readonly type: "string" }
    ? string
    : number;

/** A rule's JSON type alone, as a value stored by another writer may be trusted to have no more. */
export type RuleJsonType<R> = R extends { readonly type: "string" } ? string : number;

/** Whether a value has a rule's JSON type: a string or a number, whatever else the rule asks. */
export function hasJsonType(rule: ValueRule, value: unknown): boolean {
  return typeof value === (rule.type === "string" ? "string" : "number");
}

/** Whether a value has the type a rule's values have: a string (of its enum, if it has one) or a number. */
export function hasRuleType(rule: ValueRule, value: unknown): boolean {
  if (rule.type !== "string") return typeof value === "number";
  return typeof value === "string" && (rule.enum === undefined || rule.enum.includes(value));
}

/** Whether a value keeps every rule the schema states for it (format aside: an annotation). */
export function keepsRule(rule: ValueRule, value: unknown): boolean {
  if (rule.type === "string") {
    if (typeof value !== "string") return false;
    if (rule.enum !== undefined && !rule.enum.includes(value)) return false;
    if (rule.pattern !== undefined && !rule.pattern.test(value)) return false;
    if (rule.minLength === undefined && rule.maxLength === undefined) return true;
    // JSON Schema counts a string's length in code points, not UTF-16 units.
    const length = [...value].length;
    return length >= (rule.minLength ?? 0) && length <= (rule.maxLength ?? Number.POSITIVE_INFINITY);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (rule.type === "integer" && !Number.isInteger(value)) return false;
  if (rule.minimum !== undefined && value < rule.minimum) return false;
  if (rule.maximum !== undefined && value > rule.maximum) return false;
  return rule.exclusiveMinimum === undefined || value > rule.exclusiveMinimum;
}

/** What a rule's type asks for, in words: "a string", "a number", or its enum ("processing, completed or failed"). */
export function ruleTypeInWords(rule: ValueRule): string {
  if (rule.enum !== undefined) return inWords(rule.enum);
  return rule.type === "string" ? "a string" : "a number";
}

/** What a rule asks for in full, in words: "a whole number from 0 to 100", "a string matching ^[A-Z]…$". */
export function ruleInWords(rule: ValueRule): string {
  if (rule.type === "string") {
    if (rule.enum !== undefined) return inWords(rule.enum);
    const parts = ["a string"];
    if (rule.pattern !== undefined) parts.push(`matching ${rule.pattern.source}`);
    if (rule.minLength !== undefined || rule.maxLength !== undefined) {
      parts.push(`of ${rule.minLength ?? 0} to ${rule.maxLength ?? "any number of"} characters`);
    }
    return parts.join(" ");
  }
  const kind = rule.type === "integer" ? "a whole number" : "a number";
  if (rule.minimum !== undefined && rule.maximum !== undefined)
    return `${kind} from ${rule.minimum} to ${rule.maximum}`;
  if (rule.minimum !== undefined) return `${kind} of at least ${rule.minimum}`;
  if (rule.exclusiveMinimum !== undefined) return `${kind} above ${rule.exclusiveMinimum}`;
  return kind;
}

function inWords(values: readonly string[]): string {
  return values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}
