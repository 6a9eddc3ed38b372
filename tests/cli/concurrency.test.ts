/**
 * Multithreaded linting: `restate-guard check --concurrency 2` (ESLint's worker threads, each loading the CLI's
 * options module, cli/eslint-options.ts) finds exactly what one thread finds, with and without type information;
 * and the ESLint plugin works under ESLint's own `concurrency` with the example app's config file, which each worker
 * loads.
 */
import { join } from "node:path";
import { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, removeTempProjects, runCli, tempProject } from "./helpers.js";

afterAll(removeTempProjects);

/** `file:line:column rule` for each finding of `check --format json`. */
function findings(stdout: string): string[] {
  const report = JSON.parse(stdout) as { files: Array<{ path: string; messages: Array<{ line: number; column: number; ruleId: string }> }> };
  return report.files.flatMap((f) => f.messages.map((m) => `${f.path}:${m.line}:${m.column} ${m.ruleId}`)).sort();
}

describe("restate-guard check --concurrency", () => {
  for (const preset of ["recommended", "strict"]) {
    it(`--preset ${preset}: two threads find what one finds`, async () => {
      const dir = tempProject(["shop-buggy"], "concurrency");
      const one = await runCli(["check", "--preset", preset, "--format", "json"], dir);
      const two = await runCli(["check", "--preset", preset, "--format", "json", "--concurrency", "2"], dir);
      expect(one.code, one.stderr).toBe(1);
      expect(two.code, two.stderr).toBe(1);
      expect(findings(one.stdout).length).toBeGreaterThan(10);
      expect(findings(two.stdout)).toEqual(findings(one.stdout));
    });
  }

  it("rejects a value that is not auto, off or a number", async () => {
    const result = await runCli(["check", "--concurrency", "many"], FIXTURES);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--concurrency must be auto, off or a positive number");
  });
});

describe("the ESLint plugin under ESLint's concurrency", () => {
  it("two workers load the example's config and report what one thread reports", async () => {
    const lint = async (concurrency: "off" | number) => {
      const eslint = new ESLint({ cwd: FIXTURES, overrideConfigFile: join(FIXTURES, "eslint.config.js"), concurrency });
      const results = await eslint.lintFiles(["shop-buggy/src"]);
      return results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}:${m.column} ${m.ruleId}`)).sort();
    };
    const one = await lint("off");
    expect(one.length).toBeGreaterThan(10);
    expect(await lint(2)).toEqual(one);
  });
});
