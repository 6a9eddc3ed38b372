#!/usr/bin/env node
// The `restate-guard` command: a launcher for the compiled CLI (cli/main.ts → dist/cli/main.js).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
