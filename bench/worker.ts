/**
 * One measured lint for `bench/run.ts`, in a fresh process so that its peak
 * memory is this run's alone.
 *
 * `node --import tsx bench/worker.ts '<json Job>'` lints every file under
 * `<dir>/src` with ESLint's `Linter` and prints one JSON line: the time of the
 * lint alone (files are read and modules loaded before the clock starts; for
 * typed runs the clock includes building the program, as a real run does),
 * the peak RSS of the process, the number of findings, and with `stats` the
 * time ESLint measured per rule (its `stats` option wraps every listener, so
 * runs with stats are not the ones timed).
 *
 * The config is resolved once, as ESLint's `ESLint` class does (it normalises
 * the config array once per run and caches each file's merged config): handing
 * `Linter` a plain array would normalise and validate it again for every file,
 * a cost that grows with the number of rules and that no real run pays.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import tsPlugin from "@typescript-eslint/eslint-plugin";
import * as tsParser from "@typescript-eslint/parser";
import { ESLint, Linter } from "eslint";
import plugin from "../eslint-plugin.js";

export type Mode =
  /** The parser and no rule. */
  | "parse"
  /** One rule with no listeners: ESLint's own traversal once any rule is on. */
  | "empty"
  | "recommended"
  | "recommended-type-checked"
  /** `recommended-type-checked` with call following off (RESTATE_GUARD_SUMMARIES=off, set by the runner). */
  | "recommended-type-checked-no-summaries"
  /** `@typescript-eslint/no-floating-promises` alone. */
  | "no-floating-promises";

export interface Job {
  dir: string;
  mode: Mode;
  typed: boolean;
  stats?: boolean;
  /**
   * Lint with ESLint's `ESLint` class and `concurrency: threads` instead of `Linter`, loading `<dir>/eslint.config.mjs`
   * (which imports the built plugin: worker threads load the config themselves, without tsx).
   */
  threads?: number;
}

export interface JobResult {
  /** Wall-clock time of the lint. */
  ms: number;
  /** CPU time (user + system, every thread) of the lint: less disturbed by other processes on a busy machine. */
  cpuMs: number;
  files: number;
  maxRssMb: number;
  findings: number;
  /** Rule id → ms (ESLint's `stats`), when asked for. */
  rules?: Record<string, number>;
  /** Parse time (ESLint's `stats`), when asked for. */
  parseMs?: number;
}

/** A rule with no listeners: what any enabled rule costs in ESLint itself. */
const emptyRule = { meta: { type: "problem" as const, schema: [] }, create: () => ({}) };

/**
 * ESLint's own `FlatConfigArray` (not exported: found next to its entry point), normalised once. `Linter` takes any
 * array with a `getConfig` method as an already-normalised config array.
 */
function configArray(configs: Linter.Config[], cwd: string): Linter.Config[] {
  const require = createRequire(import.meta.url);
  const { FlatConfigArray } = require(join(dirname(require.resolve("eslint")), "config", "flat-config-array.js")) as {
    FlatConfigArray: new (configs: Linter.Config[], options: { basePath: string }) => Linter.Config[] & { normalizeSync(): void };
  };
  const array = new FlatConfigArray(configs, { basePath: cwd });
  array.normalizeSync();
  return array;
}

function config(job: Job): Linter.Config[] {
  const parserOptions = job.typed ? { projectService: true, tsconfigRootDir: job.dir } : {};
  const base: Linter.Config[] = [{ files: ["**/*.ts"], languageOptions: { parser: tsParser as never, parserOptions } }];
  switch (job.mode) {
    case "parse":
      return base;
    case "empty":
      return [...base, { plugins: { bench: { rules: { empty: emptyRule } } }, rules: { "bench/empty": "error" } }];
    case "recommended":
    case "recommended-type-checked":
      return [...base, plugin.configs[job.mode] as Linter.Config];
    case "recommended-type-checked-no-summaries":
      return [...base, plugin.configs["recommended-type-checked"] as Linter.Config];
    case "no-floating-promises":
      return [...base, { plugins: { "@typescript-eslint": tsPlugin as never }, rules: { "@typescript-eslint/no-floating-promises": "error" } }];
  }
}

/** A threaded lint: ESLint's worker threads each load the config file and lint their share of the files. */
async function runThreaded(job: Job): Promise<JobResult> {
  const eslint = new ESLint({ cwd: job.dir, overrideConfigFile: join(job.dir, "eslint.config.mjs"), concurrency: job.threads });
  const startCpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const results = await eslint.lintFiles(["src"]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(startCpu);
  let findings = 0;
  for (const result of results) {
    for (const m of result.messages) {
      if (m.fatal) throw new Error(`${result.filePath}:${m.line}: ${m.message}`);
      findings++;
    }
  }
  return { ms, cpuMs: (cpu.user + cpu.system) / 1e3, files: results.length, maxRssMb: process.resourceUsage().maxRSS / 1024, findings };
}

function run(job: Job): JobResult {
  const src = join(job.dir, "src");
  const files = readdirSync(src)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f): [string, string] => [join(src, f), readFileSync(join(src, f), "utf8")]);
  const linter = new Linter({ configType: "flat", cwd: job.dir });
  const cfg = configArray(config(job), job.dir);
  const rules: Record<string, number> = {};
  let parseMs = 0;
  let findings = 0;
  const startCpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const [path, code] of files) {
    const { messages } = linter.verifyAndFix(code, cfg, { filename: path, fix: false, stats: job.stats ?? false } as Linter.FixOptions);
    for (const m of messages) {
      if (m.fatal) throw new Error(`${path}:${m.line}: ${m.message}`);
      findings++;
    }
    if (job.stats) {
      for (const pass of linter.getTimes().passes) {
        parseMs += pass.parse?.total ?? 0;
        for (const [id, t] of Object.entries(pass.rules ?? {})) rules[id] = (rules[id] ?? 0) + t.total;
      }
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(startCpu);
  const cpuMs = (cpu.user + cpu.system) / 1e3;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  return { ms, cpuMs, files: files.length, maxRssMb, findings, ...(job.stats ? { rules, parseMs } : {}) };
}

const job = JSON.parse(process.argv[2]) as Job;
process.stdout.write(`${JSON.stringify(job.threads ? await runThreaded(job) : run(job))}\n`);
