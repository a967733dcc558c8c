#!/usr/bin/env node
// The task-status CLI: client/cli.ts, compiled to dist/ (npm run build; npm ci and npm pack run it).
import { runCli } from "../dist/cli.js";

process.exitCode = await runCli(process.argv.slice(2));
