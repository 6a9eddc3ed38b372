/**
 * No rule throws on any input: odd but valid syntax, Restate code in odd
 * places, and (seeded) mutations of the example app. Syntax errors must come
 * back as parse errors, never as exceptions.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";
import { prng } from "../scripts/prng.js";

const imports = `import * as restate from "@restatedev/restate-sdk";\nimport { connect } from "@restatedev/restate-sdk-clients";\n`;

const oddInputs = [
  ``,
  `export {};`,
  `declare module "x" { export const y: number; }`,
  `namespace N { export const a = Date.now(); }`,
  `@dec class A { @dec m(@dec p: string) { return Math.random(); } }`,
  `function* g() { yield* [1, 2]; } async function* h() { for await (const x of g()) yield x; }`,
  `const x = <T,>(a: T) => a; enum E { A = 1 } abstract class B { abstract m(): void }`,
  `label: for (;;) { break label; }`,
  `const { a = 1, ...rest } = {} as any; const [b, , c] = [1, 2, 3];`,
  `export default async function (ctx: restate.Context) { ctx.run(); ctx.run(1 as any); ctx["run"](() => 1); }`,
  `export const s = restate.service({});`,
  `export const s = restate.service({ name: "s", handlers: null as any });`,
  `export const s = restate.service({ name: "s", handlers: { [Symbol.iterator]: async (ctx) => {}, ["a" + "b"]: async () => {}, c: 1, d: restate.handlers.handler() } });`,
  `export const o = restate.object({ name: "o", handlers: { a: restate.handlers.object.shared(), b: async () => {}, async c(...args: any[]) {} } });`,
  `export const w = restate.workflow(...([] as any));`,
  `const ctx: restate.Context = null!; ctx.run(() => ctx.get("x")); for (const k of new Map()) ctx.sleep(1);`,
  `async function f({ ctx }: { ctx: restate.ObjectContext }, [a]: any[], { b: { c } }: any) { for (const x of new Set([1])) await ctx.run(() => x); }`,
  `async function f(ctx: restate.WorkflowContext) { const c = []; try { await 1; c.push(() => 1); } catch { for (const x of c.reverse()) await x(); } }`,
  `async function f(ctx: restate.Context) { const i = connect({ url: "" }); return i; } const j = connect; j({ url: "" });`,
  `async function f(ctx: restate.Context) { const compensations: any[] = []; try { } catch (e) { compensations.reverse(); } finally { } }`,
  `class C { constructor(private ctx: restate.ObjectContext) {} async m() { await this.ctx.sleep(1); Date.now(); } }`,
  `const a = "x".repeat(10000) + Date.now(); const long = ${JSON.stringify("y".repeat(5000))};`,
];

function lint(code: string, filename = "file.ts") {
  const linter = new Linter({ configType: "flat" });
  return linter.verify(
    code,
    [{ files: ["**/*.ts", "**/*.tsx"], languageOptions: { parser: tsParser } }, plugin.configs.all as never],
    filename,
  );
}

describe("robustness", () => {
  it("odd but valid inputs, with and without Restate imports, never throw", () => {
    for (const input of oddInputs) {
      for (const code of [input, imports + input]) {
        const fatal = lint(code).filter((m) => m.fatal && !/Parsing error/.test(m.message));
        expect(fatal, code).toEqual([]);
      }
    }
  });

  it("JSX files never throw", () => {
    const code = `${imports}export const s = restate.service({ name: "s", handlers: { a: async (ctx: restate.Context) => <div>{Date.now()}</div> } });`;
    expect(() => lint(code, "file.tsx")).not.toThrow();
  });

  it("seeded truncations and token deletions of the example app never throw", () => {
    const dir = join(ROOT, "fixtures", "shop-buggy", "src");
    const sources = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8"));
    const random = prng(42);
    let variants = 0;
    for (const source of sources) {
      const tokens = source.split(/(?<=[\s;{}()])/);
      for (let i = 0; i < 40; i++) {
        const mutated =
          i % 2 === 0
            ? source.slice(0, Math.floor(random() * source.length))
            : tokens.filter(() => random() > 0.03).join("");
        expect(() => lint(mutated)).not.toThrow();
        variants++;
      }
    }
    expect(variants).toBeGreaterThan(200);
  });
});
