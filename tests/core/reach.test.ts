/**
 * Which files can hold Restate code, decided on TypeScript's own tree before any ESTree is built (the editor
 * plugin's cheap exit, issue 14): `reachesRestate` follows a file's resolved imports to the SDK or clients package;
 * `sourceFileImportsModuleUnder` is `importsModuleUnder` (core/imports.ts) on TypeScript's tree, and both agree.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseForESLint } from "@typescript-eslint/parser";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { importsModuleUnder } from "../../core/imports.js";
import { RESTATE_MODULE_PREFIX } from "../../core/sdk.js";
import { reachesRestate, sourceFileImportsModuleUnder } from "../../core/types.js";
import { ROOT } from "../../scripts/docs-lib.js";

const dir = mkdtempSync(join(tmpdir(), "restate-guard-reach-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(files: Record<string, string>): { program: ts.Program; file(name: string): ts.SourceFile } {
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  mkdirSync(join(dir, "src"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "src", name), text);
  const p = ts.createProgram(
    Object.keys(files).map((name) => join(dir, "src", name)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, types: [] },
  );
  return { program: p, file: (name) => p.getSourceFile(join(dir, "src", name))! };
}

describe("reachesRestate", () => {
  const { program: p, file } = program({
    // A handler module importing the SDK directly.
    "handlers.ts": `import * as restate from "@restatedev/restate-sdk";\nexport const s = restate.service({ name: "s", handlers: {} });\n`,
    // Context types re-exported by a project module; a helper that only imports that module.
    "types.ts": `export type { Context as Ctx } from "@restatedev/restate-sdk";\n`,
    "helper.ts": `import type { Ctx } from "./types.js";\nexport async function step(ctx: Ctx) { return ctx.rand.random(); }\n`,
    // Plain modules importing each other in a cycle, and one importing a plain module and a built-in.
    "a.ts": `import { b } from "./b.js";\nexport const a = () => b();\n`,
    "b.ts": `import { a } from "./a.js";\nexport const b = (): number => (a ? 1 : 0);\n`,
    "c.ts": `import { a } from "./a.js";\nimport { join } from "node:path";\nexport const c = () => [a, join];\n`,
    // A plain module in the cycle's neighbourhood that also reaches the SDK through the helper.
    "d.ts": `import { a } from "./a.js";\nimport { step } from "./helper.js";\nexport const d = [a, step];\n`,
  });

  it("is true for a file importing the SDK, and through a project module that re-exports its types", () => {
    expect(reachesRestate(p, file("handlers.ts"))).toBe(true);
    expect(reachesRestate(p, file("helper.ts"))).toBe(true);
    expect(reachesRestate(p, file("d.ts"))).toBe(true);
  });

  it("is false for plain modules, cycles included, and stays so when asked again", () => {
    for (const name of ["a.ts", "b.ts", "c.ts", "a.ts"]) expect(reachesRestate(p, file(name)), name).toBe(false);
    expect(reachesRestate(p, file("d.ts"))).toBe(true);
  });
});

describe("sourceFileImportsModuleUnder agrees with importsModuleUnder", () => {
  const cases: [string, boolean][] = [
    [`import * as restate from "@restatedev/restate-sdk";`, true],
    [`import type { Context } from "@restatedev/restate-sdk";`, true],
    [`export { service } from "@restatedev/restate-sdk";`, true],
    [`export * from "@restatedev/restate-sdk-clients";`, true],
    [`import restate = require("@restatedev/restate-sdk");`, true],
    [`const restate = require("@restatedev/restate-sdk");`, true],
    [`// import * as restate from "@restatedev/restate-sdk"\nexport const x = 1;`, false],
    [`export const name = "@restatedev/restate-sdk";`, false],
    [`import { join } from "node:path";`, false],
    [`async function f() { return import("@restatedev/restate-sdk"); }`, false],
  ];
  it.each(cases)("%s", (code, expected) => {
    const estree = parseForESLint(code, { range: true, loc: true }).ast as Parameters<typeof importsModuleUnder>[0];
    const sourceFile = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true);
    expect(importsModuleUnder(estree, RESTATE_MODULE_PREFIX)).toBe(expected);
    expect(sourceFileImportsModuleUnder(ts, sourceFile, RESTATE_MODULE_PREFIX)).toBe(expected);
  });
});
