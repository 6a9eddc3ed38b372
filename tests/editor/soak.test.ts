/**
 * Language-service soak: one real tsserver with `restate-guard/ts-plugin`
 * (installed from `npm pack`, preset `strict`) through thousands of random
 * edits to open files of fixtures/shop-buggy, as an editor sends them while
 * someone types: characters and tokens inserted and deleted at random
 * offsets, handler fragments cut and pasted, syntax broken and restored
 * (unbalanced braces, half-typed `ctx.` member accesses typed one character at
 * a time), quick fixes requested and applied, and every file reverted to its
 * original text now and then. Semantic diagnostics are requested after every
 * edit.
 *
 * Asserted: tsserver answers every request (each within a request timeout)
 * and stays alive; its log has no error and no `[restate-guard] … failed`
 * entry (the plugin logs lint failures it recovered from, and a rule must not
 * throw, whatever the text); our diagnostics on the reverted files equal the
 * ones at the start; tsserver's memory stays bounded.
 *
 * Cost: tsserver builds a new program and a new type checker for every
 * edit, so a round trip costs TypeScript's check of the edited file (the SDK's
 * generic types are most of it: tens of milliseconds for one
 * `restate.object({ … })`) plus one lint. Most edits therefore go to a small
 * file (`soak.ts`, parts of cart.ts), and each edit is one round trip: a
 * `change` notification written together with the diagnostics request. The
 * fixture files themselves get 2% of the edits, and another open file's
 * diagnostics are requested every 100 edits. A file that does not parse is
 * not linted, so an edit that breaks the syntax is mostly undone at once (a
 * `syntacticDiagnosticsSync` request tells), and about half the edits add
 * code that parses: most of the lints run the rules.
 *
 * The edits are deterministic: a seeded PRNG (`RESTATE_GUARD_SOAK_SEED`
 * replays a run; the seed is printed). `RESTATE_GUARD_SOAK_EDITS` changes the
 * number of edits (5,000 by default).
 */
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "../../scripts/prng.js";
import {
  applyEdits,
  type CodeEdit,
  type Diagnostic,
  fixtureCompilerOptions,
  installFromPack,
  type Location,
  ROOT,
  splitRuleId,
  type TempProject,
  TsServer,
} from "./harness.js";

const SEED = Number(process.env.RESTATE_GUARD_SOAK_SEED ?? 0x5eed_2026) >>> 0;
const EDITS = Number(process.env.RESTATE_GUARD_SOAK_EDITS ?? 5_000);
/** A request that takes longer than this counts as tsserver not answering. */
const REQUEST_TIMEOUT_MS = 30_000;
/** tsserver's RSS is sampled every this many edits. */
const RSS_EVERY = 100;
const FIRST_RULE_CODE = 97_000;

/**
 * The file most edits go to: small, so that TypeScript's check and the lint after each edit stay cheap
 * (no `ctx.run`: checking one call of its generic overloads costs TypeScript about 20 ms with a new
 * checker, more than the rest of the file; the pasted fragments bring it in now and then). Parts of
 * fixtures/shop-buggy/src/cart.ts, with findings of two rules.
 */
const SOAK_FILE = `import * as restate from "@restatedev/restate-sdk";

// Shown on the endpoint's status page.
let remindersSent = 0;

export async function expireCart(ctx: restate.ObjectContext, token: string): Promise<void> {
  const current = await ctx.get<string>("expiryToken");
  if (current !== token) {
    return;
  }
  remindersSent++;
  ctx.set("remindedAt", Date.now());
  await ctx.sleep({ minutes: 15 });
  ctx.clearAll();
}
`;

/** The files open in the editor (in shop-buggy/src): the small one, and fixtures that get a few percent of the edits. */
const FILES = ["soak.ts", "helpers.ts", "cart.ts", "order-workflow.ts"];
const FIXTURE_EDITS = 0.02;

/** Text typed or inserted as one token: half of an expression as often as a whole one. */
const TOKENS = [
  "ctx.",
  "ctx.run(",
  "ctx.get(",
  "ctx.set(",
  "ctx.sleep(",
  "ctx.rand.",
  "ctx.date.now()",
  "await ",
  "async ",
  "return ",
  "const ",
  "let ",
  "=>",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ";",
  ",",
  ".",
  "=",
  '"',
  "'",
  "`",
  "${",
  "/*",
  "*/",
  "//",
  "<",
  ">",
  "?",
  ":",
  "Date.now()",
  "Math.random()",
  "new Date()",
  "console.log(",
  "setTimeout(",
  "Promise.all(",
  "fetch(",
  "restate.",
  "restate.handlers.object.shared(",
  "restate.RestatePromise.all(",
  "ctx.objectClient(",
  "ctx.serviceClient(",
  "ctx.awakeable()",
  "\n",
  " ",
  "x",
  "items",
  "order",
  "0",
];

/** Statements and handlers typed character by character, or pasted at once. */
const FRAGMENTS = [
  `const now = Date.now();\n`,
  `const id = await ctx.run("id", () => crypto.randomUUID());\n`,
  `await ctx.run("log", async () => { console.log(await ctx.get("items")); });\n`,
  `ctx.set("when", new Date());\n`,
  `setTimeout(() => ctx.set("late", 1), 10);\n`,
  `await Promise.all([ctx.sleep(1000), ctx.sleep(2000)]);\n`,
  `for (const [k, v] of new Map<string, number>()) await ctx.run(k, () => v);\n`,
  `let counter = 0;\nawait ctx.run("count", () => { counter++; });\n`,
  `ctx.objectClient(cart, ctx.key).getCart();\n`,
  `const x = await ctx.promise<string>("p").get();\n`,
  `async pasted(ctx: restate.ObjectContext, input: string) {\n  const t = Date.now();\n  await ctx.run("p", () => ctx.get("x"));\n  return { t, input };\n},\n`,
  `pastedArrow: async (ctx: restate.ObjectSharedContext) => {\n  console.info(ctx.key);\n  return Math.random();\n},\n`,
  `export const svc = restate.service({ name: "svc", handlers: { go: async (ctx: restate.Context) => { await ctx.sleep({ seconds: 1 }); return new Map(); } } });\n`,
  `export async function helper(ctx: restate.Context) { const r = ctx.run(() => fetch("http://x")); return r; }\n`,
];

/**
 * Expressions, each replaced by another now and then: the file still parses (for typescript-estree too:
 * no names, which are assigned or declared), and the rules see new code.
 */
const EXPRESSIONS = [
  "Date.now()",
  "Math.random()",
  "new Date()",
  "ctx.key",
  "0",
  '"expiryToken"',
  "ctx.rand.random()",
  "(await ctx.date.now())",
  'await ctx.get<number>("n")',
  "crypto.randomUUID()",
  "performance.now()",
  "new Map<string, number>()",
  "[...new Set([1, 2])]",
  "(() => 1)",
  'fetch("http://localhost")',
  "setTimeout(() => {}, 1)",
  "Promise.all([ctx.sleep(1)])",
  'ctx.run("r", () => Date.now())',
  "process.env.HOME",
  "BigInt(1)",
];
const EXPRESSION_PATTERN = new RegExp(EXPRESSIONS.map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");

const CHARS = "abcdefghijklmnopqrstuvwxyz_$0123456789 .,;:(){}[]<>=+-*/!?&|'\"`\n\t@#";

interface Stats {
  edits: number;
  diagnostics: number;
  codeFixRequests: number;
  codeFixesOffered: number;
  codeFixesApplied: number;
  reverts: number;
  findings: number;
}

let project: TempProject;
let server: TsServer;
const paths: string[] = [];
const originals = new Map<string, string>();

beforeAll(() => {
  project = installFromPack({ ...fixtureCompilerOptions(), plugins: [{ name: "restate-guard/ts-plugin", preset: "strict" }] }, ["shop-buggy/src"]);
  cpSync(join(ROOT, "fixtures", "shop-buggy"), join(project.dir, "shop-buggy"), { recursive: true });
  project.write("shop-buggy/src/soak.ts", SOAK_FILE);
  for (const name of FILES) {
    const path = join(project.dir, "shop-buggy", "src", name);
    paths.push(path);
    originals.set(path, readFileSync(path, "utf8"));
  }
  server = new TsServer(project.tsserverPath, project.dir, join(project.dir, "tsserver.log"));
});

afterAll(async () => {
  await server?.stop();
  project?.remove();
});

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`tsserver did not answer ${what} within ${REQUEST_TIMEOUT_MS} ms (seed ${SEED})`)), REQUEST_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The tsserver process's resident set size in bytes, from /proc (undefined where there is no /proc). */
function rss(pid: number | undefined): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function location(text: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, offset: offset - lineStart + 1 };
}

const ours = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.source === "restate-guard");
const describeDiagnostics = (diagnostics: readonly Diagnostic[]) =>
  ours(diagnostics).map((d) => `${d.start.line}:${d.start.offset}-${d.end.line}:${d.end.offset} ${d.code} ${d.category} ${d.text}`);

describe("ts-plugin soak in tsserver", () => {
  it(`survives ${EDITS} random edits with diagnostics and quick fixes, and its memory stays bounded`, async () => {
    // The seed replays this run: RESTATE_GUARD_SOAK_SEED=<seed>.
    console.log(`ts-plugin soak: seed ${SEED} (RESTATE_GUARD_SOAK_SEED), ${EDITS} edits`);
    const random = prng(SEED);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)];
    const chance = (p: number) => random() < p;

    const texts = new Map(originals);
    const latest = new Map<string, Diagnostic[]>();
    const stats: Stats = { edits: 0, diagnostics: 0, codeFixRequests: 0, codeFixesOffered: 0, codeFixesApplied: 0, reverts: 0, findings: 0 };
    let clipboard = FRAGMENTS[0];
    /** Each file's last text without syntax errors. */
    const parsed = new Map(originals);
    /** Set every 20 edits: code fixes are requested after the next change that leaves one of our findings. */
    let quickFixDue = false;

    const diagnose = async (path: string): Promise<Diagnostic[]> => {
      const diagnostics = await withTimeout(server.semanticDiagnostics(path), `semanticDiagnosticsSync after edit ${stats.edits}`);
      expect(Array.isArray(diagnostics)).toBe(true);
      const lines = texts.get(path)!.split("\n").length;
      for (const d of ours(diagnostics)) {
        // Our findings lie inside the text tsserver and this test both have.
        expect(d.code).toBeGreaterThanOrEqual(FIRST_RULE_CODE);
        expect(d.end.line, `${path} ${d.text}`).toBeLessThanOrEqual(lines);
      }
      stats.diagnostics++;
      stats.findings += ours(diagnostics).length;
      latest.set(path, diagnostics);
      return diagnostics;
    };

    /**
     * One edit, as an editor sends it: a single change as a `change` notification written together with the
     * diagnostics request (one round trip), several (a quick fix) as one `updateOpen`. Diagnostics for the file
     * after it.
     */
    const edit = async (path: string, changes: { start: number; end: number; text: string }[]) => {
      const text = texts.get(path)!;
      const sorted = [...changes].sort((a, b) => a.start - b.start);
      const protocol: CodeEdit[] = sorted.map((c) => ({ start: location(text, c.start), end: location(text, c.end), newText: c.text }));
      if (protocol.length === 1) {
        const [{ start, end, newText }] = protocol;
        server.notify("change", { file: path, line: start.line, offset: start.offset, endLine: end.line, endOffset: end.offset, insertString: newText });
      } else {
        await withTimeout(server.changeText(path, protocol), `updateOpen at edit ${stats.edits}`);
      }
      texts.set(path, applyEdits(text, protocol));
      stats.edits++;
      await diagnose(path);
      // Now and then another open file: the program changed, so it is checked and linted again.
      if (stats.edits % 100 === 0) await diagnose(pick(paths.filter((p) => p !== path)));
      if (stats.edits % RSS_EVERY === 0) rssSamples.push({ edit: stats.edits, bytes: rss(server.pid) });
    };
    const replace = (path: string, start: number, end: number, text: string) => edit(path, [{ start, end, text }]);

    /** The file back to an earlier text (an undo): one change, of the range that differs. */
    const restore = async (path: string, target: string) => {
      const text = texts.get(path)!;
      if (text === target) return;
      let start = 0;
      while (start < text.length && start < target.length && text[start] === target[start]) start++;
      let end = 0;
      while (end < text.length - start && end < target.length - start && text[text.length - 1 - end] === target[target.length - 1 - end]) end++;
      await replace(path, start, text.length - end, target.slice(start, target.length - end));
    };

    /** Every open file back to its original text; then our diagnostics must be the ones at the start. */
    const revertAll = async () => {
      for (const path of paths) await restore(path, originals.get(path)!);
      stats.reverts++;
      for (const path of paths) {
        const got = describeDiagnostics(await diagnose(path));
        expect(got, `${path} after revert ${stats.reverts} (edit ${stats.edits})`).toEqual(baseline.get(path));
      }
    };

    /** Code fixes for one of our diagnostics of the file; sometimes one of them applied, as a user picks it. */
    const quickFix = async (path: string) => {
      const candidates = ours(latest.get(path) ?? []);
      if (!candidates.length) return;
      const diagnostic = pick(candidates);
      const actions = await withTimeout(server.codeFixes(path, diagnostic), `getCodeFixes at edit ${stats.edits}`);
      stats.codeFixRequests++;
      // At least "Disable … for this line", unless the line starts inside a multi-line string.
      if (actions.length) stats.codeFixesOffered++;
      for (const action of actions) {
        expect(action.fixName).toBe(splitRuleId(diagnostic.text).ruleId);
        expect(action.changes.map((c) => c.fileName)).toEqual([path]);
      }
      if (!actions.length || !chance(0.4)) return;
      const action = pick(actions);
      const text = texts.get(path)!;
      const lineStarts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
      const offset = (l: Location) => lineStarts[l.line - 1] + l.offset - 1;
      await edit(
        path,
        action.changes[0].textChanges.map((c) => ({ start: offset(c.start), end: offset(c.end), text: c.newText })),
      );
      stats.codeFixesApplied++;
    };

    server.open(paths[0]);
    for (const path of paths.slice(1)) server.open(path);
    const baseline = new Map<string, string[]>();
    for (const path of paths) baseline.set(path, describeDiagnostics(await withTimeout(server.semanticDiagnostics(path), "the first diagnostics")));
    // The fixture's planted findings, so that the comparison after a revert compares something.
    for (const path of paths) expect(baseline.get(path)!.length, path).toBeGreaterThan(0);

    const rssSamples: { edit: number; bytes: number | undefined }[] = [];
    let sinceRevert = 0;
    while (stats.edits < EDITS) {
      const path = chance(FIXTURE_EDITS) ? pick(paths.slice(1)) : paths[0];
      const text = texts.get(path)!;
      const at = int(text.length + 1);
      const lineStart = text.lastIndexOf("\n", at - 1) + 1;
      const before = stats.edits;
      const kind = random();
      const undoable = kind < 0.97;
      if (kind < 0.12) {
        // A typed character, or a deleted one (backspace).
        if (chance(0.6)) await replace(path, at, at, pick([...CHARS]));
        else if (at > 0) await replace(path, at - 1, at, "");
      } else if (kind < 0.2) {
        // A token inserted, or a range of a few characters deleted (a word, a bracket, half a call).
        if (chance(0.6)) await replace(path, at, at, pick(TOKENS));
        else await replace(path, at, Math.min(text.length, at + 1 + int(12)), "");
      } else if (kind < 0.202) {
        // A fragment typed one character at a time from the start of a line: every prefix is a state the
        // editor sees (`ctx.`, `ctx.run(` with no closing parenthesis, an open brace); sometimes abandoned
        // half-way, sometimes erased again with backspace.
        const fragment = pick(FRAGMENTS);
        const length = chance(0.3) ? 1 + int(fragment.length) : fragment.length;
        for (let i = 0; i < length && stats.edits < EDITS; i++) await replace(path, lineStart + i, lineStart + i, fragment[i]);
        if (chance(0.3)) for (let i = length; i > 0 && stats.edits < EDITS; i--) await replace(path, lineStart + i - 1, lineStart + i, "");
      } else if (kind < 0.3) {
        // Cut a few whole lines, or paste the clipboard (or a fragment) at a line start.
        if (chance(0.5)) {
          let end = lineStart;
          for (let n = 1 + int(6); n > 0 && end < text.length; n--) end = text.indexOf("\n", end) < 0 ? text.length : text.indexOf("\n", end) + 1;
          clipboard = text.slice(lineStart, end) || clipboard;
          await replace(path, lineStart, end, "");
        } else {
          await replace(path, lineStart, lineStart, chance(0.5) ? clipboard : pick(FRAGMENTS));
        }
      } else if (kind < 0.35) {
        // Break the syntax, then restore it a few edits later: an unbalanced brace or parenthesis, or a
        // member access with nothing after the dot.
        const breaker = pick(["{", "}", "(", ")", "ctx.", "`", "/*", "<"]);
        await replace(path, at, at, breaker);
        let position = at;
        for (let n = int(4); n > 0 && stats.edits < EDITS; n--) {
          const p = int(texts.get(path)!.length + 1);
          if (p > position && p < position + breaker.length) continue;
          await replace(path, p, p, pick([...CHARS]));
          if (p <= position) position++;
        }
        if (stats.edits < EDITS) await replace(path, position, position + breaker.length, "");
      } else if (kind < 0.4) {
        // A whole token deleted: the identifier or punctuation under the cursor.
        const match = /^(?:[\w$]+|\s+|[^\w$\s])/.exec(text.slice(at));
        if (match) await replace(path, at, at + match[0].length, "");
        else await replace(path, at, at, pick(TOKENS));
      } else if (kind < 0.44) {
        // A random replacement of a range with a token (a selection overtyped).
        await replace(path, at, Math.min(text.length, at + int(30)), pick(TOKENS));
      } else if (kind < 0.88) {
        // Edits after which the file still parses, so that the rules run on changed code: an expression
        // replaced by another, a letter added to an identifier, a line deleted or duplicated, a
        // statement pasted at the start of a line.
        const expressions = [...text.matchAll(EXPRESSION_PATTERN)];
        const identifierEnds = [...text.matchAll(/[A-Za-z_$][\w$]*(?=[^\w$])/g)].map((m) => m.index + m[0].length);
        const lineEnd = text.indexOf("\n", lineStart) < 0 ? text.length : text.indexOf("\n", lineStart) + 1;
        const which = random();
        if (which < 0.4 && expressions.length) {
          const match = pick(expressions);
          await replace(path, match.index, match.index + match[0].length, pick(EXPRESSIONS));
        } else if (which < 0.6 && identifierEnds.length) {
          const end = pick(identifierEnds);
          await replace(path, end, end, pick([..."abcxyz_0123"]));
        } else if (which < 0.75) {
          await replace(path, lineStart, lineEnd, "");
        } else if (which < 0.85) {
          await replace(path, lineEnd, lineEnd, text.slice(lineStart, lineEnd) + (text.endsWith("\n") || lineEnd < text.length ? "" : "\n"));
        } else {
          await replace(path, lineStart, lineStart, pick(FRAGMENTS));
        }
      } else if (kind < 0.97) {
        await replace(path, at, at, pick(TOKENS));
      } else {
        // Undo of all the changes to one file since it was opened.
        await restore(path, originals.get(path)!);
      }
      if (quickFixDue && ours(latest.get(path) ?? []).length) {
        quickFixDue = false;
        await quickFix(path);
      }
      // When the file no longer parses, it is mostly brought back to its last text that did (Ctrl+Z,
      // or the typo fixed); an edit that leaves it parsing is undone now and then; and the file is back
      // to its original text when it has grown by half. Most edits are then made to a text that parses,
      // or almost, as while someone types, so that the rules run (a file that does not parse is not
      // linted), and the file stays small.
      if (undoable && stats.edits < EDITS) {
        const syntaxErrors = await withTimeout(server.request<Diagnostic[]>("syntacticDiagnosticsSync", { file: path }), "syntacticDiagnosticsSync");
        if (syntaxErrors.length ? chance(0.8) : chance(0.2)) await restore(path, syntaxErrors.length ? (parsed.get(path) ?? originals.get(path)!) : text);
        else if (!syntaxErrors.length) parsed.set(path, texts.get(path)!);
      }
      if (texts.get(path)!.length > 1.5 * originals.get(path)!.length) await restore(path, originals.get(path)!);
      sinceRevert += stats.edits - before;
      if (Math.floor(stats.edits / 20) > Math.floor(before / 20)) quickFixDue = true;
      // Every file back to its original now and then (and when the text has drifted far), comparing our diagnostics.
      if (sinceRevert > 400 || (sinceRevert > 40 && chance(0.01))) {
        await revertAll();
        sinceRevert = 0;
      }
    }
    await revertAll();
    rssSamples.push({ edit: stats.edits, bytes: rss(server.pid) });

    expect(server.alive).toBe(true);
    const log = server.log();
    // tsserver logs an exception thrown by a request handler (or a plugin) as an `Err` entry.
    expect(log.split("\n").filter((line) => /^Err\s/.test(line) || /Exception on executing command/.test(line))).toEqual([]);
    // The plugin logs each lint failure it recovered from: none is expected, whatever the text.
    expect(log.split("\n").filter((line) => line.includes("[restate-guard]") && /failed|could not/.test(line))).toEqual([]);
    expect(server.stderr).toBe("");

    const mb = (bytes: number | undefined) => (bytes === undefined ? "n/a" : `${(bytes / 2 ** 20).toFixed(0)} MB`);
    // Memory. tsserver's live heap does not grow with the edits: each edit replaces the program (the
    // project's files, the SDK's and node's declarations, one checker) and the plugin's lint of the open
    // files, and the old ones become garbage (with --expose-gc in an experiment, the heap after a full
    // collection went from 104 MB to 117 MB over 5,000 edits). RSS follows V8's heap sizing instead: it
    // holds the garbage of the edits since the last full collection and swings by 100–200 MB from one
    // sample to the next. So the warm-up RSS is the largest sample of the first fifth of the edits (the
    // heap has grown to its working size, and collected a few times), the end RSS the smallest of the
    // last fifth (with the least garbage in it; a leak raises it with the rest), and the bound is
    // generous: half the warm-up RSS for the heap's growth into its next size steps, plus 50 MB for
    // the allocator's fragmentation and code caches. Anything kept per edit (a program, a source file,
    // a lint result in the plugin's cache: from hundreds of kilobytes to tens of megabytes each) adds
    // far more over the 5,000 edits.
    const measured = rssSamples.filter((s): s is { edit: number; bytes: number } => s.bytes !== undefined);
    const warmUp = measured.filter((s) => s.edit <= EDITS / 5).map((s) => s.bytes);
    const end = measured.filter((s) => s.edit > (EDITS * 4) / 5).map((s) => s.bytes);
    const warmUpRss = warmUp.length ? Math.max(...warmUp) : undefined;
    const endRss = end.length ? Math.min(...end) : undefined;
    const notLinted = log.split("\n").filter((line) => line.includes("was not linted")).length;
    console.log(
      `ts-plugin soak: ${stats.edits} edits, ${stats.diagnostics} diagnostics requests (${stats.findings} findings; ` +
        `${notLinted} on text that does not parse, not linted), ${stats.codeFixRequests} code fix requests ` +
        `(${stats.codeFixesOffered} with fixes, ${stats.codeFixesApplied} applied), ${stats.reverts} reverts to the original files; ` +
        `tsserver RSS ${mb(warmUpRss)} after warm-up, ${mb(endRss)} at the end ` +
        `(every ${RSS_EVERY} edits: ${measured.map((s) => Math.round(s.bytes / 2 ** 20)).join(" ")} MB)`,
    );
    expect(stats.edits).toBeGreaterThanOrEqual(EDITS);
    expect(stats.codeFixRequests).toBeGreaterThan(EDITS / 100);
    expect(stats.codeFixesOffered).toBeGreaterThan(stats.codeFixRequests / 2);
    expect(stats.codeFixesApplied).toBeGreaterThan(0);
    if (warmUpRss !== undefined && endRss !== undefined) {
      expect(endRss, `RSS ${mb(warmUpRss)} after warm-up, ${mb(endRss)} at the end`).toBeLessThanOrEqual(1.5 * warmUpRss + 50 * 2 ** 20);
    }
  }, 900_000);
});
