/**
 * docs/runtime.md: every export has a section, and every TypeScript example type-checks against the built package
 * (`import ... from "restate-guard-runtime"`, resolved by self-reference). Needs `npm run build` first.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as runtime from "../../runtime/index.js";
import { ROOT } from "../server/harness.js";
import { RUNTIME_PACKAGE, tempDirInPackage } from "./package-scope.js";

const markdown = readFileSync(join(ROOT, "docs", "runtime.md"), "utf8");
const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
let dir: string | undefined;

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("docs/runtime.md", () => {
  it("has a section for every export and names the rule that points to it", () => {
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    for (const name of Object.keys(runtime)) expect(headings.some((h) => h.split(/\W+/).includes(name)), name).toBe(true);
    for (const rule of ["compensation-before-action", "no-map-iteration-with-context-calls", "no-nondeterministic-calls", "no-blocking-in-exclusive-handler"]) {
      expect(markdown).toContain(`(rules/${rule}.md)`);
      expect(existsSync(join(ROOT, "docs", "rules", `${rule}.md`)), rule).toBe(true);
    }
  });

  it("has TypeScript examples that type-check against the package", () => {
    if (!existsSync(join(RUNTIME_PACKAGE, "dist", "esm", "index.d.ts"))) throw new Error("run `npm run build` first");
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    dir = tempDirInPackage("docs");
    const files = blocks.map((code, i) => {
      const file = join(dir!, `example-${i + 1}.ts`);
      writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [join(ROOT, "node_modules", "@types")],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(dir!.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
