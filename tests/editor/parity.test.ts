/**
 * The editor shows what ESLint reports. Every .ts file of the example app
 * (fixtures/shop and fixtures/shop-buggy) goes through ESLint (the `ESLint`
 * class, the engine's flat config for the plugin entry's settings, type
 * information from fixtures/tsconfig.json) and through `restate-guard/ts-plugin`
 * installed from `npm pack` and loaded by a real tsserver: the findings must be
 * identical, rule id, start and end line and column, message and severity.
 */
import { cpSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flatConfig, normalizeSettings } from "../../settings/index.js";
import plugin from "../../eslint-plugin.js";
import { ruleCode } from "../../editor/plugin.js";
import { type Diagnostic, fixtureCompilerOptions, installFromPack, ROOT, splitRuleId, type TempProject, TsServer } from "./harness.js";

// Not the default preset, and one severity changed: the settings must reach the engine.
const ENTRY = { name: "restate-guard/ts-plugin", preset: "strict", rules: { "no-context-in-run": "warn" } };
const APPS = ["shop", "shop-buggy"];
const fixtures = join(ROOT, "fixtures");

const files = APPS.flatMap((app) => readdirSync(join(fixtures, app, "src")).map((f) => join(app, "src", f))).filter((f) => f.endsWith(".ts"));

let project: TempProject;
let server: TsServer;
/** tsserver's diagnostics for each file, requested as soon as the server starts (it works while ESLint does). */
let diagnostics: Promise<Diagnostic[][]>;

beforeAll(() => {
  project = installFromPack({ ...fixtureCompilerOptions(), plugins: [ENTRY] }, APPS.map((app) => `${app}/src`));
  for (const app of APPS) cpSync(join(fixtures, app), join(project.dir, app), { recursive: true });
  server = new TsServer(project.tsserverPath, project.dir, join(project.dir, "tsserver.log"));
  for (const file of files) server.open(join(project.dir, file));
  diagnostics = Promise.all(files.map((file) => server.semanticDiagnostics(join(project.dir, file))));
  diagnostics.catch(() => {}); // reported by the test that awaits it
});

afterAll(async () => {
  await server?.stop();
  project?.remove();
});


/** One finding, as both sides can state it. */
const finding = (file: string, severity: string, ruleId: string, line: number, column: number, endLine: number, endColumn: number, message: string) =>
  `${file}:${line}:${column}-${endLine}:${endColumn} ${severity} ${ruleId}: ${message}`;

async function eslintFindings(): Promise<string[]> {
  const { settings, problems } = normalizeSettings(ENTRY);
  expect(problems).toEqual([]);
  const eslint = new ESLint({
    cwd: fixtures,
    overrideConfigFile: true,
    overrideConfig: flatConfig(settings, { projectService: true, tsconfigRootDir: fixtures }),
  });
  const results = await eslint.lintFiles(APPS.map((app) => `${app}/src`));
  expect(results.map((r) => relative(fixtures, r.filePath)).sort()).toEqual([...files].sort());
  return results.flatMap((result) =>
    result.messages.map((m) =>
      m.fatal
        ? `FATAL ${m.message}`
        : finding(relative(fixtures, result.filePath), m.severity === 2 ? "error" : "warning", m.ruleId!, m.line, m.column, m.endLine!, m.endColumn!, m.message),
    ),
  );
}

describe("ts-plugin in tsserver", () => {
  it("reports exactly what ESLint reports for every file of the example app", async () => {
    const expected = (await eslintFindings()).sort();
    // Documented in docs/editor.md (the table is checked against ruleCode by tests/editor/docs.test.ts).
    const codes = new Map<string, number>(Object.keys(plugin.rules).map((id) => [`restate/${id}`, ruleCode(`restate/${id}`)!]));

    const ours: string[] = [];
    const typescriptOwn: Diagnostic[] = [];
    const all = await diagnostics;
    for (const [i, file] of files.entries()) {
      for (const d of all[i]) {
        if (d.source !== "restate-guard") {
          typescriptOwn.push(d);
          continue;
        }
        const { message, ruleId } = splitRuleId(d.text);
        expect(d.code, ruleId).toBe(codes.get(ruleId));
        ours.push(finding(file, d.category, ruleId, d.start.line, d.start.offset, d.end.line, d.end.offset, message));
      }
    }

    // The example app type-checks: the plugin adds its findings and changes nothing else.
    expect(typescriptOwn).toEqual([]);
    expect(ours.sort()).toEqual(expected);
    // The comparison is not vacuous: the buggy app has findings for every rule of the preset, including the warning.
    expect(new Set(expected.map((f) => f.split(" ")[2].replace(":", "")))).toEqual(new Set(Object.keys(plugin.configs.strict.rules ?? {})));
    expect(expected.some((f) => f.includes(" warning restate/no-context-in-run:"))).toBe(true);
    expect(expected.filter((f) => f.startsWith("shop/"))).toEqual([]);

    // tsserver loaded the package from the tarball's install, with these settings.
    expect(server.log()).toMatch(/\[restate-guard\] restate-guard [\d.]+ \(TypeScript [\d.]+\) for .*tsconfig\.json: preset strict, no-context-in-run: warn/);
    expect(server.log()).not.toMatch(/\[restate-guard\].*(failed|invalid|could not)/);
  });

  it("carries the sink of a finding reached through a helper in another file as related information", async () => {
    const all = await diagnostics;
    const shipping = all[files.indexOf("shop-buggy/src/shipping.ts")];
    const through = shipping.find((d) => d.source === "restate-guard" && d.text.includes("`removeParcels` → `fetch`"));
    expect(through?.relatedInformation).toEqual([
      {
        span: { start: { line: 14, offset: 9 }, end: { line: 14, offset: expect.any(Number) }, file: join(project.dir, "shop-buggy", "src", "dashboard.ts") },
        message: expect.stringContaining("`removeParcels` → `fetch` (dashboard.ts:14)"),
        category: "message",
        code: through!.code,
      },
    ]);
  });
});
