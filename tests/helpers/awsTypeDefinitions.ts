import { readFileSync } from "node:fs";
import * as path from "node:path";

const AWS_PACKAGE = path.dirname(require.resolve("@pulumi/aws/package.json"));

/**
 * Whether @pulumi/aws's own type definitions give a resource type a `tags` input: the source of
 * truth the program's list of taggable types is checked against. "aws:dynamodb/table:Table" is
 * declared in dynamodb/table.d.ts as `export interface TableArgs { ... tags?: ... }`.
 */
export function takesTags(type: string): boolean {
  const match = /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  if (match === null) throw new Error(`not an aws resource type: ${type}`);
  const [, module, file, className] = match;
  const definitions = readFileSync(path.join(AWS_PACKAGE, String(module), `${file}.d.ts`), "utf8");
  const start = definitions.indexOf(`export interface ${className}Args {`);
  if (start === -1) throw new Error(`no ${className}Args in @pulumi/aws ${module}/${file}.d.ts`);
  const body = definitions.slice(start, definitions.indexOf("\n}", start));
  return /\n\s+tags\?:/.test(body);
}
