/**
 * The plugin keeps a file's ESTree conversion while its `SourceFile` is
 * unchanged (editor/parse-cache.ts): after an edit in another file, each open
 * file is linted again with the new program but not converted again. The
 * answers must be those of a fresh conversion, including when the edit in the
 * other file changes what a call into it does. In-process language services
 * over the buggy example app (no tsserver: this is about the engine's cache).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseStats } from "../../editor/parse-cache.js";
import { init } from "../../editor/plugin.js";
import { ROOT } from "./harness.js";

const fixtures = join(ROOT, "fixtures");
const app = join(fixtures, "shop-buggy", "src");
const files = readdirSync(app).filter((f) => f.endsWith(".ts")).map((f) => join(app, f));
const { config } = ts.readConfigFile(join(fixtures, "tsconfig.json"), ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, fixtures);

/** A language service over the app with edited texts, decorated by the plugin (strict preset). */
function project(texts: Map<string, string>, names: readonly string[] = files) {
  const versions = new Map<string, number>(names.map((f) => [f, 0]));
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [...names],
    getScriptVersion: (name) => String(versions.get(name) ?? 0),
    getScriptSnapshot: (name) => {
      const content = texts.get(name) ?? ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => fixtures,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => texts.has(name) || ts.sys.fileExists(name),
    readFile: (name) => texts.get(name) ?? ts.sys.readFile(name),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const languageService = ts.createLanguageService(host, ts.createDocumentRegistry());
  const log: string[] = [];
  const plugin = init({ typescript: ts }).create({
    languageService,
    languageServiceHost: host,
    project: { projectService: { logger: { info: (message: string) => log.push(message) } }, getProjectName: () => join(fixtures, "tsconfig.json") },
    config: { name: "restate-guard/ts-plugin", preset: "strict" },
  } as unknown as ts.server.PluginCreateInfo);
  return {
    edit(name: string, text: string) {
      texts.set(name, text);
      versions.set(name, versions.get(name)! + 1);
    },
    /** Our diagnostics of every file, as comparable strings. */
    findings(): string[] {
      const out = names.flatMap((file) =>
        plugin
          .getSemanticDiagnostics(file)
          .filter((d) => d.source === "restate-guard")
          .map((d) => {
            const related = (d.relatedInformation ?? []).map((r) => `${r.file?.fileName}@${r.start}+${r.length} ${ts.flattenDiagnosticMessageText(r.messageText, "\n")}`);
            return `${file}@${d.start}+${d.length} ${d.code} ${d.category} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")} ${related.join(" | ")}`;
          }),
      );
      expect(log.filter((line) => /failed|could not|not linted/.test(line))).toEqual([]);
      return out;
    },
  };
}

describe("the editor plugin's conversion cache", () => {
  it("reuses the conversion of unchanged files after an edit elsewhere, with the answers of a fresh conversion", () => {
    const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
    const editor = project(new Map(texts));
    const before = editor.findings();
    expect(before.length).toBeGreaterThan(10);
    const throughHelper = before.filter((f) => f.includes("`removeParcels` → `fetch`"));
    expect(throughHelper).toHaveLength(1);

    // An edit in dashboard.ts that changes what removeParcels does: shipping.ts's finding through it must go,
    // although shipping.ts is not converted again.
    const dashboard = join(app, "dashboard.ts");
    const edited = texts.get(dashboard)!.replace(/await fetch\(`\$\{DASHBOARD_URL\}[^;]*;/, "await Promise.resolve(orderId);");
    expect(edited).not.toBe(texts.get(dashboard));
    editor.edit(dashboard, edited);
    const counts = { ...parseStats };
    const after = editor.findings();
    // Every file with Restate code is linted again: dashboard.ts has none (the plugin's cheap exit), the others are reused.
    expect(parseStats.converted - counts.converted).toBe(0);
    expect(parseStats.reused - counts.reused).toBeGreaterThanOrEqual(files.length - 2);
    expect(after.filter((f) => f.includes("`removeParcels` → `fetch`"))).toEqual([]);
    expect(after).toEqual(before.filter((f) => !throughHelper.includes(f)));

    // The same texts in a new language service (new SourceFiles, every file converted) give the same answers.
    const fresh = project(new Map([...texts, [dashboard, edited]]));
    const counted = parseStats.converted;
    expect(fresh.findings()).toEqual(after);
    expect(parseStats.converted - counted).toBeGreaterThanOrEqual(files.length - 2);
  });

  it("converts an edited file again", () => {
    const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
    const editor = project(new Map(texts));
    const before = editor.findings();
    const shipping = join(app, "shipping.ts");
    editor.edit(shipping, `${texts.get(shipping)}\n// an edit\n`);
    const counts = { ...parseStats };
    expect(editor.findings()).toEqual(before);
    expect(parseStats.converted - counts.converted).toBe(1);
  });

  it.each([
    ["a byte-order mark", "\ufeff"],
    ["a shebang", "#!/usr/bin/env node\n"],
  ])("keeps positions in a file with %s", (_, start) => {
    const file = join(app, "starts-with.ts");
    const other = join(app, "other.ts");
    const text = `${start}
import * as restate from "@restatedev/restate-sdk";
export const svc = restate.service({
  name: "svc",
  handlers: {
    go: async (ctx: restate.Context) => {
      if (Math.random() > 0.5) await ctx.sleep(1000);
      setTimeout(() => undefined, 10);
    },
  },
});
`;
    const editor = project(new Map([[file, text], [other, "export const x = 1;\n"]]), [file, other]);
    const before = editor.findings();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.some((f) => f.startsWith(`${file}@${text.indexOf("Math.random()")}+`))).toBe(true);
    const counts = { ...parseStats };
    editor.edit(other, "export const x = 2;\n");
    expect(editor.findings()).toEqual(before);
    expect(parseStats.reused - counts.reused).toBe(1);
    expect(parseStats.converted - counts.converted).toBe(0);
  });
});
