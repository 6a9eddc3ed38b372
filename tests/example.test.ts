/**
 * The bundled example shop lints with exactly the findings it is meant to show:
 * every `// expect: restate/<rule>` marker in fixtures/shop-buggy is reported on
 * its line and nothing else is; fixtures/shop lints clean. Checked with and
 * without type information, and under ESLint 10 and ESLint 9. A marker
 * `// expect (typed): restate/<rule>` is a finding only type information
 * shows (a call followed into another file).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter as Linter10 } from "eslint";
import { Linter as Linter9 } from "eslint-v9";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";

const fixtures = join(ROOT, "fixtures");
const files = (app: string) =>
  readdirSync(join(fixtures, app, "src"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(fixtures, app, "src", f));

function expectedFindings(app: string, typed: boolean): string[] {
  const marker = typed ? /expect(?: \(typed\))?: (restate\/[\w-]+)/g : /expect: (restate\/[\w-]+)/g;
  return files(app)
    .flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => [...line.matchAll(marker)].map((m) => `${relative(fixtures, file)}:${i + 1} ${m[1]}`)),
    )
    .sort();
}

type AnyLinter = { verify(code: string, config: unknown, filename: string): { ruleId: string | null; line: number; fatal?: boolean; message: string }[] };

function lintSyntaxOnly(LinterClass: new (opts: { configType: "flat" }) => AnyLinter, app: string): string[] {
  const linter = new LinterClass({ configType: "flat" });
  return files(app)
    .flatMap((file) =>
      linter
        .verify(readFileSync(file, "utf8"), [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, plugin.configs.strict], file)
        .map((m) => (m.fatal ? `FATAL ${m.message}` : `${relative(fixtures, file)}:${m.line} ${m.ruleId}`)),
    )
    .sort();
}

describe("example app in fixtures/", () => {
  it("has planted bugs for every rule in the strict preset", () => {
    const rules = new Set(expectedFindings("shop-buggy", true).map((f) => f.split(" ")[1]));
    for (const id of Object.keys(plugin.configs.strict.rules ?? {})) expect(rules, id).toContain(id);
  });

  for (const [version, LinterClass] of [
    ["ESLint 10", Linter10],
    ["ESLint 9", Linter9],
  ] as const) {
    it(`${version}, strict without types: exactly the marked findings, corrected shop clean`, () => {
      expect(lintSyntaxOnly(LinterClass as never, "shop-buggy")).toEqual(expectedFindings("shop-buggy", false));
      expect(lintSyntaxOnly(LinterClass as never, "shop")).toEqual([]);
    });
  }

  it("strict with the project's tsconfig (type information): the same findings, and those only types show", async () => {
    const eslint = new ESLint({
      cwd: fixtures,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ["**/*.ts"],
          languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: fixtures } },
        },
        plugin.configs.strict as never,
      ],
    });
    const results = await eslint.lintFiles(["shop-buggy/src", "shop/src"]);
    const found = results
      .flatMap((r) => r.messages.map((m) => (m.fatal ? `FATAL ${m.message}` : `${relative(fixtures, r.filePath)}:${m.line} ${m.ruleId}`)))
      .sort();
    expect(found).toEqual(expectedFindings("shop-buggy", true));

    // Messages are one or two short sentences: at most 200 characters as rendered on the shop (the reasoning is in the docs pages).
    const long = results.flatMap((r) => r.messages.filter((m) => m.message.length > 200).map((m) => `${m.ruleId} (${m.message.length}): ${m.message}`));
    expect(long).toEqual([]);
    for (const r of results) for (const m of r.messages) for (const s of m.suggestions ?? []) expect(s.desc.length, s.desc).toBeLessThanOrEqual(200);
  });
});
