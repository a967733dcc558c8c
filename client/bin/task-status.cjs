#!/usr/bin/env node
// The task-status CLI (client/cli.ts), run through tsx so that no build step is needed.
require("tsx/cjs");
const { runCli } = require("../cli.ts");

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
