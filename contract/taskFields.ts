/**
 * The task record's fields, once: each field's value rule and where it goes (the record, the
 * API's answer, the task events, what the API reads). Everything else derives from this table:
 * the record's, the answer's and the events' TypeScript types (below), the checks of stored
 * values and of answers, the handler's projection, and schemas/*.json and openapi.yaml's Task,
 * which `npm run schemas` writes (scripts/taskSchemas.ts). Adding an optional field is one entry
 * in the table and its line in TASK_FIELD_DESCRIPTIONS (the compiler asks for it), plus the code
 * that uses it.
 */
import { DEADLINE_SECONDS, DEADLINE_SHARDS } from "./deadlines.js";
import { CORRELATION_ID_PATTERN, TASK_ID_PATTERN } from "./taskId.js";
import {
  hasJsonType,
  keepsRule,
  type RuleJsonType,
  type RuleValue,
  ruleInWords,
  ruleTypeInWords,
  type ValueRule,
} from "./valueRules.js";
import { CALLBACK_URL_MAX_LENGTH } from "./webhooks.js";

/** Where a field goes besides the record, and how the API treats it. */
export interface TaskFieldSpec {
  readonly value: ValueRule;
  /** Every record has it. */
  readonly required?: true;
  /**
   * GET /task/{id} and batch-get answer it: "checked", only when the stored value keeps its rule;
   * "as stored", any value of its JSON type (a Status the spec does not name is answered, and logged).
   */
  readonly answer?: "checked" | "as stored";
  /** Read but never answered: by the API ("api"), or by the webhook sender alone ("sender"). */
  readonly read?: "api" | "sender";
  /** The task events' detail carries it (a string field: the pipes copy a record's S values). */
  readonly event?: true;
  /** It says what a task is: set at start, and a repeated start must bring the same. */
  readonly content?: true;
  /** Not in the task processor spec: an addition, optional, that no existing client can trip on. */
  readonly addition?: true;
}

/** The status values the spec names. A record may carry none (the deblindwatermark example). */
export const TASK_STATUSES = ["processing", "completed", "failed"] as const;

const BUCKET = {
  type: "string",
  def: "bucket",
  pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
} as const satisfies ValueRule;

const OBJECT_KEY = {
  type: "string",
  def: "objectKey",
  minLength: 1,
  maxLength: 1024,
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  pattern: /^[^\u0000-\u001f\u007f]+$/,
} as const satisfies ValueRule;

const TIMESTAMP = {
  type: "string",
  def: "timestamp",
  format: "date-time",
} as const satisfies ValueRule;

const DEADLINE_PERIOD = {
  type: "integer",
  def: "deadlineSeconds",
  minimum: DEADLINE_SECONDS.min,
  maximum: DEADLINE_SECONDS.max,
} as const satisfies ValueRule;

const EPOCH_SECONDS = {
  type: "number",
  def: "epochSeconds",
  exclusiveMinimum: 0,
} as const satisfies ValueRule;

const SHARD = {
  type: "integer",
  def: "shard",
  minimum: 0,
  maximum: DEADLINE_SHARDS - 1,
} as const satisfies ValueRule;

/**
 * Every attribute a task record may have. The order is the spec's, then the additions: the
 * API answers fields in this order, so that an answer's bytes (and its ETag) stay as they were.
 */
export const TASK_RECORD_FIELDS = {
  TaskId: {
    value: { type: "string", pattern: TASK_ID_PATTERN },
    required: true,
    answer: "checked",
    event: true,
  },
  Status: {
    value: { type: "string", enum: TASK_STATUSES },
    answer: "as stored",
    event: true,
  },
  Result: {
    value: { type: "string" },
    answer: "as stored",
    event: true,
  },
  TaskType: {
    value: { type: "string", minLength: 1, examples: ["document", "image/watermark", "image/deblindwatermark"] },
    required: true,
    answer: "as stored",
    event: true,
    content: true,
  },
  SourceKey: {
    value: OBJECT_KEY,
    required: true,
    answer: "as stored",
    event: true,
    content: true,
  },
  TargetKey: {
    value: OBJECT_KEY,
    answer: "as stored",
    event: true,
    content: true,
  },
  SourceBucket: {
    value: BUCKET,
    required: true,
    answer: "as stored",
    event: true,
    content: true,
  },
  TargetBucket: {
    value: BUCKET,
    answer: "as stored",
    event: true,
    content: true,
  },
  Created_at: {
    value: TIMESTAMP,
    required: true,
    answer: "as stored",
    event: true,
  },
  Updated_at: {
    value: TIMESTAMP,
    required: true,
    answer: "as stored",
    event: true,
  },
  ErrorMessage: {
    value: { type: "string", minLength: 1 },
    answer: "as stored",
    event: true,
  },
  ErrorCode: {
    value: { type: "string", pattern: /^[A-Z][A-Z0-9_]{0,63}$/ },
    answer: "checked",
    event: true,
    addition: true,
  },
  CorrelationId: {
    value: { type: "string", pattern: CORRELATION_ID_PATTERN },
    answer: "checked",
    event: true,
    content: true,
    addition: true,
  },
  Progress: {
    value: { type: "integer", minimum: 0, maximum: 100 },
    answer: "checked",
    addition: true,
  },
  EstimatedSeconds: {
    value: { type: "integer", minimum: 1, maximum: 604_800 },
    read: "api",
    content: true,
    addition: true,
  },
  ExpiresAt: {
    value: { type: "integer", exclusiveMinimum: 0 },
    read: "api",
    addition: true,
  },
  HeartbeatSeconds: {
    value: DEADLINE_PERIOD,
    read: "api",
    content: true,
    addition: true,
  },
  HeartbeatDeadline: {
    value: EPOCH_SECONDS,
    read: "api",
    addition: true,
  },
  HeartbeatShard: {
    value: SHARD,
    addition: true,
  },
  TimeoutSeconds: {
    value: DEADLINE_PERIOD,
    read: "api",
    content: true,
    addition: true,
  },
  TimeoutDeadline: {
    value: EPOCH_SECONDS,
    read: "api",
    addition: true,
  },
  TimeoutShard: {
    value: SHARD,
    addition: true,
  },
  CallbackUrl: {
    value: {
      type: "string",
      maxLength: CALLBACK_URL_MAX_LENGTH,
      // The schema's approximation of isCallbackUrl, which writers check with the URL parser.
      pattern: /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^/?#@]+([/?#].*)?$/,
    },
    read: "sender",
    content: true,
    addition: true,
  },
} as const satisfies Readonly<Record<string, TaskFieldSpec>>;

/** What the API adds to a record's fields in its answer. */
export const TASK_ANSWER_EXTRAS = {
  TargetObjectURL: {
    value: { type: "string", format: "uri" },
  },
  TargetObjectURLExpiresAt: {
    value: { type: "string", format: "date-time" },
    addition: true,
  },
} as const satisfies Readonly<Record<string, Pick<TaskFieldSpec, "value" | "addition">>>;

/** What an event's detail adds to the record's fields. */
export const TASK_EVENT_EXTRAS = {
  Stack: {
    value: { type: "string", minLength: 1 },
  },
} as const satisfies Readonly<Record<string, Pick<TaskFieldSpec, "value">>>;

type Fields = typeof TASK_RECORD_FIELDS;
export type TaskRecordField = keyof Fields;
/** The names of the rules several fields share (their def). */
type SharedRuleName = Fields[TaskRecordField]["value"] extends infer V
  ? V extends { def: infer D }
    ? D
    : never
  : never;
type FieldsWhere<Condition> = { [F in TaskRecordField]: Fields[F] extends Condition ? F : never }[TaskRecordField];

/** The fields GET /task/{id} answers. */
export type AnsweredField = FieldsWhere<{ answer: string }>;
/** The fields the task events carry. */
export type EventField = FieldsWhere<{ event: true }>;
/** The fields the API reads: those it answers, and those it reads but never answers. */
export type ApiReadField = AnsweredField | FieldsWhere<{ read: "api" }>;
type RequiredField = FieldsWhere<{ required: true }>;

/** A value as the API answers it: kept to its rule when "checked", of its JSON type when "as stored". */
type AnswerValue<F extends TaskRecordField> = Fields[F] extends { answer: "checked" }
  ? RuleValue<Fields[F]["value"]>
  : RuleJsonType<Fields[F]["value"]>;

/** A task record, as its value rules type it. */
export type TaskRecordShape = { [F in RequiredField]: RuleValue<Fields[F]["value"]> } & {
  [F in Exclude<TaskRecordField, RequiredField>]?: RuleValue<Fields[F]["value"]>;
};

/**
 * The 200 body: the record's answered fields the API found valid, plus the URL when signed and
 * when that URL expires.
 */
export type TaskAnswerShape = { -readonly [F in AnsweredField]?: AnswerValue<F> } & {
  -readonly [F in keyof typeof TASK_ANSWER_EXTRAS]?: string;
} & { TaskId: string };

/** A task event's detail: the record's event fields it holds, its status, and the stack. */
export type TaskEventDetailShape<Status extends string> = { [F in EventField]?: AnswerValue<F> } & {
  TaskId: string;
  Status: Status;
  Stack: string;
};

/** The record's fields that meet `condition`, in the table's order. */
function fieldsWhere<F extends TaskRecordField>(condition: (spec: TaskFieldSpec) => boolean): readonly F[] {
  // The cast restates `condition` as a type: each caller's F is the FieldsWhere of the same test.
  return (Object.keys(TASK_RECORD_FIELDS) as TaskRecordField[]).filter((field) =>
    condition(TASK_RECORD_FIELDS[field]),
  ) as F[];
}

export const ANSWERED_FIELDS = /* @__PURE__ */ fieldsWhere<AnsweredField>((spec) => spec.answer !== undefined);
export const EVENT_FIELDS = /* @__PURE__ */ fieldsWhere<EventField>((spec) => spec.event === true);
export const CONTENT_FIELDS = /* @__PURE__ */ fieldsWhere<FieldsWhere<{ content: true }>>(
  (spec) => spec.content === true,
);
/** What the API reads of a record (its projection): what it answers, then what it reads besides. */
export const API_READ_FIELDS = /* @__PURE__ */ fieldsWhere<ApiReadField>(
  (spec) => spec.answer !== undefined || spec.read === "api",
);
/** What the webhook sender reads besides. */
export const SENDER_READ_FIELDS = /* @__PURE__ */ fieldsWhere<FieldsWhere<{ read: "sender" }>>(
  (spec) => spec.read === "sender",
);

/** The answered fields that hold strings: the spec's fields (and ErrorCode, CorrelationId). */
export type TaskField = FieldsWhere<{ answer: string; value: { type: "string" } }>;
export const TASK_FIELDS = /* @__PURE__ */ fieldsWhere<TaskField>(
  (spec) => spec.answer !== undefined && spec.value.type === "string",
);

/** Whether the API may answer this stored value for the field (its rule when "checked", else its JSON type). */
export function isAnswerable(field: AnsweredField, value: unknown): boolean {
  const spec: TaskFieldSpec = TASK_RECORD_FIELDS[field];
  return spec.answer === "checked" ? keepsRule(spec.value, value) : hasJsonType(spec.value, value);
}

/** What isAnswerable asks of a field's value, in words. */
export function answerRuleInWords(field: AnsweredField): string {
  const spec: TaskFieldSpec = TASK_RECORD_FIELDS[field];
  return spec.answer === "checked" ? ruleInWords(spec.value) : ruleTypeInWords({ type: spec.value.type });
}

/**
 * What each field means, for the schemas npm run schemas writes. Kept apart from the table, whose
 * values the functions bundle: these strings are documentation only, and the bundler drops them.
 */
export const TASK_FIELD_DESCRIPTIONS = {
  TaskId: "The table's hash key, and the ID callers poll: 1-128 of A-Z a-z 0-9 . _ : -, not only dots.",
  Status:
    "processing until the task finishes, then completed or failed, which are final. Absent for tasks that report only a Result (deblindwatermark).",
  Result: "The outcome of a task that has no target object (deblindwatermark).",
  TaskType: "What kind of processing the task is.",
  SourceKey: "The object the task processes.",
  TargetKey: "The object the task writes its result to.",
  SourceBucket: "The bucket of SourceKey.",
  TargetBucket: "The bucket of TargetKey.",
  Created_at: "When the task started.",
  Updated_at: "When the record was last written; it never goes back.",
  ErrorMessage:
    'Why a failed task failed; shown to callers. For a task past a deadline its processor set: "no progress report for N s" (heartbeat) or "not finished within N s" (timeout).',
  ErrorCode:
    "A machine-readable reason for a failure, when the processor gave one. DEADLINE_EXCEEDED: the task passed a deadline; it is answered failed from the stack's deadline grace after that moment, and the sweeper then writes it so.",
  CorrelationId:
    'The caller\'s own reference for the task, set by the processor at start and carried by its events (route on it with { "detail": { "CorrelationId": ["..."] } }): 1-128 of A-Z a-z 0-9 . _ : -.',
  Progress: "Percent done while processing, when the processor reports it; never lowered, and 100 once completed.",
  EstimatedSeconds:
    "How long the processor expects the task to take, set at start: whole seconds from 1 to 604800 (7 days). The poll hint uses it until a Progress exists; never answered.",
  ExpiresAt:
    "The table's TTL: epoch seconds after which the record is gone (the API answers 404 from then on); never answered.",
  HeartbeatSeconds:
    "The heartbeat deadline's period: the task fails when no start, progress or heartbeat comes for this long.",
  HeartbeatDeadline:
    "When the heartbeat deadline passes: the last report + HeartbeatSeconds. Read only beside HeartbeatSeconds (a report on a task without one writes the report's time).",
  HeartbeatShard: "The task's partition in the heartbeat-deadlines index, only while it is unfinished.",
  TimeoutSeconds: "The timeout's period: the task fails when it is not finished this long after its start.",
  TimeoutDeadline: "When the timeout passes: Created_at + TimeoutSeconds.",
  TimeoutShard: "The task's partition in the timeout-deadlines index, only while it is unfinished.",
  CallbackUrl:
    "Where the task's signed webhook goes when it completes or fails (docs/webhooks.md), set at start: an absolute https:// or http:// URL of at most 2,048 characters, without user info. Read by the webhook sender only: GET and batch-get never answer it.",
  TargetObjectURL: "Completed tasks only, when the target bucket is one the API signs for; a presigned GET.",
  TargetObjectURLExpiresAt: "When TargetObjectURL stops working (its X-Amz-Date + X-Amz-Expires), ISO 8601 UTC.",
  Stack: "The Pulumi stack that published the event.",
} as const satisfies {
  readonly [F in TaskRecordField | keyof typeof TASK_ANSWER_EXTRAS | keyof typeof TASK_EVENT_EXTRAS]: string;
};

/** What each shared rule (a schema's $defs) means, beside TASK_FIELD_DESCRIPTIONS for the same reason. */
export const SHARED_RULE_DESCRIPTIONS = {
  bucket: "An S3 bucket name.",
  objectKey: "An S3 object key: at most 1024 bytes of UTF-8 (1024 characters is checked here), no control characters.",
  timestamp: "ISO 8601 / RFC 3339 with a UTC offset, e.g. 2024-01-01T00:00:00Z or 2025-01-21T13:44:58.159007+00:00.",
  deadlineSeconds: "Whole seconds, 1 s to 30 days.",
  epochSeconds: "Epoch seconds, to the millisecond.",
  shard: "One of a deadline index's partitions (DEADLINE_SHARDS of them).",
} as const satisfies { readonly [D in SharedRuleName]: string };
