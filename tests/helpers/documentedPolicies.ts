/**
 * The IAM policies README and docs/ tell a user to paste, extracted from the Markdown: JSON blocks
 * that hold a policy, a statement, or one statement per line, and the `--policy-document "..."` of
 * shell recipes. Their placeholders are filled with values of the right shape, so that they can be
 * validated as a user would paste them.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { IamStatement } from "./iamReference";

/** A policy found in a Markdown file. */
export interface DocumentedPolicy {
  where: string;
  statements: IamStatement[];
}

const ACCOUNT = "123456789012";
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/tasks-abc1234`;

/** What a user puts in for each placeholder the docs use. */
const PLACEHOLDERS: ReadonlyArray<[string, string]> = [
  ["<table ARN>", TABLE_ARN],
  ["<tableArn>", TABLE_ARN],
  ["$TABLE_ARN", TABLE_ARN],
  ["<webhookQueueArn>", `arn:aws:sqs:eu-west-1:${ACCOUNT}:task-webhooks-1a2b3c4`],
  ["<eventBusArn>", `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/task-api-dev`],
  ["<function log group ARN>", `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/task-api-dev-status`],
  ["<each targetKmsKeyArns entry>", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333`],
  ["<region>", "eu-west-1"],
  ["<account>", ACCOUNT],
  ["$ACCOUNT", ACCOUNT],
  ["<apiId>", "a1b2c3d4e5"],
  ["$API", "a1b2c3d4e5"],
  ["<bucket>", "media-bucket"],
  ["<prefix>", "processed/"],
  ["<your user>", "my-user"],
];

function filled(text: string, where: string): string {
  let out = text;
  for (const [placeholder, value] of PLACEHOLDERS) out = out.replaceAll(placeholder, value);
  const left = /<[A-Za-z][^<>"]*>/.exec(out);
  if (left !== null)
    throw new Error(`${where}: no value for the placeholder ${left[0]} (add it to documentedPolicies.ts)`);
  return out;
}

const isStatement = (value: unknown): value is IamStatement =>
  typeof value === "object" && value !== null && "Effect" in value;

/** The statements a JSON block holds: a policy, a statement, or one statement per line ("..." for more of the same left out). */
function statementsOf(block: string, where: string): IamStatement[] {
  const text = filled(block, where).replaceAll(', "..."', "");
  try {
    const value = JSON.parse(text) as unknown;
    if (isStatement(value)) return [value];
    const statement = (value as { Statement?: unknown }).Statement;
    return Array.isArray(statement) ? statement.filter(isStatement) : [];
  } catch {
    return text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("{") && line.includes('"Effect"'))
      .map((line) => JSON.parse(line) as IamStatement);
  }
}

/** Every policy in README.md and docs/*.md, with where it is (file and line). */
export function documentedPolicies(
  files = ["README.md", ...readdirSync("docs").map((f) => `docs/${f}`)],
): DocumentedPolicy[] {
  const found: DocumentedPolicy[] = [];
  for (const file of files.filter((f) => f.endsWith(".md"))) {
    const markdown = readFileSync(file, "utf8");
    for (const match of markdown.matchAll(/^[ \t]*```(\w*)\n([\s\S]*?)^[ \t]*```/gm)) {
      const [, language, body = ""] = match;
      const where = `${file}:${markdown.slice(0, match.index).split("\n").length}`;
      if (language === "json" && body.includes('"Effect"')) {
        const statements = statementsOf(body, where);
        if (statements.length > 0) found.push({ where, statements });
      } else if (language === "sh") {
        for (const document of body.matchAll(/--policy-document "((?:[^"\\]|\\.)*)"/g)) {
          const json = (document[1] ?? "").replace(/\\(["$\\])/g, "$1");
          found.push({ where, statements: statementsOf(json, where) });
        }
      }
    }
  }
  return found;
}
