/**
 * A small evaluator of EventBridge event patterns and Pipes input templates, for the forms this
 * project uses, following the documented semantics (tests/helpers/eventBridge.test.ts checks it
 * against the documentation's own examples). EventBridge and Pipes have no local emulator.
 *
 * Patterns: a pattern object's fields must all match; a field whose pattern is an object matches
 * the event's object at that field; a field whose pattern is an array matches when the event's
 * leaf value (or, for an array value, any of its elements) matches any of the array's rules:
 * a literal (string, number, null, boolean), {"prefix": s}, {"anything-but": value | list |
 * {"prefix": s}}, {"exists": bool}. Exists looks at leaf nodes only: an object there counts as
 * absent. Any other operator throws, so an unsupported pattern fails loudly, never quietly.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Rule = Json;

export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const value = isObject(event) ? event[field] : undefined;
    if (field.startsWith("$")) throw new Error(`unsupported pattern operator ${field}`);
    if (Array.isArray(expected)) return matchesLeaf(expected as Rule[], value);
    if (isObject(expected)) return matchesPattern(expected, value);
    throw new Error(`a pattern's field must be an object or an array, not ${JSON.stringify(expected)}`);
  });
}

/** Pipes' FilterCriteria: a record passes when any filter's pattern matches it. */
export function passesFilters(patterns: readonly string[], record: unknown): boolean {
  return patterns.some((pattern) => matchesPattern(JSON.parse(pattern) as Record<string, unknown>, record));
}

function matchesLeaf(rules: Rule[], value: unknown): boolean {
  const leaf = isObject(value) ? undefined : value;
  const candidates = Array.isArray(leaf) ? leaf : [leaf];
  return rules.some((rule) => {
    if (isObject(rule) && "exists" in rule) return (leaf !== undefined) === (rule.exists === true);
    return leaf !== undefined && candidates.some((candidate) => matchesRule(rule, candidate));
  });
}

function matchesRule(rule: Rule, value: unknown): boolean {
  if (!isObject(rule)) return rule === value;
  const [operator, ...others] = Object.keys(rule);
  if (operator === undefined || others.length > 0) throw new Error(`unsupported rule ${JSON.stringify(rule)}`);
  const operand = rule[operator];
  switch (operator) {
    case "prefix":
      return typeof value === "string" && typeof operand === "string" && value.startsWith(operand);
    case "anything-but":
      if (isObject(operand)) return !matchesRule(operand, value);
      return !(Array.isArray(operand) ? operand : [operand]).some((excluded) => excluded === value);
    default:
      throw new Error(`unsupported rule operator ${operator}`);
  }
}

/** The value at a JSON path of dot notation ($.a.b.c), or undefined where there is none. */
export function valueAtPath(event: unknown, path: string): unknown {
  if (!path.startsWith("$.")) throw new Error(`unsupported JSON path ${path}`);
  return path
    .slice(2)
    .split(".")
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), event);
}

const MISSING = "\u0000missing\u0000";

/**
 * Renders a Pipes input template whose variables stand as whole JSON values, quoted
 * ("<$.path>", for strings) or not (<$.path>, for objects and numbers). A quoted variable is
 * replaced by the value as a JSON string (Pipes: "replaces input transformers at runtime to
 * ensure a valid JSON output"); a variable whose path does not exist leaves its member out
 * (EventBridge: such a variable "isn't created and won't appear in the output").
 */
export function renderInputTemplate(template: string, event: unknown): unknown {
  const json = template.replace(/"?<(\$\.[^>]+)>"?/g, (token, path: string) => {
    const quoted = token.startsWith('"') && token.endsWith('"');
    const value = valueAtPath(event, path);
    if (value === undefined) return JSON.stringify(MISSING);
    return quoted ? JSON.stringify(typeof value === "string" ? value : JSON.stringify(value)) : JSON.stringify(value);
  });
  return dropMissing(JSON.parse(json) as Json);
}

function dropMissing(node: Json): Json {
  if (Array.isArray(node)) return node.filter((item) => item !== MISSING).map(dropMissing);
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([, v]) => v !== MISSING)
        .map(([k, v]) => [k, dropMissing(v)]),
    );
  }
  return node;
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
