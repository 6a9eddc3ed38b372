/**
 * `restate-guard check`, run as a user runs it (a child process on copies of
 * the example app): exit codes, the readable output, the JSON output against
 * ESLint's own findings, usage errors, and progress on stderr.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_VERSION } from "../../core/package-info.js";
import { flatConfig, normalizeSettings } from "../../settings/index.js";
import { presetRules } from "../../eslint-plugin.js";
import { BIN, expectedMarkers, removeTempProjects, runCli, tempProject, tempProjectWith } from "./helpers.js";

afterAll(removeTempProjects);

/** `path:line rule` of every finding line in the readable output. */
function readableFindings(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => /^\S+:\d+:\d+ /.test(line))
    .map((line) => {
      const match = /^(\S+):(\d+):\d+\s+(?:error|warning)\s+.+\s(restate\/[\w-]+)$/.exec(line);
      if (!match) throw new Error(`not a finding line: ${line}`);
      return `${match[1]}:${match[2]} ${match[3]}`;
    })
    .sort();
}

describe("exit codes and readable output", () => {
  let clean: string;
  let buggy: string;
  beforeAll(() => {
    clean = tempProject(["shop"], "clean");
    buggy = tempProject(["shop-buggy"], "buggy");
  });

  it("the clean app: exit 0, a one-line summary, nothing on stderr", async () => {
    // The corrected shop has no finding under any preset.
    const result = await runCli(["check"], clean);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("No problems in 8 files (preset recommended-type-checked, with type information).\n");
  });

  it("the buggy app: exit 1, one `path:line:col  error  message  restate/<id>` line per planted bug of the preset", async () => {
    const result = await runCli(["check"], buggy);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    const inPreset = Object.keys(presetRules["recommended-type-checked"]);
    const expected = expectedMarkers(buggy, "shop-buggy").filter((m) => inPreset.includes(m.split(" ")[1]));
    expect(readableFindings(result.stdout)).toEqual(expected);
    // A known line, column included.
    expect(result.stdout).toMatch(/^shop-buggy\/src\/cart\.ts:55:18 +error +`Date\.now\(\)` differs when the handler replays.* restate\/no-nondeterministic-calls$/m);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(new RegExp(`^${expected.length} problems \\(${expected.length} errors, 0 warnings\\) in 4 of 8 files .*fixable with \`restate-guard fix\`\\.$`));
  });

  it("paths restrict the run (names relative to the current directory); warnings alone exit 0", async () => {
    // Run from inside the app: the tsconfig is found in a parent directory. Every rule of the preset
    // is set to warn, with and without the `restate/` prefix. (`recommended` needs no type
    // information: a faster run, and nothing tested here depends on types.)
    const rules = Object.keys(presetRules.recommended).flatMap((id, i) => ["--rule", `${i % 2 ? id : id.replace("restate/", "")}=warn`]);
    const result = await runCli(["check", "cart.ts", "--preset", "recommended", ...rules], join(buggy, "shop-buggy", "src"));
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const files = new Set(readableFindings(result.stdout).map((f) => f.split(":")[0]));
    expect([...files]).toEqual(["cart.ts"]);
    expect(result.stdout).toMatch(/^cart\.ts:\d+:\d+ +warning +/m);
    expect(result.stdout).not.toMatch(/^\S+:\d+:\d+ +error +/m);
    expect(result.stdout).toMatch(/\(0 errors, \d+ warnings\) in 1 of 1 file \(preset recommended\)/);
  });

  it("--format json parses, equals ESLint's own findings with the same settings, and the app's markers (--preset strict)", async () => {
    const result = await runCli(["check", "--format", "json", "--preset", "strict"], buggy);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      formatVersion: 1,
      tool: { name: "restate-guard", version: PACKAGE_VERSION },
      root: buggy,
      tsconfig: "tsconfig.json",
      preset: "strict",
      typeInformation: true,
      rules: presetRules.strict,
    });

    // ESLint in this process, with the engine's flat config for the same settings and type information.
    const { settings } = normalizeSettings({ preset: "strict" });
    const eslint = new ESLint({
      cwd: buggy,
      overrideConfigFile: true,
      overrideConfig: flatConfig(settings, { project: join(buggy, "tsconfig.json"), tsconfigRootDir: buggy }),
    });
    const results = await eslint.lintFiles(["shop-buggy/src"]);
    const fromEslint = results
      .filter((r) => r.messages.length > 0)
      .map((r) => ({
        path: relative(buggy, r.filePath),
        errorCount: r.errorCount,
        warningCount: r.warningCount,
        messages: r.messages.map((m) => ({
          ruleId: m.ruleId,
          severity: m.severity === 2 ? "error" : "warning",
          line: m.line,
          column: m.column,
          endLine: m.endLine ?? null,
          endColumn: m.endColumn ?? null,
          message: m.message,
          fixable: m.fix !== undefined,
          suggestions: m.suggestions?.length ?? 0,
        })),
      }))
      .sort((a, b) => a.path.localeCompare(b.path));
    // A finding reached through a helper in another file also names where its I/O is.
    const through = report.files.flatMap((f: { messages: { related?: unknown }[] }) => f.messages).filter((m: { related?: unknown }) => m.related);
    expect(through).toEqual([
      expect.objectContaining({
        line: 85,
        related: [{ file: "shop-buggy/src/dashboard.ts", line: 14, column: 9, endLine: 14, endColumn: expect.any(Number), message: "`removeParcels` → `fetch` (dashboard.ts:14)" }],
      }),
    ]);
    const withoutRelated = report.files.map((f: { messages: { related?: unknown }[] }) => ({ ...f, messages: f.messages.map(({ related: _related, ...m }) => m) }));
    expect(withoutRelated).toEqual(fromEslint);

    const found = (report.files as { path: string; messages: { line: number; ruleId: string }[] }[])
      .flatMap((f) => f.messages.map((m) => `${f.path}:${m.line} ${m.ruleId}`))
      .sort();
    expect(found).toEqual(expectedMarkers(buggy, "shop-buggy"));
    const messages = fromEslint.flatMap((f) => f.messages);
    expect(report.summary).toEqual({
      filesLinted: 8,
      filesWithProblems: fromEslint.length,
      errors: messages.length,
      warnings: 0,
      fixable: messages.filter((m) => m.fixable).length,
    });
  });
});

describe("bad usage and unreadable projects: exit 2 with one line on stderr", () => {
  let app: string;
  let empty: string;
  let broken: string;
  beforeAll(() => {
    app = tempProject(["shop"], "usage");
    empty = mkdtempSync(join(tmpdir(), "restate-guard-empty-"));
    broken = tempProject(["shop"], "broken");
    writeFileSync(join(broken, "tsconfig.json"), '{ "compilerOptions": { "strict": true, } "include": [');
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  const cases: [string, () => string, string[], RegExp][] = [
    ["no tsconfig anywhere up from the current directory", () => empty, ["check"], /^no tsconfig\.json in .* pass --project <path>$/],
    ["--project names nothing", () => app, ["check", "--project", "nope.json"], /^--project nope\.json: no such file or directory$/],
    ["broken tsconfig JSON", () => broken, ["check"], /^cannot read tsconfig\.json: /],
    ["an unknown flag", () => app, ["check", "--bogus"], /^unknown option --bogus/],
    ["an unknown rule", () => app, ["check", "--rule", "no-such-rule=error"], /^--rule: unknown rule "no-such-rule"$/],
    ["an unknown preset", () => app, ["check", "--preset", "strictest"], /^unknown preset "strictest" \(expected one of recommended, recommended-type-checked, strict, all\)$/],
    ["an unknown command", () => app, ["lint"], /^unknown command "lint"/],
    ["a path that does not exist", () => app, ["check", "src/nope.ts"], /^src\/nope\.ts: no such file or directory$/],
    ["a file outside the project", () => app, ["check", "package.json"], /^package\.json is not a TypeScript file of tsconfig\.json/],
  ];

  // Independent and mostly start-up time: run them side by side.
  it.concurrent.each(cases)("%s", async (_, cwd, args, reason) => {
    const result = await runCli(args, cwd());
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.endsWith("\n")).toBe(true);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith("restate-guard: ")).toBe(true);
    expect(lines[0].slice("restate-guard: ".length)).toMatch(reason);
  });
});

describe("--help, --version", () => {
  it("--help (and a bare restate-guard) lists both commands and exits 0; --version prints the package version", async () => {
    const help = await runCli(["--help"], tmpdir());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("restate-guard check [paths...]");
    expect(help.stdout).toContain("restate-guard fix [paths...]");
    // A bare `restate-guard` shows the same help (a new user's first try), not an error.
    const bare = await runCli([], tmpdir());
    expect(bare).toEqual({ code: 0, stdout: help.stdout, stderr: "" });
    const version = await runCli(["--version"], tmpdir());
    expect(version).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: "" });
    // The package's `bin` is this launcher, runnable on its own.
    expect(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")).bin).toEqual({ "restate-guard": "bin/restate-guard.js" });
    expect(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});

describe("progress on stderr", () => {
  let many: string;
  beforeAll(() => {
    // 25 files: more than the 20 that make a project "large".
    const files: Record<string, string> = {};
    for (let i = 0; i < 25; i++) files[`src/m${String(i).padStart(2, "0")}.ts`] = `export const value${i} = ${i};\n`;
    many = tempProjectWith(files, "many");
  });

  it("with --progress: progress lines on stderr, stdout still pure JSON", async () => {
    const result = await runCli(["check", "--progress", "--format", "json", "--preset", "recommended"], many);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary.filesLinted).toBe(25);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toContain("restate-guard: linted 20/25 files");
    expect(lines).toContain("restate-guard: linted 25/25 files");
    expect(lines.at(-1)).toMatch(/^restate-guard: linted 25 files in [\d.]+ s$/);
  });

  it("without --progress and with stderr not a terminal: nothing on stderr", async () => {
    const result = await runCli(["check", "--preset", "recommended"], many);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("No problems in 25 files (preset recommended).\n");
  });
});
