/**
 * `npm run bench`: what restate-guard adds to an ESLint run.
 *
 * Lints (1) the example app and (2) a generated non-Restate code base, each
 * with the parser and no rules, with one rule that does nothing (ESLint's own
 * cost of traversing the AST once any rule is on), and with `recommended`,
 * several times, and prints medians. `ratio` is recommended / empty rule: what
 * restate-guard itself adds. Not a test: numbers depend on the machine.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import plugin from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";

const REPS = Number(process.env.BENCH_REPS ?? 7);

function restateFiles(): [string, string][] {
  const files: [string, string][] = [];
  for (const app of ["shop", "shop-buggy"]) {
    const dir = join(ROOT, "fixtures", app, "src");
    for (const f of readdirSync(dir)) files.push([join(dir, f), readFileSync(join(dir, f), "utf8")]);
  }
  // Repeat so one run takes long enough to time.
  return Array.from({ length: 20 }, (_, i) => files.map(([p, s]): [string, string] => [`${i}-${p}`, s])).flat();
}

function plainFiles(): [string, string][] {
  return Array.from({ length: 300 }, (_, i): [string, string] => [
    `plain-${i}.ts`,
    `import { readFile } from "node:fs/promises";
export interface Item${i} { id: string; qty: number; at: Date }
export class Store${i} {
  private items = new Map<string, Item${i}>();
  add(item: Item${i}) { this.items.set(item.id, { ...item, at: new Date() }); }
  total() { let t = 0; for (const [, v] of this.items) t += v.qty * Math.random(); return t; }
  async load(path: string) { const raw = await readFile(path, "utf8"); return JSON.parse(raw) as Item${i}[]; }
}
export async function handler${i}(ctx: { run(): void }, n: number) { return Array.from({ length: n }, (_, k) => k * Date.now()); }
`,
  ]);
}

type Mode = "parse" | "empty" | "recommended";

/** A rule with no listeners: what any enabled rule costs in ESLint itself. */
const emptyRule = { meta: { type: "problem" as const, schema: [] }, create: () => ({}) };

function time(files: [string, string][], mode: Mode): number {
  const linter = new Linter({ configType: "flat" });
  const config = [
    { files: ["**/*.ts"], languageOptions: { parser: tsParser } },
    ...(mode === "empty" ? [{ plugins: { bench: { rules: { empty: emptyRule } } }, rules: { "bench/empty": "error" } }] : []),
    ...(mode === "recommended" ? [plugin.configs.recommended] : []),
  ];
  const start = process.hrtime.bigint();
  for (const [path, code] of files) linter.verify(code, config as never, path);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rows: { corpus: string; files: number; parseOnly: number; emptyRule: number; recommended: number; ratio: number }[] = [];
for (const [corpus, files] of [
  ["Restate (example app ×20)", restateFiles()],
  ["non-Restate TypeScript", plainFiles()],
] as const) {
  const modes: Mode[] = ["parse", "empty", "recommended"];
  // Warm up every mode so the JIT state is the same for each, then interleave.
  for (let i = 0; i < 2; i++) for (const mode of modes) time(files, mode);
  const samples: Record<Mode, number[]> = { parse: [], empty: [], recommended: [] };
  for (let i = 0; i < REPS; i++) for (const mode of modes) samples[mode].push(time(files, mode));
  const [parseOnly, emptyRule, recommended] = modes.map((mode) => median(samples[mode]));
  rows.push({
    corpus,
    files: files.length,
    parseOnly: +parseOnly.toFixed(1),
    emptyRule: +emptyRule.toFixed(1),
    recommended: +recommended.toFixed(1),
    ratio: +(recommended / emptyRule).toFixed(3),
  });
}
console.table(rows);
console.log(JSON.stringify({ reps: REPS, rows }));
