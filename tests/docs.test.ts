/**
 * Docs and code in step: every rule has a page and tests, `docs.url` points at
 * the page, options are documented, generated parts are current, and every
 * example block lints the way its label says.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../eslint-plugin.js";
import { docsUrl } from "../core/create-rule.js";
import { typedFixtureDir } from "./rule-tester.js";
import { exampleBlocks, expectedDocs, ROOT, ruleIds, ruleOf } from "../scripts/docs-lib.js";

const baseNames = (dir: string, suffix: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();

describe("rules, docs and tests share one set of names", () => {
  it("rules/<id>.ts ⇔ registry ⇔ docs/rules/<id>.md ⇔ tests/rules/<id>.test.ts", () => {
    const ids = ruleIds();
    expect(baseNames("rules", ".ts").filter((n) => n !== "index")).toEqual(ids);
    expect(baseNames("docs/rules", ".md")).toEqual(ids);
    expect(baseNames("tests/rules", ".test.ts")).toEqual(ids);
  });

  it("generated README table and rule headers are current (run `npm run docs`)", () => {
    for (const [path, text] of expectedDocs()) {
      expect(readFileSync(path, "utf8"), path).toBe(text);
    }
  });
});

/**
 * Lints an example with only rule `id` on. Rules that need type information
 * get it from the real SDK types (the typed rule tests' fixture project);
 * every other rule is linted without types, as `recommended` users run it.
 */
function lint(code: string, id: string): Linter.LintMessage[] {
  const typed = ruleOf(id).meta.docs?.requiresTypeChecking === true;
  const linter = new Linter({ configType: "flat" });
  return linter.verify(
    code,
    [
      {
        files: ["**/*.ts"],
        languageOptions: {
          parser: tsParser,
          parserOptions: typed ? { projectService: true, tsconfigRootDir: typedFixtureDir } : {},
        },
        plugins: { restate: plugin as never },
        rules: { [`restate/${id}`]: "error" },
      },
    ],
    typed ? join(typedFixtureDir, "file.ts") : "example.ts",
  );
}

for (const id of ruleIds()) {
  describe(`docs/rules/${id}.md`, () => {
    const rule = ruleOf(id);
    const page = readFileSync(join(ROOT, "docs", "rules", `${id}.md`), "utf8");

    it("has the right title, description and docs.url", () => {
      expect(page.startsWith(`# restate/${id}\n`)).toBe(true);
      expect(page).toContain(`\n> ${rule.meta.docs?.description}\n`);
      expect(rule.meta.docs?.url).toBe(docsUrl(id));
    });

    it("documents every option", () => {
      const schema = rule.meta.schema;
      const first = Array.isArray(schema) ? schema[0] : schema;
      const properties = Object.keys((first as { properties?: object } | undefined)?.properties ?? {});
      if (properties.length === 0) expect(page).toContain("This rule has no options.");
      for (const name of properties) expect(page).toContain(`### \`${name}\``);
    });

    it("has the sections every rule page has", () => {
      for (const heading of ["## Rule details", "## Examples", "### Incorrect", "### Correct", "## Options"]) {
        expect(page).toContain(`\n${heading}\n`);
      }
    });

    const blocks = exampleBlocks(page);
    it("has incorrect and correct examples", () => {
      expect(blocks.some((b) => b.kind === "incorrect")).toBe(true);
      expect(blocks.some((b) => b.kind === "correct")).toBe(true);
    });

    for (const block of blocks) {
      it(`${block.kind} example at line ${block.line} lints as labelled`, () => {
        const messages = lint(block.code, id);
        expect(messages.filter((m) => m.fatal)).toEqual([]);
        const own = messages.filter((m) => m.ruleId === `restate/${id}`);
        if (block.kind === "incorrect") expect(own.length).toBeGreaterThan(0);
        else expect(own).toEqual([]);
      });
    }
  });
}
