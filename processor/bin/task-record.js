#!/usr/bin/env node
// The task-record CLI: processor/cli.ts, compiled to dist/ (npm run build; npm ci and npm pack run it).
import { runTaskRecordCli } from "../dist/cli.js";

process.exitCode = await runTaskRecordCli(process.argv.slice(2));
