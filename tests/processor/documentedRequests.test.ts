/**
 * docs/writing-tasks.md shows, for other languages, the DynamoDB request each task-record command
 * makes. This holds that page to the kit: each documented command is run with --print-request,
 * and what it prints must be the page's JSON, times aside (they are the run's own).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { runTaskRecordCli } from "../../processor/cli";
import { TextSink } from "../helpers/textSink";

const PAGE = readFileSync(path.join(__dirname, "..", "..", "docs", "writing-tasks.md"), "utf8");

/** The page's (command, printed request) pairs: a sh block `task-record … --print-request`, then a json block. */
function documented(): Array<{ argv: string[]; printed: string }> {
  const pairs = [...PAGE.matchAll(/```sh\ntask-record (.+ --print-request)\n```\n\n```json\n([\s\S]+?)```/g)];
  return pairs.map(([, command = "", printed = ""]) => ({ argv: command.split(/\s+/), printed }));
}

/** The request with its times replaced: ISO instants and epoch seconds are the run's own. */
const timeless = (json: string) =>
  JSON.parse(
    json
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<instant>")
      .replace(/"N": "1\d{9}(\.\d+)?"/g, '"N": "<epoch seconds>"'),
  );

describe("docs/writing-tasks.md's requests for other languages, held to the kit (task-record --print-request)", () => {
  it("documents every task command's write", () => {
    expect(documented().map(({ argv }) => argv[0])).to.deep.equal([
      "start",
      "progress",
      "heartbeat",
      "complete",
      "fail",
    ]);
  });

  for (const { argv, printed } of documented()) {
    it(`prints what the page shows for ${argv[0]}, sending nothing`, async () => {
      const stdout = new TextSink();
      const stderr = new TextSink();
      // No endpoint, region or credentials: a request that were sent could go nowhere.
      const code = await runTaskRecordCli(argv, { stdout, stderr, env: {} });
      expect([code, stderr.text]).to.deep.equal([0, ""]);
      expect(timeless(stdout.text)).to.deep.equal(timeless(printed));
      expect(timeless(stdout.text).input.TableName).to.equal("tasks");
    });
  }
});
