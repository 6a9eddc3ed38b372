/**
 * Fuzzing every rule of the `all` preset with inputs derived from the
 * example shop, the docs examples and the typed fixture (tests/fuzz/mutate.ts).
 *
 * - No rule throws: ESLint turns a rule's exception into a thrown error;
 *   each distinct (rule, message) is collected, its input minimised, and the
 *   test fails listing them all.
 * - An input that does not parse comes back as a parse error (`fatal`), never
 *   a throw and never another fatal message.
 * - Autofixes never turn code that parses into code that does not, and the
 *   first inputs they change get no TypeScript error they did not have.
 * - A smaller slice is linted with type information (one TypeScript program
 *   over many inputs, so the SDK's types are checked once).
 *
 * Deterministic: FUZZ_SEED (default below) picks the inputs; FUZZ_COUNT and
 * FUZZ_TYPED_COUNT change how many. Each test runs alone (`-t`): the
 * type-check of fixes reuses what the syntax-only tests fixed, or fixes the
 * inputs itself. To replay one input:
 *   FUZZ_SEED=<seed> FUZZ_ONLY=<index> npx vitest run tests/fuzz.test.ts
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import plugin, { PLUGIN_NAMESPACE } from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";
import { extractUnits, type FuzzInput, fuzzInput, loadSources, minimize } from "./fuzz/mutate.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const TYPED_COUNT = Number(process.env.FUZZ_TYPED_COUNT ?? 300);
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
const CHUNKS = 4;
/** Typed inputs are numbered after the syntax-only ones, so the two never repeat each other. */
const TYPED_OFFSET = 1_000_000;

const units = extractUnits(loadSources(ROOT));
const FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"];
const linter = new Linter({ configType: "flat" });
const config = normalized([{ files: FILES, languageOptions: { parser: tsParser } }, plugin.configs.all as never], process.cwd());

/**
 * `Linter.verify` normalises a config array on every call (validating every
 * rule's options), which is some 40% of the time on inputs this small. It
 * takes an already normalised `FlatConfigArray` as is; ESLint does not export
 * that class, so it comes from ESLint's own files (the same in ESLint 9 and
 * 10), with the plain array as the fallback.
 */
function normalized(configs: Linter.Config[], cwd: string): Linter.Config[] {
  try {
    const require = createRequire(import.meta.url);
    const { FlatConfigArray } = require(join(dirname(require.resolve("eslint")), "config", "flat-config-array.js")) as {
      FlatConfigArray: new (configs: Linter.Config[], options: { basePath: string }) => Linter.Config[] & { normalizeSync(): void };
    };
    const array = new FlatConfigArray(configs, { basePath: cwd });
    array.normalizeSync();
    return array;
  } catch {
    return configs;
  }
}

type Messages = Linter.LintMessage[];
/** Lints one input; `checkFixes`: also apply the fixes (syntax-only: a typed program cannot follow the edits). */
type Verify = ((code: string, filename: string) => Messages) & { checkFixes?: boolean };

interface Failure {
  kind: "throws" | "fatal without a parse error" | "fix breaks parsing";
  rule: string;
  message: string;
  index: number;
  input: FuzzInput;
  count: number;
  minimal?: string;
  frame?: string;
}

function describeError(error: unknown): { rule: string; message: string; frame: string } {
  const e = error as Error & { ruleId?: string };
  const text = String(e?.message ?? error);
  return {
    rule: e?.ruleId ?? /Rule: "([^"]+)"/.exec(text)?.[1] ?? "(no rule: ESLint or the parser)",
    message: text.split("\nOccurred while linting")[0],
    frame: e?.stack?.split("\n").find((line) => /[\\/](rules|core)[\\/]/.test(line))?.trim() ?? "",
  };
}

const isParseError = (m: Linter.LintMessage) => m.fatal && /^Parsing error/.test(m.message);

/** An input the fixes changed (and that still parses), for the type-check below. */
interface Fixed {
  code: string;
  output: string;
  filename: string;
  rules: string;
  index: number;
}

type Problem = Omit<Failure, "index" | "input" | "count">;

/**
 * Lints one input and checks it; returns the problem found, if any, and the
 * fixed text when the fixes changed it. `verify` lints with the given linter
 * and config (syntax-only or typed).
 */
function check(code: string, filename: string, verify: Verify): { problem?: Problem; fixed?: Omit<Fixed, "index"> } {
  let messages: Messages;
  try {
    messages = verify(code, filename);
  } catch (error) {
    const { rule, message, frame } = describeError(error);
    return { problem: { kind: "throws", rule, message, frame } };
  }
  const otherFatal = messages.find((m) => m.fatal && !isParseError(m));
  if (otherFatal) return { problem: { kind: "fatal without a parse error", rule: otherFatal.ruleId ?? "(none)", message: otherFatal.message } };
  if (!verify.checkFixes || messages.some((m) => m.fatal) || !messages.some((m) => m.fix)) return {};
  // Apply every autofix (as --fix does) and parse the result again.
  const rules = [...new Set(messages.filter((m) => m.fix).map((m) => m.ruleId))].sort().join(", ");
  let result: Linter.FixReport;
  try {
    result = linter.verifyAndFix(code, config, filename);
  } catch (error) {
    const { rule, message, frame } = describeError(error);
    return { problem: { kind: "throws", rule, message: `while fixing: ${message}`, frame } };
  }
  // The messages are those of the last pass, over the fixed text: a parse error there is the fixes' doing.
  const { output } = result;
  const broken = result.messages.find(isParseError);
  if (broken) return { problem: { kind: "fix breaks parsing", rule: rules, message: broken.message } };
  return output !== code && !filename.endsWith(".d.ts") ? { fixed: { code, output, filename, rules } } : {};
}

/** The `all` preset with only its fixable rules: a cheaper first look for `firstFixed`. */
const fixableOnly = normalized(
  [
    { files: FILES, languageOptions: { parser: tsParser } },
    {
      ...(plugin.configs.all as Linter.Config),
      rules: Object.fromEntries(Object.entries(plugin.rules).filter(([, rule]) => rule.meta.fixable).map(([name]) => [`${PLUGIN_NAMESPACE}/${name}`, "error"])),
    },
  ],
  process.cwd(),
);

/** Whether the fixable rules alone offer a fix for the input (or throw: then the full check says what happened). */
function mayBeFixed(input: FuzzInput): boolean {
  try {
    return linter.verify(input.code, fixableOnly, input.filename).some((m) => m.fix);
  } catch {
    return true;
  }
}

/** How many fixed inputs the type-check takes: the first ones, by index. */
const MAX_FIXED = 80;
/** What each syntax-only input checked so far (by index) left fixed, or `null`: shared by the tests of this file. */
const fixedByIndex = new Map<number, Fixed | null>();

/**
 * The first MAX_FIXED syntax-only inputs that the fixes changed, by index:
 * from the syntax-only tests when they ran, otherwise checked here, so the
 * type-check of fixes runs alone. Only messages of fixable rules carry fixes,
 * so an input that those rules alone do not offer to fix is not fixed; the
 * others get the full check.
 */
function firstFixed(): Fixed[] {
  const found: Fixed[] = [];
  for (let index = 0; index < COUNT && found.length < MAX_FIXED; index++) {
    if (!fixedByIndex.has(index)) {
      const input = fuzzInput(units, SEED, index);
      const { fixed } = mayBeFixed(input) ? check(input.code, input.filename, syntaxOnly) : {};
      fixedByIndex.set(index, fixed ? { ...fixed, index } : null);
    }
    const fixed = fixedByIndex.get(index);
    if (fixed) found.push(fixed);
  }
  return found;
}

const keyOf = (f: Pick<Failure, "kind" | "rule" | "message">) => `${f.kind}\u0000${f.rule}\u0000${f.message}`;

/** Runs the inputs, collects distinct failures, minimises each. */
function fuzz(indices: number[], make: (i: number) => FuzzInput, verify: Verify, budget: number): Failure[] {
  const failures = new Map<string, Failure>();
  for (const index of indices) {
    const input = make(index);
    const { problem: failure, fixed } = check(input.code, input.filename, verify);
    if (verify === syntaxOnly) fixedByIndex.set(index, fixed ? { ...fixed, index } : null);
    if (!failure) continue;
    const key = keyOf(failure);
    const seen = failures.get(key);
    if (seen) seen.count++;
    else failures.set(key, { ...failure, index, input, count: 1 });
  }
  for (const [key, failure] of failures) {
    const same = (code: string) => {
      const again = check(code, failure.input.filename, verify).problem;
      return again !== undefined && keyOf(again) === key;
    };
    failure.minimal = minimize(failure.input.code, same, budget);
  }
  return [...failures.values()];
}

function report(failures: Failure[], typed: boolean): string {
  return failures
    .map((f) =>
      [
        `${f.kind} — ${f.rule}: ${f.message.split("\n")[0]} (${f.count}×)${f.frame ? `\n  at ${f.frame}` : ""}`,
        `  replay: FUZZ_SEED=${SEED} FUZZ_ONLY=${f.index}${typed ? " (typed)" : ""} npx vitest run tests/fuzz.test.ts`,
        `  recipe: ${f.input.recipe}; file ${f.input.filename}`,
        `  minimal input:\n${indent(f.minimal ?? "")}`,
        `  full input:\n${indent(f.input.code.length > 4000 ? `${f.input.code.slice(0, 4000)}\n…` : f.input.code)}`,
      ].join("\n"),
    )
    .join("\n\n");
}

const indent = (text: string) => text.replace(/^/gm, "    | ");

const syntaxOnly: Verify = Object.assign((code: string, filename: string) => linter.verify(code, config, filename), { checkFixes: true });

describe(`fuzz (seed ${SEED})`, () => {
  it("the generator is deterministic and covers the sources", () => {
    const origins = new Set(units.map((u) => u.origin.split("#")[0].replace(/\/[^/]*$/, "")));
    expect([...origins].sort()).toEqual(["docs/rules", "fixtures/shop-buggy/src", "fixtures/shop/src", "tests/typed-fixture"]);
    expect(fuzzInput(units, SEED, 7)).toEqual(fuzzInput(units, SEED, 7));
  });

  if (ONLY !== undefined) {
    it(`replays input ${ONLY}`, () => {
      const typed = ONLY >= TYPED_OFFSET;
      const input = fuzzInput(units, SEED, ONLY);
      console.log(`input ${ONLY} (${input.recipe}; ${input.filename}):\n${input.code}`);
      const failures = typed ? fuzzTyped([ONLY]) : fuzz([ONLY], (i) => fuzzInput(units, SEED, i), syntaxOnly, 400);
      expect(report(failures, typed)).toBe("");
      const fixed = fixedByIndex.get(ONLY);
      if (fixed) expect(fixTypeProblems([fixed])).toBe("");
    });
    return;
  }

  const perChunk = Math.ceil(COUNT / CHUNKS);
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    const from = chunk * perChunk;
    const to = Math.min(COUNT, from + perChunk);
    it(`syntax-only inputs ${from}–${to - 1}: no rule throws, parse errors are fatal messages, fixes still parse`, { timeout: 300_000 }, () => {
      const indices = Array.from({ length: to - from }, (_, k) => from + k);
      const failures = fuzz(indices, (i) => fuzzInput(units, SEED, i), syntaxOnly, 400);
      expect(report(failures, false)).toBe("");
    });
  }

  it(`autofixes of the first ${MAX_FIXED} fuzzed inputs they change add no TypeScript error`, { timeout: 300_000 }, () => {
    const fixed = firstFixed();
    expect(fixed.length, `fixes changed no input among the first ${COUNT}: the generator or the fixers changed`).toBeGreaterThan(0);
    expect(fixTypeProblems(fixed)).toBe("");
  });

  it(`${TYPED_COUNT} inputs with type information: no rule throws`, { timeout: 300_000 }, () => {
    const indices = Array.from({ length: TYPED_COUNT }, (_, k) => TYPED_OFFSET + k);
    expect(report(fuzzTyped(indices), true)).toBe("");
  });
});

// ---------------------------------------------------------------------------
// Typed slice: the inputs become files of one program beside tests/typed-fixture
// (its tsconfig sees the real SDK), which typescript-eslint gets as `programs`.

const typedDir = join(ROOT, "tests", "typed-fixture");
const typedLinter = new Linter({ configType: "flat", cwd: typedDir });
const parsedConfig = ts.getParsedCommandLineOfConfigFile(join(typedDir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
const typedOptions: ts.CompilerOptions = { ...parsedConfig.options, jsx: ts.JsxEmit.Preserve };
/** Library and SDK declarations, parsed once for every program of this run. */
const sourceFileCache = new Map<string, ts.SourceFile | undefined>();

function typedProgram(files: Map<string, string>, oldProgram?: ts.Program, options = typedOptions): ts.Program {
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    if (!sourceFileCache.has(name)) sourceFileCache.set(name, getSourceFile.call(host, name, languageVersion, onError, shouldCreate));
    return sourceFileCache.get(name);
  };
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  return ts.createProgram([...parsedConfig.fileNames, ...files.keys()], options, host, oldProgram);
}

/**
 * The fixed fuzz inputs must not have TypeScript errors the inputs did not
 * have (checked with `noUnusedLocals`, as fixes may drop the last use of an import).
 */
function fixTypeProblems(fixed: Fixed[]): string {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  fixed.forEach((f, k) => {
    before.set(join(typedDir, `fixed-${k}-before-${f.filename}`), f.code);
    after.set(join(typedDir, `fixed-${k}-after-${f.filename}`), f.output);
  });
  // One program for both, so the SDK's types are checked once.
  const program = typedProgram(new Map([...before, ...after]), undefined, { ...typedOptions, noUnusedLocals: true });
  const errorsBefore = diagnostics(program, before);
  const errorsAfter = diagnostics(program, after);
  const problems: string[] = [];
  const afterNames = [...after.keys()];
  [...before.keys()].forEach((name, k) => {
    const old = [...errorsBefore.get(name)!];
    const added = errorsAfter.get(afterNames[k])!.filter((error) => {
      const i = old.indexOf(error);
      if (i >= 0) old.splice(i, 1);
      return i < 0;
    });
    // More errors than before. (Fuzzed code often has errors already, which a fix may turn into
    // others: a sync handler returning a number fails the object's handler type, and once
    // wrapped, the wrapper's parameter type. That is not a new problem.)
    if (errorsAfter.get(afterNames[k])!.length <= errorsBefore.get(name)!.length) return;
    const f = fixed[k];
    problems.push(
      [
        `fixes by ${f.rules} add: ${added.join("; ")}`,
        `  replay: FUZZ_SEED=${SEED} FUZZ_ONLY=${f.index} npx vitest run tests/fuzz.test.ts; file ${f.filename}`,
        `  input:\n${indent(f.code)}`,
        `  fixed:\n${indent(f.output)}`,
      ].join("\n"),
    );
  });
  return problems.join("\n\n");
}

/**
 * Each file's errors as `TS<code> <message>`, with quoted names and types
 * blanked and only the head of a message chain: a fix that changes a type in
 * an error the file already had is not a new error.
 */
function diagnostics(program: ts.Program, files: Map<string, string>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const name of files.keys()) {
    const file = program.getSourceFile(name)!;
    const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    result.set(
      name,
      found.map((d) => `TS${d.code} ${(typeof d.messageText === "string" ? d.messageText : d.messageText.messageText).replace(/'[^']*'/g, "'…'")}`),
    );
  }
  return result;
}

function typedVerifier(program: ts.Program) {
  const typedConfig = normalized([{ files: FILES, languageOptions: { parser: tsParser, parserOptions: { programs: [program] } } }, plugin.configs.all as never], typedDir);
  return (code: string, filename: string) => typedLinter.verify(code, typedConfig, filename);
}

function fuzzTyped(indices: number[]): Failure[] {
  const inputs = new Map<number, FuzzInput>();
  const files = new Map<string, string>();
  for (const i of indices) {
    const input = fuzzInput(units, SEED, i);
    const filename = join(typedDir, `fuzz-${i}-${input.filename}`);
    inputs.set(i, { ...input, filename });
    files.set(filename, input.code);
  }
  const program = typedProgram(files);
  const verifyInProgram = typedVerifier(program);
  // Minimising needs a program per candidate: one file, reusing the big program's structure.
  let last = program;
  const verify = (code: string, filename: string) => {
    if (files.get(filename) === code) return verifyInProgram(code, filename);
    last = typedProgram(new Map([[filename, code]]), last);
    return typedVerifier(last)(code, filename);
  };
  return fuzz(indices, (i) => inputs.get(i)!, verify, 60);
}
