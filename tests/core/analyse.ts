/** The shared analysis of one file, built by a probe rule through ESLint's `Linter` (as the rules get it). */
import * as tsParser from "@typescript-eslint/parser";
import type { TSESLint } from "@typescript-eslint/utils";
import { Linter } from "eslint";
import { expect } from "vitest";
import { getAnalysis, type RestateAnalysis } from "../../core/analysis.js";

export function analyse(code: string): RestateAnalysis {
  let result: RestateAnalysis | undefined;
  const probe: TSESLint.RuleModule<string, []> = {
    meta: { type: "problem", messages: {}, schema: [] },
    defaultOptions: [],
    create(context) {
      result = getAnalysis(context);
      return {};
    },
  };
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    code,
    [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { t: { rules: { probe } } as never }, rules: { "t/probe": "error" } }],
    "file.ts",
  );
  expect(messages).toEqual([]);
  return result!;
}
