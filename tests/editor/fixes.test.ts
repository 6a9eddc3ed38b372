/**
 * Quick fixes through tsserver are ESLint's fixes. For every finding in
 * fixtures/shop-buggy, the `getCodeFixes` response of `restate-guard/ts-plugin`
 * (installed from `npm pack`, in a real tsserver) is applied to the text and
 * compared with ESLint's own autofix and suggestions for the same problem.
 * Our codes are in tsserver's list of fixable codes however a client asks for
 * it. "Disable restate/<id> for this line" makes the diagnostic go away, and a
 * second rule disabled on the same line joins the same comment.
 */
import { cpSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ESLint, type Rule } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flatConfig, normalizeSettings } from "../../settings/index.js";
import plugin from "../../eslint-plugin.js";
import { ruleCode } from "../../editor/plugin.js";
import {
  applyEdits,
  type CodeFixAction,
  type Diagnostic,
  fixtureCompilerOptions,
  installFromPack,
  ROOT,
  splitRuleId,
  type TempProject,
  TsServer,
} from "./harness.js";

const ENTRY = { name: "restate-guard/ts-plugin", preset: "strict" };
const buggy = join(ROOT, "fixtures", "shop-buggy");

let project: TempProject;
let server: TsServer;

beforeAll(() => {
  project = installFromPack({ ...fixtureCompilerOptions(), plugins: [ENTRY] }, ["shop-buggy/src", "scratch"]);
  cpSync(buggy, join(project.dir, "shop-buggy"), { recursive: true });
  server = new TsServer(project.tsserverPath, project.dir, join(project.dir, "tsserver.log"));
  // Let tsserver load the project and lint the file while ESLint works in this process.
  const cart = join(project.dir, "shop-buggy", "src", "cart.ts");
  server.open(cart);
  server.semanticDiagnostics(cart).catch(() => {});
});

afterAll(async () => {
  await server?.stop();
  project?.remove();
});

const ours = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.source === "restate-guard");
const applyFix = (text: string, fix: Rule.Fix) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
const applyAction = (text: string, action: CodeFixAction) => {
  expect(action.changes).toHaveLength(1);
  return applyEdits(text, action.changes[0].textChanges);
};

describe("ts-plugin quick fixes in tsserver", () => {
  it("every autofix and suggestion gives the same text as ESLint's fix for the same problem", async () => {
    const { settings } = normalizeSettings(ENTRY);
    const eslint = new ESLint({ cwd: buggy, overrideConfigFile: true, overrideConfig: flatConfig(settings, { projectService: true, tsconfigRootDir: join(ROOT, "fixtures") }) });
    const results = await eslint.lintFiles(["src"]);
    let autofixes = 0;
    let suggestions = 0;
    const autofixed: string[] = [];
    for (const result of results) {
      const path = join(project.dir, "shop-buggy", relative(buggy, result.filePath));
      const text = readFileSync(path, "utf8");
      server.open(path);
      const diagnostics = ours(await server.semanticDiagnostics(path));
      expect(diagnostics).toHaveLength(result.messages.length);
      for (const m of result.messages) {
        const diagnostic = diagnostics.find((d) => d.start.line === m.line && d.start.offset === m.column && splitRuleId(d.text).ruleId === m.ruleId);
        expect(diagnostic, `${path}:${m.line}:${m.column} ${m.ruleId}`).toBeDefined();
        const actions = await server.codeFixes(path, diagnostic!);
        expect(actions.every((a) => a.fixName === m.ruleId)).toBe(true);

        const fix = actions.filter((a) => a.description === `Fix this ${m.ruleId} problem`);
        expect(fix.map((a) => applyAction(text, a))).toEqual(m.fix ? [applyFix(text, m.fix)] : []);
        if (m.fix) autofixed.push(applyAction(text, fix[0]).split("\n")[m.line - 1].trim());

        const suggested = actions.filter((a) => !fix.includes(a) && !a.description.startsWith("Disable "));
        expect(suggested.map((a) => [a.description, applyAction(text, a)])).toEqual((m.suggestions ?? []).map((s) => [s.desc, applyFix(text, s.fix)]));

        expect(actions.filter((a) => a.description === `Disable ${m.ruleId} for this line`)).toHaveLength(1);
        autofixes += fix.length;
        suggestions += suggested.length;
      }
    }
    // Not vacuous: the buggy shop has autofixes (Math.random() → ctx.rand.random()) and suggestions.
    expect(autofixed).toContain(`const carrier = CARRIERS[Math.floor(ctx.rand.random() * CARRIERS.length)] ?? "dhl"; // expect: restate/no-nondeterministic-calls`);
    expect(autofixes).toBeGreaterThanOrEqual(2);
    expect(suggestions).toBeGreaterThanOrEqual(2);
  });

  it("our codes are supported code fixes, also when asked without a file (as VS Code asks)", async () => {
    const codes = Object.keys(plugin.rules).map((id) => String(ruleCode(`restate/${id}`)));
    // VS Code asks once, with no arguments, and requests quick fixes only for the codes in the answer.
    expect(await server.request<string[]>("getSupportedCodeFixes")).toEqual(expect.arrayContaining(codes));
    const file = join(project.dir, "shop-buggy", "src", "cart.ts");
    const forFile = await server.request<string[]>("getSupportedCodeFixes", { file });
    expect(forFile).toEqual(expect.arrayContaining(codes));
    expect(new Set(forFile).size).toBe(forFile.length);
  });

  it("'Disable restate/<id> for this line' removes that diagnostic and nothing else", async () => {
    const path = join(project.dir, "shop-buggy", "src", "cart.ts");
    const text = readFileSync(path, "utf8");
    server.open(path);
    const before = ours(await server.semanticDiagnostics(path));
    const target = before.find((d) => d.start.line === 55)!;
    expect(splitRuleId(target.text).ruleId).toBe("restate/no-nondeterministic-calls");
    const disable = (await server.codeFixes(path, target)).find((a) => a.description === "Disable restate/no-nondeterministic-calls for this line")!;
    const fixed = applyAction(text, disable);
    expect(fixed.split("\n").slice(54, 56)).toEqual([
      "        // eslint-disable-next-line restate/no-nondeterministic-calls",
      "        addedAt: Date.now(), // expect: restate/no-nondeterministic-calls",
    ]);

    await server.replaceText(path, text, fixed);
    const after = ours(await server.semanticDiagnostics(path));
    // The comment line moves everything below it down by one.
    const at = (d: Diagnostic, shift = 0) => `${d.start.line + (d.start.line >= 55 ? shift : 0)}:${d.start.offset} ${d.text}`;
    expect(after.map((d) => at(d))).toEqual(before.filter((d) => d !== target).map((d) => at(d, 1)));
  });

  it("a second rule disabled on the same line joins the comment", async () => {
    const text = `import * as restate from "@restatedev/restate-sdk";

export const counter = restate.object({
  name: "counter",
  handlers: {
    async tick(ctx: restate.ObjectContext): Promise<void> {
      await ctx.sleep(Date.now() % 1000);
    },
    async reset(ctx: restate.ObjectContext): Promise<void> {
      ctx.clearAll();
    },
  },
});
`;
    const path = project.write("scratch/counter.ts", text);
    server.open(path);
    const first = ours(await server.semanticDiagnostics(path));
    expect(first.map((d) => `${d.start.line} ${splitRuleId(d.text).ruleId}`).sort()).toEqual([
      "7 restate/no-blocking-in-exclusive-handler",
      "7 restate/no-nondeterministic-calls",
    ]);

    const disableFor = async (current: string, ruleId: string) => {
      const diagnostic = ours(await server.semanticDiagnostics(path)).find((d) => splitRuleId(d.text).ruleId === ruleId)!;
      const action = (await server.codeFixes(path, diagnostic)).find((a) => a.description === `Disable ${ruleId} for this line`)!;
      const next = applyAction(current, action);
      await server.replaceText(path, current, next);
      return next;
    };
    const once = await disableFor(text, "restate/no-nondeterministic-calls");
    expect(ours(await server.semanticDiagnostics(path)).map((d) => `${d.start.line} ${splitRuleId(d.text).ruleId}`)).toEqual([
      "8 restate/no-blocking-in-exclusive-handler",
    ]);
    const twice = await disableFor(once, "restate/no-blocking-in-exclusive-handler");
    expect(twice.split("\n").slice(6, 8)).toEqual([
      "      // eslint-disable-next-line restate/no-nondeterministic-calls, restate/no-blocking-in-exclusive-handler",
      "      await ctx.sleep(Date.now() % 1000);",
    ]);
    expect(ours(await server.semanticDiagnostics(path))).toEqual([]);
  });
});
