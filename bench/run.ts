/**
 * `npm run bench`: what restate-guard adds to an ESLint run, and to the editor.
 *
 * Generates synthetic Restate code bases (`bench/generate.ts`) and a non-Restate
 * one under `.bench/`, then lints each in a fresh child process per
 * configuration and repetition (`bench/worker.ts`: the lint alone is timed, and
 * the peak RSS is that run's), interleaving the configurations so that load
 * from other processes spreads over all of them. Then runs
 * `bench/editor.ts` for the editor plugin. Prints markdown tables (medians)
 * and writes `.bench/results.json`. See docs/benchmark.md for the columns.
 *
 * Environment: BENCH_SIZES (default 100,1000,5000), BENCH_TYPED_SIZES
 * (default 100), BENCH_PLAIN_FILES (default 1000), BENCH_REPS (default 3),
 * BENCH_LARGE_REPS (repetitions at ≥ 5,000 files, default 3), BENCH_SEED
 * (default 1), BENCH_TS_PLUGIN=0 to skip the editor plugin.
 * Not a test: numbers depend on the machine.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "./generate.js";
import type { Job, JobResult, Mode } from "./worker.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const OUT = join(ROOT, ".bench");
const list = (value: string | undefined, fallback: string) =>
  (value ?? fallback)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
const SIZES = list(process.env.BENCH_SIZES, "100,1000,5000");
const TYPED_SIZES = list(process.env.BENCH_TYPED_SIZES, "100");
const PLAIN_FILES = Number(process.env.BENCH_PLAIN_FILES ?? 1000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const LARGE_REPS = Number(process.env.BENCH_LARGE_REPS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const repsFor = (files: number) => (files >= 5000 ? Math.min(REPS, LARGE_REPS) : REPS);

function worker(job: Job): JobResult {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", "worker.ts"), JSON.stringify(job)], {
    cwd: ROOT,
    env: { ...process.env, RESTATE_GUARD_SUMMARIES: job.mode === "recommended-type-checked-no-summaries" ? "off" : "on" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as JobResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Summary {
  /** Median CPU ms of the lint (user + system). */
  cpuMs: number;
  /** Median wall-clock ms of the lint. */
  wallMs: number;
  /** Largest peak RSS over the repetitions, MB. */
  maxRssMb: number;
  findings: number;
  samples: { cpuMs: number; wallMs: number; maxRssMb: number }[];
}

/** Every mode of one corpus, `reps` times, interleaved (a different mode first each time). */
function measure(dir: string, typed: boolean, modes: Mode[], reps: number): Record<string, Summary> {
  const samples = Object.fromEntries(modes.map((m) => [m, [] as JobResult[]]));
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(k + rep) % modes.length];
      const result = worker({ dir, mode, typed });
      samples[mode].push(result);
      process.stderr.write(`  ${typed ? "typed " : ""}${mode} ${result.files} files: ${result.cpuMs.toFixed(0)} ms CPU, ${result.ms.toFixed(0)} ms wall, ${result.maxRssMb.toFixed(0)} MB\n`);
    }
  }
  return Object.fromEntries(
    modes.map((m) => [
      m,
      {
        cpuMs: median(samples[m].map((s) => s.cpuMs)),
        wallMs: median(samples[m].map((s) => s.ms)),
        maxRssMb: Math.max(...samples[m].map((s) => s.maxRssMb)),
        findings: samples[m][0].findings,
        samples: samples[m].map((s) => ({ cpuMs: s.cpuMs, wallMs: s.ms, maxRssMb: s.maxRssMb })),
      },
    ]),
  );
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

mkdirSync(OUT, { recursive: true });
const started = Date.now();
const corpusDir = (name: string) => join(OUT, name);
const generated = new Map<string, number>();
function corpus(files: number, restate: boolean): string {
  const dir = corpusDir(`${restate ? "restate" : "plain"}-${files}`);
  if (!generated.has(dir)) generated.set(dir, generate({ dir, files, seed: SEED, restate }).length);
  return dir;
}

// 1. Without type information: parse only, one empty rule, recommended; every size and the non-Restate code base.
const UNTYPED: Mode[] = ["parse", "empty", "recommended"];
const untyped: { corpus: string; files: number; reps: number; results: Record<string, Summary> }[] = [];
for (const [label, files, restate] of [...SIZES.map((n) => ["Restate", n, true] as const), ["non-Restate", PLAIN_FILES, false] as const]) {
  if (!files) continue;
  process.stderr.write(`${label}, ${files} files\n`);
  const reps = repsFor(files);
  untyped.push({ corpus: label, files, reps, results: measure(corpus(files, restate), false, UNTYPED, reps) });
}

// 2. With type information: typed parse only, recommended-type-checked, no-floating-promises alone.
const TYPED: Mode[] = ["parse", "recommended-type-checked", "recommended-type-checked-no-summaries", "no-floating-promises"];
const typed: { files: number; reps: number; results: Record<string, Summary> }[] = [];
for (const files of TYPED_SIZES) {
  if (!files) continue;
  process.stderr.write(`typed, Restate, ${files} files\n`);
  const reps = repsFor(files);
  typed.push({ files, reps, results: measure(corpus(files, true), true, TYPED, reps) });
}

// 3. Per-rule time (ESLint's `stats`), in separate runs: stats wrap every listener.
const statsFiles = SIZES.filter((n) => n <= 1000).pop() ?? SIZES[0];
process.stderr.write(`per-rule times\n`);
const ruleStats = statsFiles ? worker({ dir: corpus(statsFiles, true), mode: "recommended", typed: false, stats: true }) : null;
const typedStatsFiles = TYPED_SIZES[TYPED_SIZES.length - 1];
const typedRuleStats = typedStatsFiles ? worker({ dir: corpus(typedStatsFiles, true), mode: "recommended-type-checked", typed: true, stats: true }) : null;

// 4. The language-service plugin (bench/editor.ts, in its own process).
let tsPlugin: { reps: number; maxRssMb?: number; rows: Record<string, string | number>[]; crossFile?: Record<string, string | number>[] } | null = null;
if (process.env.BENCH_TS_PLUGIN !== "0") {
  process.stderr.write(`ts-plugin\n`);
  const out = execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", "editor.ts")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, BENCH_REPS: String(REPS) } });
  tsPlugin = JSON.parse(out.trim().split("\n").pop()!);
}

// 5. Threads: ESLint's multithreaded linting (`concurrency`) of the largest code base with `recommended`, 1 and 2
//    worker threads, the config loaded from a file in each worker (it imports the built plugin, dist/).
const threadFiles = SIZES[SIZES.length - 1];
const THREADS = [1, 2];
const threads: { files: number; reps: number; results: Record<string, Summary> } | null = threadFiles
  ? (() => {
      const dir = corpus(threadFiles, true);
      // The package's own ESM entry (bootstrap, then dist/), by URL: the corpus has a package.json of its own.
      const entry = pathToFileURL(join(ROOT, "bootstrap", "eslint-plugin.mjs")).href;
      writeFileSync(join(dir, "eslint.config.mjs"), `import restate from ${JSON.stringify(entry)};\n\nexport default [restate.configs.recommended];\n`);
      const reps = repsFor(threadFiles);
      const samples: Record<string, JobResult[]> = Object.fromEntries(THREADS.map((t) => [String(t), []]));
      process.stderr.write(`threads, Restate, ${threadFiles} files\n`);
      for (let rep = 0; rep < reps; rep++) {
        for (let k = 0; k < THREADS.length; k++) {
          const count = THREADS[(k + rep) % THREADS.length];
          const result = worker({ dir, mode: "recommended", typed: false, threads: count });
          samples[String(count)].push(result);
          process.stderr.write(`  ${count} thread(s): ${result.ms.toFixed(0)} ms wall, ${result.cpuMs.toFixed(0)} ms CPU, ${result.maxRssMb.toFixed(0)} MB\n`);
        }
      }
      const results = Object.fromEntries(
        Object.entries(samples).map(([count, list]) => [
          count,
          {
            cpuMs: median(list.map((s) => s.cpuMs)),
            wallMs: median(list.map((s) => s.ms)),
            maxRssMb: Math.max(...list.map((s) => s.maxRssMb)),
            findings: list[0].findings,
            samples: list.map((s) => ({ cpuMs: s.cpuMs, wallMs: s.ms, maxRssMb: s.maxRssMb })),
          },
        ]),
      );
      return { files: threadFiles, reps, results };
    })()
  : null;

// 6. Loading: importing the plugin (its ES module entry, as ESLint loads a config) in a fresh process, beside
//    importing typescript-eslint's parser alone (which the presets carry, and which loads TypeScript).
const importMs = (specifier: string) => {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" }).trim());
};
process.stderr.write("import time\n");
const IMPORTS = { plugin: pathToFileURL(join(ROOT, "bootstrap", "eslint-plugin.mjs")).href, parser: "@typescript-eslint/parser" };
const importSamples: Record<string, number[]> = { plugin: [], parser: [] };
for (let rep = 0; rep < Math.max(REPS, 5); rep++) for (const which of rep % 2 ? (["parser", "plugin"] as const) : (["plugin", "parser"] as const)) importSamples[which].push(importMs(IMPORTS[which]));
const imports = { pluginMs: median(importSamples.plugin), parserMs: median(importSamples.parser), reps: importSamples.plugin.length };

// ---- report -----------------------------------------------------------------

const lines: string[] = [];
lines.push(`## restate-guard bench (${new Date().toISOString()}, ${cpus().length} CPUs, Node ${process.version}, seed ${SEED})`);
lines.push("");
lines.push("Times are the median CPU time (user + system) of the lint in a fresh process; wall-clock times are in the JSON. Peak = max RSS of the run, MB.");
lines.push("");
lines.push("### 1. Without type information");
lines.push("");
lines.push(
  table(
    ["code base", "files", "reps", "parse-only ms", "empty rule ms", "recommended ms", "rec / parse", "rec / empty", "parse ms/file", "rec ms/file", "added ms/file", "ours ms/file", "peak MB parse / rec", "findings"],
    untyped.map(({ corpus: c, files, reps, results: r }) => [
      c,
      files,
      reps,
      r1(r.parse.cpuMs),
      r1(r.empty.cpuMs),
      r1(r.recommended.cpuMs),
      r3(r.recommended.cpuMs / r.parse.cpuMs),
      r3(r.recommended.cpuMs / r.empty.cpuMs),
      r2(r.parse.cpuMs / files),
      r2(r.recommended.cpuMs / files),
      r2((r.recommended.cpuMs - r.parse.cpuMs) / files),
      r2((r.recommended.cpuMs - r.empty.cpuMs) / files),
      `${Math.round(r.parse.maxRssMb)} / ${Math.round(r.recommended.maxRssMb)}`,
      r.recommended.findings,
    ]),
  ),
);
lines.push("");
lines.push(`### 2. With type information (projectService; measured at ${TYPED_SIZES.join(", ") || "no"} files)`);
lines.push("");
lines.push(
  table(
    ["files", "reps", "typed parse-only ms", "+ recommended-type-checked ms", "+ rtc without summaries ms", "+ no-floating-promises ms", "rtc / parse", "rtc without summaries / parse", "summaries' share of rtc added", "nfp / parse", "rtc added / nfp added", "peak MB parse / rtc / nfp", "findings rtc / nfp"],
    typed.map(({ files, reps, results: r }) => {
      const p = r.parse.cpuMs;
      const rtc = r["recommended-type-checked"];
      const rtcNo = r["recommended-type-checked-no-summaries"];
      const nfp = r["no-floating-promises"];
      return [
        files,
        reps,
        r1(p),
        r1(rtc.cpuMs),
        r1(rtcNo.cpuMs),
        r1(nfp.cpuMs),
        r3(rtc.cpuMs / p),
        r3(rtcNo.cpuMs / p),
        r2((rtc.cpuMs - rtcNo.cpuMs) / Math.max(1, rtc.cpuMs - p)),
        r3(nfp.cpuMs / p),
        r2((rtc.cpuMs - p) / Math.max(1, nfp.cpuMs - p)),
        `${Math.round(r.parse.maxRssMb)} / ${Math.round(rtc.maxRssMb)} / ${Math.round(nfp.maxRssMb)}`,
        `${rtc.findings} / ${nfp.findings}`,
      ];
    }),
  ),
);
lines.push("");
lines.push(`### 3. Per-rule time (ESLint stats; ${statsFiles} files untyped, ${typedStatsFiles ?? "no"} files typed; wall ms, the shared analysis is counted in the first rule that asks for it)`);
lines.push("");
const ruleIds = [...new Set([...Object.keys(ruleStats?.rules ?? {}), ...Object.keys(typedRuleStats?.rules ?? {})])].sort(
  (a, b) => (typedRuleStats?.rules?.[b] ?? ruleStats?.rules?.[b] ?? 0) - (typedRuleStats?.rules?.[a] ?? ruleStats?.rules?.[a] ?? 0),
);
lines.push(
  table(
    ["rule", "recommended ms", "% of parse", "recommended-type-checked ms", "% of typed parse"],
    [
      ["(parse, ESLint stats)", r1(ruleStats?.parseMs ?? 0), "100", r1(typedRuleStats?.parseMs ?? 0), "100"],
      ...ruleIds.map((id) => {
        const u = ruleStats?.rules?.[id];
        const t = typedRuleStats?.rules?.[id];
        return [
          id,
          u === undefined ? "" : r1(u),
          u === undefined || !ruleStats?.parseMs ? "" : r2((100 * u) / ruleStats.parseMs),
          t === undefined ? "" : r1(t),
          t === undefined || !typedRuleStats?.parseMs ? "" : r2((100 * t) / typedRuleStats.parseMs),
        ];
      }),
    ],
  ),
);
if (tsPlugin) {
  lines.push("");
  lines.push(`### 4. Language-service plugin (bench/editor.ts: one ${tsPlugin.rows[0]?.lines}-line file, median of ${tsPlugin.reps} edits, wall ms; peak ${Math.round(tsPlugin.maxRssMb ?? 0)} MB)`);
  lines.push("");
  const head = Object.keys(tsPlugin.rows[0] ?? {});
  lines.push(table(head, tsPlugin.rows.map((row) => head.map((h) => row[h]))));
  if (tsPlugin.crossFile?.length) {
    lines.push("");
    lines.push("Following calls across files after an edit (a handlers module importing helper modules; recommended-type-checked; wall ms):");
    lines.push("");
    const crossHead = Object.keys(tsPlugin.crossFile[0]);
    lines.push(table(crossHead, tsPlugin.crossFile.map((row) => crossHead.map((h) => row[h]))));
  }
}
if (threads) {
  const one = threads.results["1"];
  const two = threads.results["2"];
  lines.push("");
  lines.push(`### 5. Threads (ESLint concurrency, recommended, ${threads.files} files, ${threads.reps} reps, wall ms; peak RSS of the process with its workers)`);
  lines.push("");
  lines.push(
    table(
      ["threads", "wall ms", "CPU ms", "peak MB", "speed-up (wall, vs 1 thread)", "findings"],
      [
        [1, r1(one.wallMs), r1(one.cpuMs), Math.round(one.maxRssMb), 1, one.findings],
        [2, r1(two.wallMs), r1(two.cpuMs), Math.round(two.maxRssMb), r2(one.wallMs / two.wallMs), two.findings],
      ],
    ),
  );
}
lines.push("");
lines.push(`### 6. Loading (fresh process, wall ms, median of ${imports.reps})`);
lines.push("");
lines.push(
  table(
    ["import", "ms", "/ parser alone"],
    [
      ["restate-guard/eslint-plugin (bootstrap, plugin, presets with the parser)", r1(imports.pluginMs), r2(imports.pluginMs / imports.parserMs)],
      ["@typescript-eslint/parser alone (loads TypeScript)", r1(imports.parserMs), 1],
    ],
  ),
);
lines.push("");
lines.push(`Total bench time: ${Math.round((Date.now() - started) / 1000)} s.`);

const report = lines.join("\n");
console.log(report);
writeFileSync(
  join(OUT, "results.json"),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      seed: SEED,
      sizes: SIZES,
      typedSizes: TYPED_SIZES,
      reps: REPS,
      largeReps: LARGE_REPS,
      untyped,
      typed,
      threads,
      imports,
      ruleTimes: { files: statsFiles, recommended: ruleStats, typedFiles: typedStatsFiles, recommendedTypeChecked: typedRuleStats },
      tsPlugin,
      seconds: Math.round((Date.now() - started) / 1000),
    },
    null,
    2,
  )}\n`,
);
console.log(`\nJSON: ${join(OUT, "results.json")}`);
