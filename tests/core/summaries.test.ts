/**
 * The summary engine on its own (core/summaries.ts): what a call reaches
 * through the functions it calls, with a probe effect whose sinks are calls of
 * a global `sink()`. Then, with type information, across files and across
 * programs: an edit recomputes only the summaries that read the edited file.
 */
import { join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { Linter } from "eslint";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { getAnalysis } from "../../core/analysis.js";
import { conversionStats } from "../../core/program-files.js";
import { describeReach, MAX_DEPTH, summariesOf, summaryStats, type Effect } from "../../core/summaries.js";
import { typedFixtureDir } from "../rule-tester.js";

const probeEffect = (throughDurable: boolean): Effect => ({
  id: `probe:${throughDurable}`,
  throughDurable,
  sink: (node) =>
    node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === "sink" ? { label: "sink" } : null,
});

/** Every call of `probe(…)`'s argument in the file: what it reaches, as `line: chain`. */
function reaches(code: string, throughDurable = false, parserOptions: Record<string, unknown> = {}, filename = "file.ts"): string[] {
  const found: string[] = [];
  const rule: TSESLint.RuleModule<string, []> = {
    meta: { type: "problem", messages: {}, schema: [] },
    defaultOptions: [],
    create(context) {
      const analysis = getAnalysis(context);
      return {
        "CallExpression[callee.name='probe'] > :matches(CallExpression, NewExpression)"(call: TSESTree.CallExpression | TSESTree.NewExpression) {
          const reach = summariesOf(analysis).reachOfCall(call, probeEffect(throughDurable));
          found.push(`${call.loc.start.line}: ${reach ? describeReach(reach) : "nothing"}`);
        },
      };
    },
  };
  const messages = new Linter({ configType: "flat" }).verify(
    code,
    [{ files: ["**/*.ts"], languageOptions: { parser: tsParser, parserOptions }, plugins: { t: { rules: { rule } } as never }, rules: { "t/rule": "error" } }],
    filename,
  );
  expect(messages).toEqual([]);
  return found;
}

const header = `import * as restate from "@restatedev/restate-sdk";\ndeclare function sink(): void;\ndeclare function probe(x: unknown): void;\n`;

describe("what a call reaches (syntax only)", () => {
  it("follows declarations, const functions, object and class methods, constructors and static methods", () => {
    expect(
      reaches(
        header +
          `function a() { sink(); }
const b = () => a();
const tools = { run() { b(); } };
class C { constructor() { sink(); } m() { this.n(); } n() { sink(); } static s() { tools.run(); } }
const c = new C();
probe(a()); probe(b()); probe(tools.run()); probe(new C()); probe(c.m()); probe(new C().n()); probe(C.s());`,
      ),
    ).toEqual([
      "9: `a` → `sink` (file.ts:4)",
      "9: `b` → `a` → `sink` (file.ts:4)",
      "9: `tools.run` → `b` → `a` → `sink` (file.ts:4)",
      "9: `new C` → `sink` (file.ts:7)",
      "9: `C.m` → `C.n` → `sink` (file.ts:7)",
      "9: `C.n` → `sink` (file.ts:7)",
      "9: `C.s` → `tools.run` → … → `a` → `sink` (file.ts:4)",
    ]);
  });

  it("counts callbacks and functions called on the spot, not closures that are only returned or stored, nor ctx.run actions", () => {
    expect(
      reaches(
        header +
          `function each(xs: number[]) { xs.forEach(() => sink()); }
function iife() { (() => sink())(); }
function factory() { return () => sink(); }
function store() { const later = () => sink(); return later; }
async function journaled(ctx: restate.Context) { await ctx.run("x", () => sink()); }
probe(each([])); probe(iife()); probe(factory()); probe(store()); probe(journaled(null!));`,
        true,
      ),
    ).toEqual(["9: `each` → `sink` (file.ts:4)", "9: `iife` → `sink` (file.ts:5)", "9: nothing", "9: nothing", "9: nothing"]);
  });

  it("stops at functions that are durable code on their own unless the effect goes through them", () => {
    const code = header + `async function helper(ctx: restate.Context) { sink(); }\nprobe(helper(null!));`;
    expect(reaches(code, false)).toEqual(["5: nothing"]);
    expect(reaches(code, true)).toEqual(["5: `helper` → `sink` (file.ts:4)"]);
  });

  it("terminates on recursion, and a cycle does not hide what it reaches elsewhere", () => {
    expect(
      reaches(
        header +
          `function self(n: number): void { if (n > 0) self(n - 1); }
function even(n: number): void { if (n > 0) odd(n - 1); }
function odd(n: number): void { if (n > 0) even(n - 1); else sink(); }
probe(self(3)); probe(even(3)); probe(odd(3));`,
      ),
    ).toEqual(["7: nothing", "7: `even` → `odd` → `sink` (file.ts:6)", "7: `odd` → `sink` (file.ts:6)"]);
  });

  it(`follows at most ${MAX_DEPTH} calls deep`, () => {
    const chain = Array.from({ length: MAX_DEPTH + 2 }, (_, i) => `function f${i}() { ${i === MAX_DEPTH + 1 ? "sink()" : `f${i + 1}()`}; }`).join("\n");
    const found = reaches(header + `${chain}\nprobe(f1()); probe(f2());`);
    expect(found[0]).toMatch(/nothing$/);
    expect(found[1]).toMatch(/^\d+: `f2` → `f3` → … → `f9` → `sink`/);
  });
});

describe("across files and programs (type information)", () => {
  const handlers = join(typedFixtureDir, "services", "summaries-handlers.ts");
  const helpers = join(typedFixtureDir, "services", "utils", "fx.ts");
  const handlersText = `import * as restate from "@restatedev/restate-sdk";
import { getFxRate, Ledger } from "./utils/fx.js";
declare function probe(x: unknown): void;
probe(getFxRate("EUR"));
probe(new Ledger().record(1));
`;
  const fetchEffect: Effect = {
    id: "probe:fetch",
    throughDurable: false,
    sink: (node) => (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === "fetch" ? { label: "fetch" } : null),
  };
  const writeEffect: Effect = {
    id: "probe:write",
    throughDurable: false,
    sink: (node) =>
      node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === "writeFile" ? { label: "writeFile" } : null,
  };

  function lint(program: ts.Program): string[] {
    const found: string[] = [];
    const rule: TSESLint.RuleModule<string, []> = {
      meta: { type: "problem", messages: {}, schema: [] },
      defaultOptions: [],
      create(context) {
        const analysis = getAnalysis(context);
        return {
          "CallExpression[callee.name='probe'] > :matches(CallExpression, NewExpression)"(call: TSESTree.CallExpression | TSESTree.NewExpression) {
            const summaries = summariesOf(analysis);
            const reach = summaries.reachOfCall(call, fetchEffect) ?? summaries.reachOfCall(call, writeEffect);
            found.push(reach ? describeReach(reach) : "nothing");
            // A reused answer has its sink's node and model back, in the current program.
            if (reach) expect(reach.sink.analysis.sourceCode.ast.range).toBeDefined();
            if (reach) expect(reach.sink.node.loc).toEqual(reach.sink.loc);
          },
        };
      },
    };
    const file = program.getSourceFile(handlers)!;
    const messages = new Linter({ configType: "flat" }).verify(
      file.text,
      [
        {
          files: ["**/*.ts"],
          languageOptions: { parser: tsParser, parserOptions: { programs: [program] } },
          plugins: { t: { rules: { rule } } as never },
          rules: { "t/rule": "error" },
        },
      ],
      handlers,
    );
    expect(messages).toEqual([]);
    return found;
  }

  it("converts another file once, and after an edit recomputes only the summaries that read the edited file", () => {
    const texts = new Map<string, string>([[handlers, handlersText]]);
    const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: ["node"] };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (name) => texts.get(name) ?? read(name);
    // As a language service's document registry does: an unchanged file keeps its SourceFile.
    const files = new Map<string, ts.SourceFile>();
    host.getSourceFile = (name, language) => {
      const text = host.readFile(name);
      if (text === undefined) return undefined;
      const known = files.get(name);
      if (known?.text === text) return known;
      const file = ts.createSourceFile(name, text, language, true);
      files.set(name, file);
      return file;
    };
    host.fileExists = ((exists) => (name: string) => texts.has(name) || exists(name))(host.fileExists.bind(host));

    const first = ts.createProgram([handlers], options, host);
    const conversions = conversionStats.files;
    summaryStats.searches.clear();
    expect(lint(first)).toEqual(["`getFxRate` → `fetch` (fx.ts:5)", "`Ledger.record` → `Ledger.persist` → `audit` → `writeFile` (fx.ts:10)"]);
    expect(conversionStats.files - conversions).toBe(1);
    expect(summaryStats.searches.get(helpers)).toBeGreaterThan(0);

    // An edit in the handlers' file: fx.ts keeps its SourceFile, its summaries and its conversion.
    texts.set(handlers, `${handlersText}// edited\n`);
    const second = ts.createProgram([handlers], options, host, first);
    expect(second.getSourceFile(helpers)).toBe(first.getSourceFile(helpers));
    summaryStats.searches.clear();
    expect(lint(second)).toEqual(["`getFxRate` → `fetch` (fx.ts:5)", "`Ledger.record` → `Ledger.persist` → `audit` → `writeFile` (fx.ts:10)"]);
    expect(conversionStats.files - conversions).toBe(1);
    expect(summaryStats.searches.get(helpers) ?? 0).toBe(0);

    // An edit in fx.ts: converted again, summarised again.
    texts.set(helpers, `${read(helpers)!}\n// edited\n`);
    try {
    const third = ts.createProgram([handlers], options, host, second);
    summaryStats.searches.clear();
    expect(lint(third)).toEqual(["`getFxRate` → `fetch` (fx.ts:5)", "`Ledger.record` → `Ledger.persist` → `audit` → `writeFile` (fx.ts:10)"]);
    expect(conversionStats.files - conversions).toBe(2);
    expect(summaryStats.searches.get(helpers)).toBeGreaterThan(0);
    } finally {
      texts.delete(helpers);
    }
  });
});
