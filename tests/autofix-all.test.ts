/**
 * Every autofix of the `all` preset is safe on every example we have: the
 * example shop (correct and buggy) and each `ts incorrect` docs example as a
 * file of its own, in a temp project that sees the real SDK types (strict,
 * `noUnusedLocals`, `verbatimModuleSyntax`, as fixtures/tsconfig.json).
 * Fixes are applied as `eslint --fix` does (suggestions are not), without and
 * with type information; then the files still parse, the project has no
 * TypeScript error it did not have before, and a second pass fixes nothing.
 * Each test runs alone: the fixing runs are shared helpers, done once per run.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { ESLint, Linter } from "eslint";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import plugin from "../eslint-plugin.js";
import { exampleBlocks, ROOT } from "../scripts/docs-lib.js";

const work = mkdtempSync(join(tmpdir(), "restate-guard-autofix-all-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FILES = ["**/*.ts"];

/** A project with the example shop and one file per `ts incorrect` docs example. */
function makeProject(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, "fixtures", "shop"), join(dir, "shop"), { recursive: true });
  cpSync(join(ROOT, "fixtures", "shop-buggy"), join(dir, "shop-buggy"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  const tsconfig = JSON.parse(readFileSync(join(ROOT, "fixtures", "tsconfig.json"), "utf8")) as { include: string[] };
  tsconfig.include = ["shop/src", "shop-buggy/src", "docs"];
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  mkdirSync(join(dir, "docs"));
  for (const page of readdirSync(join(ROOT, "docs", "rules")).filter((f) => f.endsWith(".md"))) {
    exampleBlocks(readFileSync(join(ROOT, "docs", "rules", page), "utf8"))
      .filter((block) => block.kind === "incorrect")
      .forEach((block) => writeFileSync(join(dir, "docs", `${page.replace(/\.md$/, "")}-line-${block.line}.ts`), block.code));
  }
  return ["shop/src", "shop-buggy/src", "docs"].flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f))).sort();
}

/**
 * TypeScript's errors per file (relative to its project), as `TS<code> <message>`; positions left
 * out since fixes move code. One program for every project, so the SDK's types are checked once.
 */
function typeErrors(dirs: string[]): Map<string, Map<string, string[]>> {
  const config = ts.getParsedCommandLineOfConfigFile(join(dirs[0], "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const roots = dirs.flatMap((dir) => config.fileNames.map((f) => join(dir, relative(dirs[0], f))));
  const program = ts.createProgram(roots, config.options);
  const result = new Map(dirs.map((dir) => [dir, new Map<string, string[]>()]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const dir = dirs.find((candidate) => d.file?.fileName.startsWith(`${candidate}/`));
    const errors = result.get(dir ?? dirs[0])!;
    const file = d.file && dir ? relative(dir, d.file.fileName) : "(project)";
    errors.set(file, [...(errors.get(file) ?? []), `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`]);
  }
  return result;
}

/** The errors of `after` that `before` does not have (as multisets, per file). */
function newErrors(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const added: string[] = [];
  for (const [file, errors] of after) {
    const old = [...(before.get(file) ?? [])];
    for (const error of errors) {
      const i = old.indexOf(error);
      if (i >= 0) old.splice(i, 1);
      else added.push(`${file}: ${error}`);
    }
  }
  return added;
}

const syntaxConfig = [{ files: FILES, languageOptions: { parser: tsParser } }, plugin.configs.all as never];

function typedESLint(dir: string): ESLint {
  return new ESLint({
    cwd: dir,
    fix: true,
    overrideConfigFile: true,
    overrideConfig: [
      { files: FILES, languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: dir } } },
      plugin.configs.all as never,
    ],
  });
}

/** Where a file's fixed text no longer parses. */
function parseError(text: string, file: string): string | undefined {
  const fatal = new Linter({ configType: "flat" }).verify(text, [{ files: FILES, languageOptions: { parser: tsParser } }], file).find((m) => m.fatal);
  return fatal && `${file}:${fatal.line}:${fatal.column} ${fatal.message}`;
}

/** Runs `make` once and hands every later caller the same result (or the same error). */
function once<T>(make: () => T): () => T {
  let done: { value: T } | { error: unknown } | undefined;
  return () => {
    if (!done) {
      try {
        done = { value: make() };
      } catch (error) {
        done = { error };
      }
    }
    if ("error" in done) throw done.error;
    return done.value;
  };
}

/** What fixing one copy of the project did: the files it changed (relative), and what went wrong on the way. */
interface FixRun {
  fixedFiles: string[];
  /** Fatal messages while fixing, as `file: message`. */
  fatal: string[];
  /** Fixed files that no longer parse. */
  broken: string[];
}

const pristineDir = join(work, "pristine");
const syntaxDir = join(work, "syntax");
const typedDir = join(work, "typed");

/** The untouched project, and its files (absolute). Every test below starts from it. */
const pristine = once(() => makeProject(pristineDir));

/** The project fixed without type information, as `eslint --fix` does file by file. */
const fixWithoutTypes = once((): FixRun & { linter: Linter } => {
  const files = pristine();
  makeProject(syntaxDir);
  const linter = new Linter({ configType: "flat", cwd: syntaxDir });
  const run = { linter, fixedFiles: [] as string[], fatal: [] as string[], broken: [] as string[] };
  for (const original of files) {
    const file = join(syntaxDir, relative(pristineDir, original));
    const result = linter.verifyAndFix(readFileSync(file, "utf8"), syntaxConfig, file);
    run.fatal.push(...result.messages.filter((m) => m.fatal).map((m) => `${relative(syntaxDir, file)}: ${m.message}`));
    if (!result.fixed) continue;
    run.fixedFiles.push(relative(syntaxDir, file));
    writeFileSync(file, result.output);
    const error = parseError(result.output, file);
    if (error) run.broken.push(error);
  }
  return run;
});

/** The project fixed with type information (one typed ESLint over the whole project). */
const fixWithTypes = once(async (): Promise<FixRun> => {
  pristine();
  makeProject(typedDir);
  const first = await typedESLint(typedDir).lintFiles(["shop/src", "shop-buggy/src", "docs"]);
  const run: FixRun = {
    fixedFiles: [],
    fatal: first.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${relative(typedDir, r.filePath)}: ${m.message}`)),
    broken: [],
  };
  for (const result of first.filter((r) => r.output !== undefined)) {
    run.fixedFiles.push(relative(typedDir, result.filePath));
    writeFileSync(result.filePath, result.output!);
    const error = parseError(result.output!, result.filePath);
    if (error) run.broken.push(error);
  }
  return run;
});

describe("every autofix of the all preset, on every fixture and docs example", () => {
  it("the project has the example shop and at least 30 incorrect docs examples", () => {
    const files = pristine().map((f) => relative(pristineDir, f));
    expect(files.filter((f) => f.startsWith("docs/")).length).toBeGreaterThanOrEqual(30);
    expect(files.filter((f) => f.startsWith("shop/")).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith("shop-buggy/")).length).toBeGreaterThan(0);
  });

  it("without type information: fixes keep every file parsing, and a second pass changes nothing", () => {
    const { linter, fixedFiles, fatal, broken } = fixWithoutTypes();
    expect(fatal).toEqual([]);
    expect(broken).toEqual([]);
    expect(fixedFiles.length).toBeGreaterThan(5);
    expect(fixedFiles.filter((f) => f.startsWith("shop/"))).toEqual([]);
    const second = fixedFiles.filter((f) => linter.verifyAndFix(readFileSync(join(syntaxDir, f), "utf8"), syntaxConfig, join(syntaxDir, f)).fixed);
    expect(second).toEqual([]);
  });

  it("with type information: fixes keep every file parsing, and a second pass changes nothing", async () => {
    const { fixedFiles, fatal, broken } = await fixWithTypes();
    expect(fatal).toEqual([]);
    expect(broken).toEqual([]);
    expect(fixedFiles.length).toBeGreaterThan(5);
    expect(fixedFiles.filter((f) => f.startsWith("shop/"))).toEqual([]);
    const second = await typedESLint(typedDir).lintFiles(fixedFiles.map((f) => join(typedDir, f)));
    expect(second.filter((r) => r.output !== undefined).map((r) => relative(typedDir, r.filePath))).toEqual([]);
  });

  it("the fixed projects have no TypeScript error the original did not have", async () => {
    // Fixes both copies first, or reuses them if the tests above did.
    pristine();
    const runs = [fixWithoutTypes(), await fixWithTypes()];
    expect(runs.map((run) => run.fixedFiles.length > 0), "each copy of the project was fixed").toEqual([true, true]);
    const errors = typeErrors([pristineDir, syntaxDir, typedDir]);
    const before = errors.get(pristineDir)!;
    // The example shop type-checks; docs examples may leave helpers undeclared, which is fine: only new errors count.
    expect([...before.keys()].filter((f) => f.startsWith("shop"))).toEqual([]);
    expect({ syntax: newErrors(before, errors.get(syntaxDir)!), typed: newErrors(before, errors.get(typedDir)!) }).toEqual({ syntax: [], typed: [] });
  });
});
