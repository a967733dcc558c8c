/**
 * `npm run schemas`: writes schemas/task-record.schema.json, schemas/task-event.schema.json and
 * openapi.yaml's Task component from the contract's table of fields (contract/taskFields.ts). A
 * test fails while a committed file differs from what this writes.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { taskSchemaFiles, withOpenApiTask } from "./taskSchemas";

const ROOT = path.join(__dirname, "..");
const written: string[] = [];
for (const [file, text] of Object.entries(taskSchemaFiles())) {
  writeFileSync(path.join(ROOT, file), text);
  written.push(path.join(ROOT, file));
  console.log(`wrote ${file}`);
}
const openApi = path.join(ROOT, "openapi.yaml");
writeFileSync(openApi, withOpenApiTask(readFileSync(openApi, "utf8")));
written.push(openApi);
console.log("wrote openapi.yaml (components.schemas.Task)");
// Laid out as the repository's formatter keeps JSON and YAML, so that `npm run lint` stays clean.
execFileSync("npx", ["biome", "format", "--write", ...written], { stdio: "ignore" });
