/** The rules pass eslint-plugin-eslint-plugin (the same check as `npm run lint`). */
import { ESLint } from "eslint";
import { expect, it } from "vitest";
import { ROOT } from "../scripts/docs-lib.js";

it("rules/ lint clean with eslint-plugin-eslint-plugin", async () => {
  const eslint = new ESLint({ cwd: ROOT });
  const results = await eslint.lintFiles(["rules"]);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
  expect(results.length).toBeGreaterThan(5);
  expect(problems).toEqual([]);
});
