import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");

/** README's Configuration table: each key named in a row's first cell, with that row's default. */
function readmeDefaults(): Map<string, string> {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("## Configuration"),
    readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
  );
  const defaults = new Map<string, string>();
  for (const row of section.split("\n").filter((line) => /^\| `/.test(line))) {
    const cells = row.split("|").map((cell) => cell.trim());
    const keys = [...(cells[1] ?? "").matchAll(/`(\w+)`/g)].map((match) => match[1] ?? "");
    const values = (cells.at(-2) ?? "").split(",").map((value) => value.trim().replaceAll("`", ""));
    keys.forEach((key, i) => {
      defaults.set(key, (keys.length === values.length ? values[i] : values[0]) ?? "");
    });
  }
  return defaults;
}

/** How README writes a Pulumi.yaml default: lists as JSON, an empty string as "empty" or "none". */
function asWritten(value: unknown): string[] {
  if (value === "") return ["empty", "none"];
  return [typeof value === "string" ? value : JSON.stringify(value)];
}

describe("README", () => {
  it("lists every key Pulumi.yaml declares, with Pulumi.yaml's default", () => {
    const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { default?: unknown }>;
    };
    const documented = readmeDefaults();
    for (const [key, declared] of Object.entries(project.config)) {
      expect(documented.has(key), `README's Configuration table has no row for ${key}`).to.equal(true);
      expect(asWritten(declared.default), key).to.include(documented.get(key));
    }
    const undeclared = [...documented.keys()].filter((key) => !(key in project.config));
    expect(undeclared, "keys in README that Pulumi.yaml does not declare").to.deep.equal(["tags"]);
  });
});
