import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RuleTester } from "@typescript-eslint/rule-tester";
import { afterAll, describe, it } from "vitest";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** Where typed test cases live: a folder with its own tsconfig that sees the real SDK types. */
export const typedFixtureDir = join(dirname(fileURLToPath(import.meta.url)), "typed-fixture");

/** Syntax-only: what `recommended` users without type information get. */
export const ruleTester = new RuleTester();

/** With type information from the real `@restatedev/restate-sdk` declarations. */
export const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: true,
      tsconfigRootDir: typedFixtureDir,
    },
  },
});

/** Both testers: the rule must agree with and without types on these cases. */
export const bothTesters = [
  ["syntax", ruleTester],
  ["typed", typedRuleTester],
] as const;
