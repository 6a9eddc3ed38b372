/**
 * `npm run bench:editor`: what `restate-guard/ts-plugin` adds to the
 * editor's semantic diagnostics.
 *
 * Generates a large Restate module (services, virtual objects and workflows,
 * 2,000+ lines, with a few bugs the rules report) in a temporary directory,
 * creates an in-process TypeScript language service for it and decorates it
 * with the plugin's `create`, once per preset (and once with every rule off:
 * the cost of ESLint and typescript-eslint alone). Each run edits the file (as a
 * keystroke does: new program, file re-checked) and times:
 *
 * - `typescript`: the undecorated `getSemanticDiagnostics` (TypeScript's own check);
 * - `added`: the decorated `getSemanticDiagnostics` right after, minus the
 *   undecorated call on the same program (TypeScript's result is cached by
 *   then): the lint the plugin adds, with the language service's own program;
 * - `quick fixes`: `getCodeFixesAtPosition` for one finding (served from the
 *   lint cached with the diagnostics);
 * - `other file edited`: the same after an edit of another file of the project
 *   (a new program with this file's `SourceFile` unchanged: TypeScript checks it
 *   again; the plugin lints it again with its kept conversion).
 *
 * Prints medians and `ratio` = added / typescript. Not a test: numbers depend on the machine.
 *
 * A second part measures call following across files: a handlers module that
 * imports plain helpers from HELPER_FILES other modules. It edits one helper
 * module, then the handlers module, and after each edit times the plugin's
 * diagnostics for the handlers module and counts how many files were
 * converted to ESTree for summaries (only the edited helper module should be;
 * unchanged files keep their conversion).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { conversionStats } from "../core/program-files.js";
import { summaryStats } from "../core/summaries.js";
import { parseStats } from "../editor/parse-cache.js";
import { init, RULE_IDS } from "../editor/plugin.js";
import type { PresetName } from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";

const REPS = Number(process.env.BENCH_REPS ?? 7);
const WARMUP = 2;
const HELPER_FILES = Number(process.env.BENCH_HELPER_FILES ?? 20);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 30);
/** The presets, and every rule off: what ESLint and typescript-eslint cost before any rule runs. */
const CONFIGS: { label: string; preset: PresetName; rules?: Record<string, "off"> }[] = [
  { label: "recommended", preset: "recommended" },
  { label: "recommended-type-checked", preset: "recommended-type-checked" },
  { label: "all", preset: "all" },
  { label: "every rule off (parse only)", preset: "all", rules: Object.fromEntries(RULE_IDS.map((id) => [id, "off"])) },
];

/** One block of realistic handler code: a service, a virtual object and a saga workflow sharing a helper. */
function block(i: number): string {
  return `
// ---- shop ${i}: inventory, cart and order saga ----

export interface Sku${i} {
  sku: string;
  quantity: number;
  warehouse: string;
}

/** Reserves every line; the reservation ids come back in line order. */
async function reserveAll${i}(ctx: restate.Context, items: Sku${i}[]): Promise<string[]> {
  const ids: string[] = [];
  for (const item of items) {
    const id = await ctx.run(\`reserve \${item.sku}\`, () => reserveStock(item.sku, item.quantity));
    ids.push(id);
  }
  return ids;
}

export const inventory${i} = restate.service({
  name: "inventory${i}",
  handlers: {
    reserve: async (ctx: restate.Context, items: Sku${i}[]): Promise<{ ids: string[]; at: number }> => {
      const startedAt = Date.now();
      const ids = await reserveAll${i}(ctx, items);
      ctx.console.log(\`reserved \${ids.length} lines in \${Date.now() - startedAt} ms\`);
      return { ids, at: await ctx.date.now() };
    },
    release: async (ctx: restate.Context, skus: string[]): Promise<void> => {
      await ctx.run("release", () => releaseStock(skus));
    },
  },
});

export const cart${i} = restate.object({
  name: "cart${i}",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: Sku${i}): Promise<Sku${i}[]> => {
      const items = (await ctx.get<Sku${i}[]>("items")) ?? [];
      items.push(item);
      ctx.set("items", items);
      const token = ctx.rand.uuidv4();
      ctx.set("token", token);
      ctx.objectSendClient(cart${i}, ctx.key).expire(token, restate.rpc.sendOpts({ delay: { hours: 1 } }));
      return items;
    },
    expire: async (ctx: restate.ObjectContext, token: string): Promise<void> => {
      if ((await ctx.get<string>("token")) === token) ctx.clearAll();
    },
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Sku${i}[]> => (await ctx.get<Sku${i}[]>("items")) ?? []),
  },
});

export const order${i} = restate.workflow({
  name: "order${i}",
  handlers: {
    run: async (ctx: restate.WorkflowContext, order: { id: string; items: Sku${i}[]; total: number }): Promise<string> => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
        compensations.push(() => ctx.serviceClient(inventory${i}).release(order.items.map((item) => item.sku)));
        await ctx.serviceClient(inventory${i}).reserve(order.items);
        compensations.push(() => ctx.run("refund", () => refund(order.id, order.total)));
        await ctx.run("charge", () => charge(order.id, order.total));
        ctx.set("status", "paid");
        const byWarehouse = new Map<string, Sku${i}[]>();
        for (const item of order.items) byWarehouse.set(item.warehouse, [...(byWarehouse.get(item.warehouse) ?? []), item]);
        for (const [warehouse, items] of byWarehouse) {
          await ctx.run(\`ship from \${warehouse}\`, () => ship(warehouse, items.length));
        }
        await ctx.sleep({ days: 1 });
        await ctx.run("ask for review", () => sendEmail(order.id, "How was your order?"));
        return "done";
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        throw e;
      }
    },
    status: async (ctx: restate.WorkflowSharedContext): Promise<string> => (await ctx.get<string>("status")) ?? "pending",
  },
});
`;
}

function largeFile(): string {
  const header = `import * as restate from "@restatedev/restate-sdk";

declare function reserveStock(sku: string, quantity: number): Promise<string>;
declare function releaseStock(skus: string[]): Promise<void>;
declare function charge(orderId: string, amount: number): Promise<void>;
declare function refund(orderId: string, amount: number): Promise<void>;
declare function ship(warehouse: string, parcels: number): Promise<string>;
declare function sendEmail(to: string, body: string): Promise<void>;
`;
  return header + Array.from({ length: BLOCKS }, (_, i) => block(i)).join("");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time<T>(f: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = f();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

// A project in a temporary directory that resolves the SDK from this checkout.
const dir = mkdtempSync(join(tmpdir(), "restate-guard-bench-"));
try {
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  mkdirSync(join(dir, "src"));
  const file = join(dir, "src", "shop.ts");
  const original = largeFile();
  // A file of the same project without Restate code (the same size, the SDK import and context types removed).
  const plainFile = join(dir, "src", "plain.ts");
  const plainText = plainModule(original);
  const lines = original.split("\n").length;

  const { options } = ts.convertCompilerOptionsFromJson(
    { target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] },
    dir,
  );
  let text = original;
  let plain = plainText;
  let version = 0;
  let plainVersion = 0;
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file, plainFile],
    getScriptVersion: (name) => (name === file ? String(version) : name === plainFile ? String(plainVersion) : "0"),
    getScriptSnapshot: (name) => {
      const content = name === file ? text : name === plainFile ? plain : ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const languageService = ts.createLanguageService(host, ts.createDocumentRegistry());
  const log: string[] = [];
  const decorated = CONFIGS.map(({ preset, rules }) =>
    init({ typescript: ts }).create({
      languageService,
      languageServiceHost: host,
      project: { projectService: { logger: { info: (message: string) => log.push(message) } }, getProjectName: () => join(dir, "tsconfig.json") },
      config: { name: "restate-guard/ts-plugin", preset, rules },
    } as unknown as ts.server.PluginCreateInfo),
  );

  const samples = CONFIGS.map(() => ({ typescript: [] as number[], added: [] as number[], fixes: [] as number[], otherTypescript: [] as number[], otherAdded: [] as number[] }));
  const reuse = CONFIGS.map(() => ({ converted: 0, reused: 0 }));
  const found = CONFIGS.map(() => ({ typescript: 0, ours: 0 }));
  for (let run = 0; run < WARMUP + REPS; run++) {
    // A different order each run, so that no configuration always comes first.
    const order = CONFIGS.map((_, i) => (i + run) % CONFIGS.length);
    order.forEach((p) => {
      // An edit, as a keystroke: a new program in which the file must be checked again.
      text = `${original}\n// edit ${run}.${p}\n`;
      version++;
      const [own, typescriptMs] = time(() => languageService.getSemanticDiagnostics(file));
      const [, cachedMs] = time(() => languageService.getSemanticDiagnostics(file));
      const [all, decoratedMs] = time(() => decorated[p].getSemanticDiagnostics(file));
      const first = all.find((d) => d.source === "restate-guard");
      const [, fixesMs] = time(() => (first ? decorated[p].getCodeFixesAtPosition(file, first.start!, first.start! + first.length!, [first.code], {}, {}) : []));
      found[p] = { typescript: own.length, ours: all.length - own.length };
      // An edit in another file of the project: a new program in which this file's SourceFile is unchanged
      // (its types may have changed, so TypeScript checks it again and the plugin lints it again).
      plain = `${plainText}\n// edit ${run}.${p}\n`;
      plainVersion++;
      const [, otherTypescriptMs] = time(() => languageService.getSemanticDiagnostics(file));
      const [, otherCachedMs] = time(() => languageService.getSemanticDiagnostics(file));
      const before = { ...parseStats };
      const [again, otherDecoratedMs] = time(() => decorated[p].getSemanticDiagnostics(file));
      if (again.length !== all.length) throw new Error(`${CONFIGS[p].label}: ${all.length} diagnostics after an edit of the file, ${again.length} after an edit of another file`);
      if (run < WARMUP) return;
      reuse[p].converted += parseStats.converted - before.converted;
      reuse[p].reused += parseStats.reused - before.reused;
      samples[p].typescript.push(typescriptMs);
      samples[p].added.push(decoratedMs - cachedMs);
      samples[p].fixes.push(fixesMs);
      samples[p].otherTypescript.push(otherTypescriptMs);
      samples[p].otherAdded.push(otherDecoratedMs - otherCachedMs);
    });
  }

  // The non-Restate file, with the widest preset: what the plugin adds there should be nothing measurable.
  const plainSamples = { typescript: [] as number[], added: [] as number[] };
  let plainFindings = 0;
  const widest = CONFIGS.findIndex((c) => c.label === "all");
  for (let run = 0; run < WARMUP + REPS; run++) {
    plain = `${plainText}\n// edit ${run}\n`;
    plainVersion++;
    const [, typescriptMs] = time(() => languageService.getSemanticDiagnostics(plainFile));
    const [, cachedMs] = time(() => languageService.getSemanticDiagnostics(plainFile));
    const [all, decoratedMs] = time(() => decorated[widest].getSemanticDiagnostics(plainFile));
    plainFindings = all.filter((d) => d.source === "restate-guard").length;
    if (run < WARMUP) continue;
    plainSamples.typescript.push(typescriptMs);
    plainSamples.added.push(decoratedMs - cachedMs);
  }

  const failures = log.filter((line) => /failed|could not|invalid/.test(line));
  if (failures.length) throw new Error(`the plugin logged failures:\n${failures.join("\n")}`);

  const rows = CONFIGS.map(({ label }, p) => {
    const typescriptMs = median(samples[p].typescript);
    const addedMs = median(samples[p].added);
    return {
      settings: label,
      lines,
      "TS diagnostics": found[p].typescript,
      findings: found[p].ours,
      "typescript ms": +typescriptMs.toFixed(1),
      "added ms": +addedMs.toFixed(1),
      ratio: +(addedMs / typescriptMs).toFixed(2),
      "quick fixes ms": +median(samples[p].fixes).toFixed(2),
      "other file edited: typescript ms": +median(samples[p].otherTypescript).toFixed(1),
      "other file edited: added ms": +median(samples[p].otherAdded).toFixed(1),
      "other file edited: ratio": +(median(samples[p].otherAdded) / median(samples[p].otherTypescript)).toFixed(2),
      "other file edited: conversions reused": `${reuse[p].reused}/${reuse[p].reused + reuse[p].converted}`,
    };
  });
  const plainTypescriptMs = median(plainSamples.typescript);
  const plainAddedMs = median(plainSamples.added);
  rows.push({
    settings: "all, on a file without Restate code",
    lines: plainText.split("\n").length,
    "TS diagnostics": 0,
    findings: plainFindings,
    "typescript ms": +plainTypescriptMs.toFixed(1),
    "added ms": +plainAddedMs.toFixed(2),
    ratio: +(plainAddedMs / plainTypescriptMs).toFixed(3),
    "quick fixes ms": 0,
    "other file edited: typescript ms": 0,
    "other file edited: added ms": 0,
    "other file edited: ratio": 0,
    "other file edited: conversions reused": "",
  });
  console.log(`ts-plugin: getSemanticDiagnostics on a ${lines}-line Restate file, median of ${REPS} edits (TypeScript ${ts.version})`);
  console.table(rows);
  const crossFile = measureCrossFile(dir, options);
  console.log(`ts-plugin: call following across ${HELPER_FILES} helper modules (recommended-type-checked), median of ${REPS} edits`);
  console.table(crossFile);
  console.log(JSON.stringify({ reps: REPS, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rows, crossFile }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}


/**
 * The large module with its Restate parts taken out: the SDK import, `restate.*` types and registrations become
 * local stand-ins, so the file type-checks without reaching any Restate package (plain code of the same size).
 */
function plainModule(restateModule: string): string {
  const stand = `type Ctx = { run<T>(name: string, f: () => Promise<T> | T): Promise<T>; sleep(ms: number): Promise<void>; [key: string]: any };
const plain = { rpc: { sendOpts: (o: any) => o }, service: (d: any) => d, object: (d: any) => d, workflow: (d: any) => d, handlers: { object: { shared: (o: any, f: any) => f, exclusive: (o: any, f: any) => f }, workflow: { shared: (o: any, f: any) => f } } };
`;
  return restateModule
    .replace(/^import \* as restate from "@restatedev\/restate-sdk";$/m, stand)
    .replace(/restate\.(ObjectSharedContext|ObjectContext|WorkflowSharedContext|WorkflowContext|Context)(<[^>]*>)?/g, "Ctx")
    .replace(/restate\.(TerminalError)/g, "Error")
    .replace(/restate\./g, "plain.");
}

function helperModule(k: number): string {
  return `import { writeFile } from "node:fs/promises";
export async function rate${k}(currency: string): Promise<number> {
  const res = await fetch("https://fx.example.com/" + currency);
  return Number(await res.text());
}
export function stamp${k}(): number {
  return Date.now();
}
export function round${k}(n: number): number {
  return Math.round(n * 100) / 100;
}
export class Ledger${k} {
  async record(amount: number): Promise<void> {
    await writeFile("/tmp/ledger-${k}.log", String(round${k}(amount)));
  }
}
`;
}

function handlersModule(): string {
  const imports = Array.from({ length: HELPER_FILES }, (_, k) => `import { rate${k}, round${k}, Ledger${k} } from "./helper-${k}.js";`).join("\n");
  const handlers = Array.from(
    { length: HELPER_FILES },
    (_, k) => `    h${k}: async (ctx: restate.Context, amount: number) => {
      const rate = await ctx.run("rate", () => rate${k}("EUR"));
      await new Ledger${k}().record(round${k}(amount * rate));
      await ctx.sleep(10);
      return rate;
    },`,
  ).join("\n");
  return `import * as restate from "@restatedev/restate-sdk";\n${imports}\nexport const svc = restate.service({ name: "svc", handlers: {\n${handlers}\n} });\n`;
}

/** Edits one helper module, then the handlers module; per edit, the plugin's time for the handlers module and the files converted. */
function measureCrossFile(dir: string, options: ts.CompilerOptions) {
  const texts = new Map<string, string>();
  const versions = new Map<string, number>();
  const handlers = join(dir, "src", "handlers.ts");
  texts.set(handlers, handlersModule());
  for (let k = 0; k < HELPER_FILES; k++) texts.set(join(dir, "src", `helper-${k}.ts`), helperModule(k));
  for (const name of texts.keys()) versions.set(name, 0);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [...texts.keys()],
    getScriptVersion: (name) => String(versions.get(name) ?? 0),
    getScriptSnapshot: (name) => {
      const content = texts.get(name) ?? ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => texts.has(name) || ts.sys.fileExists(name),
    readFile: (name) => texts.get(name) ?? ts.sys.readFile(name),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const languageService = ts.createLanguageService(host, ts.createDocumentRegistry());
  const plugin = init({ typescript: ts }).create({
    languageService,
    languageServiceHost: host,
    project: { projectService: { logger: { info: () => undefined } }, getProjectName: () => join(dir, "tsconfig.json") },
    config: { name: "restate-guard/ts-plugin", preset: "recommended-type-checked" },
  } as unknown as ts.server.PluginCreateInfo);
  const edit = (name: string, run: number) => {
    texts.set(name, `${texts.get(name)!.replace(/\n\/\/ edit .*\n$/, "\n")}// edit ${run}\n`);
    versions.set(name, versions.get(name)! + 1);
  };
  const samples = {
    helper: { added: [] as number[], converted: [] as number[], summarised: [] as number[], findings: 0 },
    handlers: { added: [] as number[], converted: [] as number[], summarised: [] as number[], findings: 0 },
  };
  const helper = join(dir, "src", "helper-0.ts");
  for (let run = 0; run < WARMUP + REPS; run++) {
    for (const [which, name] of [["helper", helper], ["handlers", handlers]] as const) {
      edit(name, run);
      languageService.getSemanticDiagnostics(handlers);
      const [, cachedMs] = time(() => languageService.getSemanticDiagnostics(handlers));
      const before = conversionStats.files;
      summaryStats.searches.clear();
      const [all, decoratedMs] = time(() => plugin.getSemanticDiagnostics(handlers));
      const summarised = [...summaryStats.searches].filter(([name]) => name !== handlers).map(([name]) => name).length;
      samples[which].findings = all.filter((d) => d.source === "restate-guard").length;
      if (run < WARMUP) continue;
      samples[which].added.push(decoratedMs - cachedMs);
      samples[which].converted.push(conversionStats.files - before);
      samples[which].summarised.push(summarised);
    }
  }
  return (["helper", "handlers"] as const).map((which) => ({
    "edited file": which === "helper" ? "helper-0.ts" : "handlers.ts",
    "files in program": HELPER_FILES + 1,
    findings: samples[which].findings,
    "added ms (handlers.ts)": +median(samples[which].added).toFixed(1),
    "files converted per edit (max)": Math.max(...samples[which].converted),
    "other files whose functions were summarised again (max)": Math.max(...samples[which].summarised),
  }));
}
