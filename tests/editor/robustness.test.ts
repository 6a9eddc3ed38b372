/**
 * The plugin never breaks the editor. In a real tsserver, with the package
 * installed from `npm pack`:
 * - invalid settings in the tsconfig plugin entry are written to the tsserver
 *   log and ignored (the defaults apply);
 * - when the lint throws (a rule of the installed copy is made to crash on one
 *   file), that file gets TypeScript's own diagnostics, the error is in the
 *   log, and the server goes on serving every other file;
 * - a changed tsconfig.json (tsserver enables the plugin again on the
 *   language service it already decorated) and tsserver's `configurePlugin`
 *   request replace the settings;
 * - a typescript-eslint that resolves another TypeScript version than the one
 *   tsserver runs is logged once (simulated by the installed copy's
 *   package.json version).
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, fixtureCompilerOptions, installFromPack, ROOT, splitRuleId, type TempProject, TsServer } from "./harness.js";

const ENTRY = { name: "restate-guard/ts-plugin", preset: "nope", rules: { "no-such-rule": "error", "no-context-in-run": "loud" }, colour: "blue" };
const MARKER = "RESTATE_GUARD_TEST_CRASH";

let project: TempProject;
let server: TsServer;
let cart: string;
let crashing: string;

beforeAll(() => {
  project = installFromPack({ ...fixtureCompilerOptions(), plugins: [ENTRY] }, ["shop-buggy/src", "scratch"]);
  cpSync(join(ROOT, "fixtures", "shop-buggy"), join(project.dir, "shop-buggy"), { recursive: true });
  cart = join(project.dir, "shop-buggy", "src", "cart.ts");
  // A rule of the installed copy that throws on files containing the marker, as a rule bug would.
  appendFileSync(
    join(project.dir, "node_modules", "restate-guard", "dist", "cjs", "eslint-plugin.js"),
    `\n{ const rule = exports.default.rules["no-context-in-run"]; const create = rule.create;
       rule.create = (context) => { if (context.sourceCode.text.includes(${JSON.stringify(MARKER)})) throw new Error("injected rule failure"); return create(context); }; }\n`,
  );
  crashing = project.write(
    "scratch/crashing.ts",
    `import * as restate from "@restatedev/restate-sdk";
// ${MARKER}
export const s = restate.service({ name: "s", handlers: { a: async (ctx: restate.Context) => Date.now() } });
export const wrong: number = "not a number";
`,
  );
  const typescriptPackage = join(project.dir, "node_modules", "typescript", "package.json");
  writeFileSync(typescriptPackage, readFileSync(typescriptPackage, "utf8").replace(/"version": "[^"]+"/, `"version": "6.0.0-other"`));
  server = new TsServer(project.tsserverPath, project.dir, join(project.dir, "tsserver.log"));
});

afterAll(async () => {
  await server?.stop();
  project?.remove();
});

const ours = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.source === "restate-guard").map((d) => `${d.start.line} ${d.category} ${splitRuleId(d.text).ruleId}`);
const count = (text: string, part: string) => text.split(part).length - 1;

describe("ts-plugin robustness in tsserver", () => {
  it("logs invalid settings and lints with the defaults", async () => {
    server.open(cart);
    // recommended-type-checked, the default preset: no strict-only rule, and no-context-in-run keeps its severity.
    expect(ours(await server.semanticDiagnostics(cart))).toEqual([
      "35 error restate/no-context-in-run",
      "55 error restate/no-nondeterministic-calls",
      "76 error restate/shared-handler-registration",
      "88 error restate/no-self-deadlock",
      "101 error restate/no-ingress-client-in-handler",
    ]);
    const log = server.log();
    expect(log).toContain(`invalid setting in tsconfig.json ignored: unknown preset "nope"`);
    expect(log).toContain(`invalid setting in tsconfig.json ignored: unknown rule "no-such-rule"`);
    expect(log).toContain(`invalid setting in tsconfig.json ignored: rule "no-context-in-run": severity must be "off", "warn" or "error"`);
    expect(log).toContain(`invalid setting in tsconfig.json ignored: unknown setting "colour"`);
  });

  it("returns TypeScript's own diagnostics when the lint throws, logs the error once, and keeps serving", async () => {
    server.open(crashing);
    const diagnostics = await server.semanticDiagnostics(crashing);
    expect(diagnostics.map((d) => `${d.start.line} ${d.code} ${d.source ?? "ts"}`)).toEqual(["4 2322 ts"]);
    // Quick fixes for our codes on that file answer too (with nothing).
    expect(await server.codeFixes(crashing, { ...diagnostics[0], code: 97002 })).toEqual([]);
    expect(await server.semanticDiagnostics(crashing)).toEqual(diagnostics);

    const log = server.log();
    expect(log).toContain(`[restate-guard] getSemanticDiagnostics(${crashing}) failed; TypeScript's own diagnostics returned: Error: `);
    expect(log).toMatch(/Error while loading rule 'restate\/no-context-in-run': injected rule failure/);
    expect(count(log, "injected rule failure")).toBe(1);
    expect(server.alive).toBe(true);
    // Other files are still linted.
    expect(ours(await server.semanticDiagnostics(cart))).toHaveLength(5);
  });

  it("logs a typescript-eslint TypeScript version that differs from tsserver's, once", () => {
    const log = server.log();
    expect(log).toMatch(/\[restate-guard\] typescript-eslint uses TypeScript 6\.0\.0-other but tsserver runs 6\.\d+\.\d+/);
    expect(count(log, "typescript-eslint uses TypeScript")).toBe(1);
  });

  it("takes the new settings when tsconfig.json changes, without decorating twice", async () => {
    const tsconfig = JSON.parse(readFileSync(join(project.dir, "tsconfig.json"), "utf8")) as { compilerOptions: { plugins: unknown[] } };
    tsconfig.compilerOptions.plugins = [{ name: "restate-guard/ts-plugin", preset: "strict" }];
    writeFileSync(join(project.dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    // tsserver notices the change through its file watcher: ask until it has reloaded the project.
    const strict = [
      "35 error restate/no-context-in-run",
      "40 error restate/no-blocking-in-exclusive-handler",
      "55 error restate/no-nondeterministic-calls",
      "76 error restate/shared-handler-registration",
      "88 error restate/no-self-deadlock",
      "95 error restate/no-blocking-in-exclusive-handler",
      "101 error restate/no-ingress-client-in-handler",
      "105 error restate/no-module-state-in-handler",
      "106 error restate/no-console-in-handler",
    ];
    let found: string[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      found = ours(await server.semanticDiagnostics(cart));
      if (found.length !== 5) break;
    }
    expect(found).toEqual(strict);
    expect(server.log()).toContain("already decorated by restate-guard: updating its settings instead of decorating it again");
  });

  it("takes new settings from tsserver's configurePlugin request", async () => {
    await server.request("configurePlugin", { pluginName: "restate-guard/ts-plugin", configuration: { preset: "strict", rules: { "no-ingress-client-in-handler": "off" } } });
    expect(ours(await server.semanticDiagnostics(cart))).toEqual([
      "35 error restate/no-context-in-run",
      "40 error restate/no-blocking-in-exclusive-handler",
      "55 error restate/no-nondeterministic-calls",
      "76 error restate/shared-handler-registration",
      "88 error restate/no-self-deadlock",
      "95 error restate/no-blocking-in-exclusive-handler",
      "105 error restate/no-module-state-in-handler",
      "106 error restate/no-console-in-handler",
    ]);
    expect(server.log()).toMatch(/\[restate-guard\] restate-guard [\d.]+ \(TypeScript [\d.]+\) for .*: preset strict, no-ingress-client-in-handler: off/);
    expect(server.alive).toBe(true);
  });
});
