import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  ANSWERED_FIELDS,
  hasRuleType,
  isAnswerable,
  keepsRule,
  TASK_RECORD_FIELDS,
  type TaskFieldSpec,
} from "@task-api/contract";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import fc from "fast-check";
import { parse } from "yaml";
import {
  OPENAPI_TASK_BEGIN,
  OPENAPI_TASK_END,
  openApiTaskSchema,
  taskEventSchema,
  taskRecordSchema,
  taskSchemaFiles,
} from "../../scripts/taskSchemas";

const ROOT = path.join(__dirname, "..", "..");
const committed = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const FIELDS = Object.entries(TASK_RECORD_FIELDS) as Array<[string, TaskFieldSpec]>;

/** Values near each field's rules: its examples, edges of its bounds and patterns, and other JSON types. */
const values = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.string({ unit: fc.constantFrom("A", "z", "0", "_", ".", ":", "-", " ", "/", "\u0000"), maxLength: 8 }),
  fc.constantFrom(
    "",
    "..",
    "DEADLINE_EXCEEDED",
    "out_of_memory",
    "processing",
    "exploded",
    "media-bucket",
    "in/a.png",
    "https://hooks.example.com/t",
    "https://u:p@h.example.com/",
    "k".repeat(1025),
    "😀".repeat(600),
    "a".repeat(129),
  ),
  fc.integer({ min: -2, max: 2_600_000 }),
  fc.constantFrom(0, 15, 16, 100, 101, 604_800, 604_801, 2_592_000, 2_592_001, 40.5, Number.NaN),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

describe("scripts/taskSchemas (npm run schemas)", () => {
  it("is what the committed schemas/*.json hold", () => {
    for (const [file, text] of Object.entries(taskSchemaFiles())) {
      expect(JSON.parse(committed(file)), file).to.deep.equal(JSON.parse(text));
    }
  });

  it("is what openapi.yaml's Task component holds, and nothing else is written between its markers", () => {
    const openApi = committed("openapi.yaml");
    const begin = openApi.indexOf(OPENAPI_TASK_BEGIN);
    const end = openApi.indexOf(OPENAPI_TASK_END);
    expect(begin, "the begin marker").to.be.at.least(0);
    expect(end, "the end marker, after the begin marker").to.be.above(begin);
    expect(parse(openApi.slice(begin, end).replace(/^ {4}/gm, ""))).to.deep.equal({ Task: openApiTaskSchema() });
    expect(parse(openApi).components.schemas.Task).to.deep.equal(openApiTaskSchema());
  });

  describe("the schemas it writes say what the runtime checks do (ajv, an independent validator, as the judge)", () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false });
    ajv.addSchema(taskRecordSchema()).addSchema(taskEventSchema());
    const record = String(taskRecordSchema().$id);

    it("a record field's rule: keepsRule agrees with the record schema on every value tried", () => {
      for (const [field, spec] of FIELDS) {
        const validate = ajv.compile({ $ref: `${record}#/properties/${field}` });
        fc.assert(
          fc.property(values, (value) => keepsRule(spec.value, value) === validate(value)),
          { numRuns: 300 },
        );
      }
    });

    it("the writer's reader (hasRuleType) accepts every value the record schema does", () => {
      for (const [field, spec] of FIELDS) {
        const validate = ajv.compile({ $ref: `${record}#/properties/${field}` });
        fc.assert(
          fc.property(values, (value) => !validate(value) || hasRuleType(spec.value, value)),
          { numRuns: 300 },
        );
      }
    });

    it("an answered field: the API answers exactly the values openapi.yaml's Task allows for it", () => {
      const task = openApiTaskSchema();
      for (const field of ANSWERED_FIELDS) {
        const property = (task.properties as Record<string, object>)[field] ?? {};
        const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(property);
        fc.assert(
          fc.property(values, (value) => isAnswerable(field, value) === validate(value)),
          { numRuns: 300 },
        );
      }
    });
  });
});
