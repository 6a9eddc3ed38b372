/**
 * The two packages as users get them: `npm pack` of this checkout (the linter, `restate-guard`, and the runtime
 * workspace, `restate-guard-runtime`), installed with real `npm install` from the registry into fresh projects made
 * by `npm init -y` in temporary directories.
 *
 * Packs with `--ignore-scripts`: both packages must be built first (`npm run build`; `npm test` does it).
 * Needs the npm registry (these machines reach it); installs use npm's cache when they can.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../../scripts/docs-lib.js";

export { ROOT };

/** The environment for npm and the tools it installs: this process's, without what `npm test` set for this checkout. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== "INIT_CWD" && !key.startsWith("VITEST") && key !== "NODE_OPTIONS") env[key] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0" };
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, timeout = 300_000): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: "utf8", timeout });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Tarballs {
  /** `restate-guard-<version>.tgz`: the ESLint plugin, editor plugin and CLI. */
  readonly linter: string;
  /** `restate-guard-runtime-<version>.tgz`: the runtime helpers. */
  readonly runtime: string;
  remove(): void;
}

/** `npm pack` of both packages into a new temporary directory. */
export function packBoth(): Tarballs {
  for (const built of ["dist/eslint-plugin.js", "dist/cjs/eslint-plugin.js", "dist/cli/main.js", "runtime/dist/esm/index.js", "runtime/dist/cjs/index.js"]) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const destination = mkdtempSync(join(tmpdir(), "restate-guard-packs-"));
  const pack = (...workspace: string[]) => {
    const result = run("npm", ["pack", ...workspace, "--ignore-scripts", "--json", "--pack-destination", destination], ROOT);
    if (result.status !== 0) throw new Error(`npm pack ${workspace.join(" ")} failed:\n${result.stderr}`);
    const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
    return join(destination, filename);
  };
  return { linter: pack(), runtime: pack("-w", "runtime"), remove: () => rmSync(destination, { recursive: true, force: true }) };
}

/** A project made by `npm init -y` in a new temporary directory. */
export class FreshProject {
  readonly dir: string;

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), `restate-guard-${prefix}-`));
    this.mustRun("npm", ["init", "-y"]);
  }

  /** `npm install` with `args`; throws with npm's output when it fails. */
  install(...args: string[]): void {
    this.mustRun("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...args]);
  }

  /** Runs a command in the project (e.g. `npx eslint .`); never throws for a non-zero exit. */
  run(command: string, ...args: string[]): Run {
    return run(command, args, this.dir);
  }

  mustRun(command: string, args: readonly string[]): Run {
    const result = run(command, args, this.dir);
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  write(path: string, text: string): string {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  has(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  /** The `version` of an installed package, read from `node_modules/<path>/package.json`. */
  version(packagePath: string): string {
    return (JSON.parse(this.read(join("node_modules", packagePath, "package.json"))) as { version: string }).version;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The `eslint.config.mjs` files the README gives, verbatim: the `js` code blocks of its "ESLint" section, in order
 * (without type information, then with it).
 */
export function readmeConfigs(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = /^### ESLint\n([^]*?)^##/m.exec(readme)?.[1];
  if (!section) throw new Error("README.md has no \"### ESLint\" section");
  return [...section.matchAll(/^```js\n([^]*?)^```$/gm)].map((m) => m[1]!);
}

/** A tsconfig.json for a project whose sources are in src/. */
export function tsconfig(extra: Record<string, unknown> = {}): string {
  const compilerOptions = { target: "ES2022", module: "NodeNext", strict: true, skipLibCheck: true, noEmit: true, ...extra };
  return `${JSON.stringify({ compilerOptions, include: ["src"] }, null, 2)}\n`;
}

/**
 * A virtual object with bugs: a clock read and a random number outside `ctx.run` (the random number has a safe
 * autofix), a context call inside a `ctx.run` action, and a `Map` returned from a `ctx.run` action (found only with
 * type information).
 */
export const BUGGY_CART = `import * as restate from "@restatedev/restate-sdk";

export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, order: { id: string }) => {
      ctx.set("placedAt", Date.now());
      ctx.set("score", Math.random());
      await ctx.run("charge", () => ctx.set("charged", true));
      const stock = await ctx.run("load stock", async () => new Map<string, number>());
      return { id: order.id, items: stock.size };
    },
  },
});
`;

/** What the linter reports on {@link BUGGY_CART}: `line rule-id`, sorted; `typed` adds the type-aware finding. */
export function expectedCartFindings(typed: boolean): string[] {
  const findings = ["7 restate/no-nondeterministic-calls", "8 restate/no-nondeterministic-calls", "9 restate/no-context-in-run"];
  if (typed) findings.push("10 restate/serializable-journal-values");
  return findings.sort();
}

/** `line rule-id` for each message of ESLint's `--format json` output. */
export function eslintFindings(json: string): string[] {
  const results = JSON.parse(json) as Array<{ messages: Array<{ line: number; ruleId: string | null; message: string }> }>;
  return results.flatMap((r) => r.messages.map((m) => (m.ruleId ? `${m.line} ${m.ruleId}` : `${m.line} ${m.message}`))).sort();
}

/** `line rule-id` for each finding of `restate-guard check --format json`. */
export function cliFindings(json: string): string[] {
  const report = JSON.parse(json) as { files: Array<{ messages: Array<{ line: number; ruleId: string }> }> };
  return report.files.flatMap((f) => f.messages.map((m) => `${m.line} ${m.ruleId}`)).sort();
}
