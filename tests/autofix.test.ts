/**
 * Fixes are safe: apply every autofix to the buggy example app; the result
 * still type-checks (with the app's strict tsconfig, `noUnusedLocals`
 * included) and a second pass changes nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { ESLint } from "eslint";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";
import plugin from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";

const work = mkdtempSync(join(tmpdir(), "restate-guard-autofix-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function eslintFor(dir: string, fix: boolean): ESLint {
  return new ESLint({
    cwd: dir,
    fix,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, plugin.configs.all as never],
  });
}

function typeErrors(dir: string): string[] {
  const configPath = join(dir, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? relative(dir, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

it("autofixing the buggy app keeps it type-checking, and a second pass changes nothing", async () => {
  cpSync(join(ROOT, "fixtures"), work, { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"), "dir");
  // The app is ESM, as in this repository.
  writeFileSync(join(work, "package.json"), JSON.stringify({ private: true, type: "module" }));
  expect(typeErrors(work)).toEqual([]);

  const first = await eslintFor(work, true).lintFiles(["shop-buggy/src"]);
  const fixed = first.filter((r) => r.output !== undefined);
  expect(fixed.length).toBeGreaterThan(0);
  for (const result of fixed) writeFileSync(result.filePath, result.output!);

  expect(typeErrors(work)).toEqual([]);

  const second = await eslintFor(work, true).lintFiles(["shop-buggy/src"]);
  expect(second.filter((r) => r.output !== undefined).map((r) => r.filePath)).toEqual([]);
  // The fixes did what they say: no more fixable problems left.
  expect(second.flatMap((r) => r.messages.filter((m) => m.fix))).toEqual([]);
  // And the untouched, correct app is still correct.
  expect(readFileSync(join(work, "shop", "src", "cart.ts"), "utf8")).toBe(readFileSync(join(ROOT, "fixtures", "shop", "src", "cart.ts"), "utf8"));
});
