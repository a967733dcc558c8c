/**
 * The task's published schemas, written from the contract's one table of fields
 * (contract/taskFields.ts): schemas/task-record.schema.json, schemas/task-event.schema.json and
 * openapi.yaml's Task component. `npm run schemas` writes them; tests/scripts/taskSchemas.test.ts
 * fails while a committed file differs from what these functions give.
 */
import {
  ANSWERED_FIELDS,
  DEADLINES,
  EVENT_FIELDS,
  SHARED_RULE_DESCRIPTIONS,
  TASK_ANSWER_EXTRAS,
  TASK_EVENT_DETAIL_TYPES,
  TASK_EVENT_EXTRAS,
  TASK_EVENT_SOURCE,
  TASK_FIELD_DESCRIPTIONS,
  TASK_RECORD_FIELDS,
  type TaskEventStatus,
  type TaskFieldSpec,
  type TaskRecordField,
  type ValueRule,
} from "@task-api/contract";
import { stringify } from "yaml";

type Schema = { [keyword: string]: unknown };

const SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
const SCHEMA_BASE = "https://task-api.example/schemas";

/** A rule's JSON Schema keywords. A RegExp's source escapes "/", which a schema's pattern need not. */
function ruleSchema(rule: ValueRule): Schema {
  // A shared rule's name is where a schema puts it ($defs), not one of its keywords.
  const { def: _name, pattern, ...keywords } = rule;
  return { ...keywords, ...(pattern === undefined ? {} : { pattern: pattern.source.replaceAll("\\/", "/") }) };
}

type Described = keyof typeof TASK_FIELD_DESCRIPTIONS;

/** A record field's schema: its rule by reference when the rule is a shared one, else inline. */
function recordProperty(field: TaskRecordField, spec: TaskFieldSpec): Schema {
  const description = TASK_FIELD_DESCRIPTIONS[field];
  const { def } = spec.value;
  return def === undefined ? { description, ...ruleSchema(spec.value) } : { description, $ref: `#/$defs/${def}` };
}

/**
 * A field as the API answers it (and an event carries it): its whole rule when the API checks
 * it, else only its JSON type, with the rule's examples (or enum) as examples.
 */
function answerProperty(field: Described, spec: TaskFieldSpec): Schema {
  const description = `${TASK_FIELD_DESCRIPTIONS[field]}${spec.addition === true ? " An addition to the spec." : ""}`;
  if (spec.answer === "checked") return { description, ...ruleSchema(spec.value) };
  const examples = spec.value.examples ?? spec.value.enum;
  return { description, type: spec.value.type, ...(examples === undefined ? {} : { examples }) };
}

const required = (...fields: TaskRecordField[]) => ({ required: fields });
const statusIs = (status: string) => ({ properties: { Status: { const: status } }, required: ["Status"] });

/** A JSON Schema if/then pair (`then` is the keyword's name, not a promise's). */
function ifThen(condition: Schema, consequence: Schema): Schema {
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword
  return { if: condition, then: consequence };
}

/** What the record's fields ask of each other, beyond each field's own rule. */
function recordConditions(): Schema {
  const indexes = Object.values(DEADLINES);
  return {
    anyOf: [required("Status"), required("Result")],
    allOf: [
      ifThen(statusIs("completed"), {
        description: "A completed task names its result object; without one the API answers no URL.",
        anyOf: [required("TargetBucket", "TargetKey"), required("Result")],
      }),
      ifThen(statusIs("failed"), { description: "A failed task says why.", ...required("ErrorMessage") }),
      ifThen(required("Progress"), {
        description: "Progress belongs to tasks that have a status.",
        ...required("Status"),
      }),
      ifThen(
        { anyOf: indexes.map((deadline) => required(deadline.shardAttribute)) },
        { description: "Only an unfinished task is in a deadline index.", ...statusIs("processing") },
      ),
      ...indexes.map((deadline) =>
        ifThen(required(deadline.shardAttribute), {
          description: `A task in the ${deadline.kind} index has its deadline.`,
          ...required(deadline.secondsAttribute, deadline.deadlineAttribute),
        }),
      ),
    ],
  };
}

/** schemas/task-record.schema.json: one task record as processors write it. */
export function taskRecordSchema(): Schema {
  const fields = Object.entries(TASK_RECORD_FIELDS) as Array<[TaskRecordField, TaskFieldSpec]>;
  const defs: Record<string, Schema> = {};
  for (const [, spec] of fields) {
    const { def, ...rule } = spec.value;
    const shared: Readonly<Record<string, string>> = SHARED_RULE_DESCRIPTIONS;
    if (def !== undefined) defs[def] = { description: shared[def], ...ruleSchema(rule) };
  }
  const additions = fields.filter(([, spec]) => spec.addition === true).map(([field]) => field);
  return {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_BASE}/task-record.schema.json`,
    title: "task-api task record",
    description: `A task record as processors write it to the task table (one DynamoDB item, shown as JSON: strings are S, numbers N). The fields are the task processor spec's, plus ${additions.join(", ")}. The API reads these records; a record that breaks a rule here is answered without the offending field, or without a result URL, and logged as malformed. Written by npm run schemas from contract/taskFields.ts.`,
    type: "object",
    required: fields.filter(([, spec]) => spec.required === true).map(([field]) => field),
    additionalProperties: false,
    properties: Object.fromEntries(fields.map(([field, spec]) => [field, recordProperty(field, spec)])),
    ...recordConditions(),
    $defs: defs,
  };
}

/** schemas/task-event.schema.json: an event on a stack's task event bus. */
export function taskEventSchema(): Schema {
  const statuses = Object.keys(TASK_EVENT_DETAIL_TYPES) as TaskEventStatus[];
  const properties: Record<string, Schema> = {};
  for (const field of EVENT_FIELDS) properties[field] = answerProperty(field, TASK_RECORD_FIELDS[field]);
  properties.Status = { description: "The status the task moved into.", enum: statuses };
  for (const [field, spec] of Object.entries(TASK_EVENT_EXTRAS)) {
    properties[field] = { description: TASK_FIELD_DESCRIPTIONS[field as Described], ...ruleSchema(spec.value) };
  }
  return {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_BASE}/task-event.schema.json`,
    title: "task-api task event",
    description:
      "An event on a stack's task event bus: published once when a write moves a task into completed (detail-type Task Completed) or failed (Task Failed). The detail holds the record's fields as the write left them and the stack's name; never a presigned URL (call GET /task/{task_id} for one). EventBridge adds the envelope's other fields (id, time, account, region, resources, version). Written by npm run schemas from contract/taskFields.ts.",
    type: "object",
    required: ["source", "detail-type", "detail"],
    properties: {
      source: { const: TASK_EVENT_SOURCE },
      "detail-type": { enum: statuses.map((status) => TASK_EVENT_DETAIL_TYPES[status]) },
      detail: { $ref: "#/$defs/detail" },
    },
    allOf: statuses.map((status) =>
      ifThen(
        { type: "object", properties: { "detail-type": { type: "string", const: TASK_EVENT_DETAIL_TYPES[status] } } },
        {
          type: "object",
          properties: { detail: { type: "object", properties: { Status: { type: "string", const: status } } } },
        },
      ),
    ),
    $defs: {
      detail: {
        type: "object",
        required: ["TaskId", "Status", ...Object.keys(TASK_EVENT_EXTRAS)],
        additionalProperties: false,
        properties,
      },
    },
  };
}

/** openapi.yaml's Task component: a task as GET /task/{task_id} and batch-get answer it. */
export function openApiTaskSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (const field of ANSWERED_FIELDS) properties[field] = answerProperty(field, TASK_RECORD_FIELDS[field]);
  for (const [field, spec] of Object.entries(TASK_ANSWER_EXTRAS)) {
    properties[field] = answerProperty(field as Described, { ...spec, answer: "checked" });
  }
  return { type: "object", required: ["TaskId"], additionalProperties: false, properties };
}

/** The lines around the Task component in openapi.yaml, between which npm run schemas writes it. */
export const OPENAPI_TASK_BEGIN =
  "    # Task: written by npm run schemas from contract/taskFields.ts; edit that, not this.";
export const OPENAPI_TASK_END = "    # End of Task.";

/** openapi.yaml with its Task component as openApiTaskSchema gives it (npm run schemas then lays it out as biome does). */
export function withOpenApiTask(openApi: string): string {
  const begin = openApi.indexOf(`${OPENAPI_TASK_BEGIN}\n`);
  const end = openApi.indexOf(`${OPENAPI_TASK_END}\n`);
  if (begin < 0 || end < begin)
    throw new Error(`openapi.yaml has no "${OPENAPI_TASK_BEGIN.trim()}" ... "${OPENAPI_TASK_END.trim()}" block`);
  // Plain JSON data, so that yaml writes no anchors for the arrays the table shares.
  const schema: unknown = JSON.parse(JSON.stringify(openApiTaskSchema()));
  const task = stringify({ Task: schema }, { lineWidth: 100, aliasDuplicateObjects: false }).replace(
    /^(?=.)/gm,
    "    ",
  );
  return `${openApi.slice(0, begin)}${OPENAPI_TASK_BEGIN}\n${task}${openApi.slice(end)}`;
}

/** Each JSON schema file, by its path from the repository's root, as npm run schemas writes it. */
export function taskSchemaFiles(): Record<string, string> {
  return {
    "schemas/task-record.schema.json": `${JSON.stringify(taskRecordSchema(), null, 2)}\n`,
    "schemas/task-event.schema.json": `${JSON.stringify(taskEventSchema(), null, 2)}\n`,
  };
}
