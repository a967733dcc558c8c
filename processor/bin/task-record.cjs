#!/usr/bin/env node
// The task-record CLI (processor/cli.ts), run through tsx so that no build step is needed.
require("tsx/cjs");
const { runTaskRecordCli } = require("../cli.ts");

runTaskRecordCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
