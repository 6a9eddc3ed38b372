/**
 * Shared by the CLI tests: run the real `restate-guard` (bin/restate-guard.js,
 * the compiled CLI in dist/, as a user runs it) as a child process, on copies
 * of the example app in temporary directories.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT } from "../../scripts/docs-lib.js";

export const BIN = join(ROOT, "bin", "restate-guard.js");
export const FIXTURES = join(ROOT, "fixtures");

if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
  throw new Error("dist/cli/main.js is missing: run `npm run build` first (`npm test` does)");
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/restate-guard.js ...args` in `cwd`; never rejects. */
export function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const created: string[] = [];

/** Removes every directory `tempProject` made. */
export function removeTempProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary project: the fixtures' tsconfig.json and the given apps
 * (`shop`, `shop-buggy`) copied from fixtures/, an ESM package.json, and
 * /work/main/node_modules symlinked so the SDK's types resolve.
 */
export function tempProject(apps: readonly string[], name = "cli"): string {
  const dir = mkdtempSync(join(tmpdir(), `restate-guard-${name}-`));
  created.push(dir);
  cpSync(join(FIXTURES, "tsconfig.json"), join(dir, "tsconfig.json"));
  for (const app of apps) cpSync(join(FIXTURES, app), join(dir, app), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** A temporary project made of the given files (path → contents) with the fixtures' compiler options. */
export function tempProjectWith(files: Readonly<Record<string, string>>, name = "cli"): string {
  const dir = mkdtempSync(join(tmpdir(), `restate-guard-${name}-`));
  created.push(dir);
  const tsconfig = JSON.parse(readFileSync(join(FIXTURES, "tsconfig.json"), "utf8")) as { include: string[] };
  tsconfig.include = ["src"];
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Every file under `dir` (node_modules excluded), path relative to `dir` → bytes. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** `// expect: restate/<rule>` markers (and `// expect (typed): …`: the CLI lints with types) of an app copied into `dir`, as `path:line rule`. */
export function expectedMarkers(dir: string, app: string): string[] {
  return [...snapshot(join(dir, app))]
    .filter(([path]) => path.endsWith(".ts"))
    .flatMap(([path, bytes]) =>
      bytes
        .toString("utf8")
        .split("\n")
        .flatMap((line, i) => [...line.matchAll(/expect(?: \(typed\))?: (restate\/[\w-]+)/g)].map((m) => `${app}/${path}:${i + 1} ${m[1]}`)),
    )
    .sort();
}
