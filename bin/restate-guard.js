#!/usr/bin/env node
// The `restate-guard` command: chooses the TypeScript to analyse with (bootstrap/typescript.cjs), then runs the
// compiled CLI (cli/main.ts → dist/cli/main.js).
import "../bootstrap/typescript.cjs";

const { main } = await import("../dist/cli/main.js");

process.exitCode = await main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
