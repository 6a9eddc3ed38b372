/**
 * The shared analysis on its own: imports however written, handler kinds as
 * Restate registers them, durable scopes, and the cheap exit for files that do
 * not touch Restate.
 */
import { describe, expect, it } from "vitest";
import type { RestateAnalysis } from "../../core/analysis.js";
import { analyse } from "./analyse.js";


const kinds = (a: RestateAnalysis) => Object.fromEntries([...a.handlers.values()].map((h) => [h.name, h.kind]));

describe("imports", () => {
  it("recognises the SDK under any namespace alias, named imports with aliases, and require()", () => {
    const a = analyse(`
      import * as sdk from "@restatedev/restate-sdk/fetch";
      import { object as virtualObject, handlers as h } from "@restatedev/restate-sdk";
      const { workflow } = require("@restatedev/restate-sdk-cloudflare-workers/fetch");
      export const s = sdk.service({ name: "s", handlers: { a: async (ctx) => {} } });
      export const o = virtualObject({ name: "o", handlers: { b: async (ctx) => {}, c: h.object.shared(async (ctx) => {}) } });
      export const w = workflow({ name: "w", handlers: { run: async (ctx) => {}, signal: async (ctx) => {} } });
    `);
    expect(kinds(a)).toEqual({ a: "service", b: "object-exclusive", c: "object-shared", run: "workflow-run", signal: "workflow-shared" });
  });

  it("never takes the clients package imported as `restate` for the SDK", () => {
    const a = analyse(`
      import * as restate from "@restatedev/restate-sdk-clients";
      export const x = restate.service({ name: "s", handlers: { a: async (ctx) => {} } });
    `);
    expect(a.active).toBe(true);
    expect(a.handlers.size).toBe(0);
  });
});

describe("handler kinds follow the runtime, not the annotation", () => {
  it("a plain function in object() is exclusive even when annotated ObjectSharedContext", () => {
    const a = analyse(`
      import * as restate from "@restatedev/restate-sdk";
      export const o = restate.object({ name: "o", handlers: {
        peek: async (ctx: restate.ObjectSharedContext) => ctx.get("x"),
        real: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get("x")),
        old: restate.createObjectSharedHandler(async (ctx: restate.ObjectSharedContext) => ctx.get("x")),
        opts: restate.handlers.object.shared({ ingressPrivate: true }, async (ctx) => ctx.get("x")),
      } });
    `);
    expect(kinds(a)).toEqual({ peek: "object-exclusive", real: "object-shared", old: "object-shared", opts: "object-shared" });
    expect(a.contexts.find((c) => c.fn === [...a.handlers.keys()][0])?.kind).toBe("object-shared");
  });

  it("in workflow() every plain function except run is shared", () => {
    const a = analyse(`
      import { workflow, handlers } from "@restatedev/restate-sdk";
      export const w = workflow({ name: "w", handlers: {
        run: async (ctx) => {}, approve: async (ctx) => {}, status: handlers.workflow.shared(async (ctx) => 1),
      } });
    `);
    expect(kinds(a)).toEqual({ run: "workflow-run", approve: "workflow-shared", status: "workflow-shared" });
  });

  it("method shorthand, references to functions declared elsewhere, a handlers object in a variable, spreads", () => {
    const a = analyse(`
      import * as restate from "@restatedev/restate-sdk";
      async function add(ctx: restate.ObjectContext, item: string) {}
      const remove = async (ctx: restate.ObjectContext) => {};
      const common = { async ping(ctx: restate.ObjectContext) {} };
      const handlers = { add, remove, ...common, async checkout(ctx) {} };
      export const cart = restate.object({ name: "cart", handlers });
    `);
    expect(kinds(a)).toEqual({ add: "object-exclusive", remove: "object-exclusive", ping: "object-exclusive", checkout: "object-exclusive" });
  });

  it("implement() with an interface declared in the file takes shared-ness from the interface", () => {
    const a = analyse(`
      import * as restate from "@restatedev/restate-sdk";
      const Counter = restate.iface.object("counter", { get: restate.iface.shared.json<void, number>(), add: restate.iface.json<number, void>() });
      export const impl = restate.implement(Counter, { handlers: { get: async (ctx) => 1, add: async (ctx, n) => {} } });
    `);
    expect(kinds(a)).toEqual({ get: "object-shared", add: "object-exclusive" });
  });
});

describe("durable code", () => {
  it("handler bodies and helpers taking a context are durable; run actions and module level are not", () => {
    const code = `
      import * as restate from "@restatedev/restate-sdk";
      type Ctx = restate.Context;
      export async function helper(c: Ctx) { return 1; }
      export async function plain(x: number) { return x; }
      export const s = restate.service({ name: "s", handlers: {
        a: async (ctx) => { const f = () => 1; await ctx.run("x", () => { const g = () => 2; }); },
      } });
    `;
    const a = analyse(code);
    const infos = [...a.sourceCode.scopeManager!.scopes]
      .filter((s) => s.type === "function")
      .map((s) => a.functionInfo(s.block as never));
    expect(infos.map((i) => `${i.durability}:${i.reason}`)).toEqual([
      "durable:context-parameter",
      "plain:none",
      "durable:handler",
      "durable:nested",
      "side-effect:run-action",
      "side-effect:in-run",
    ]);
    expect(a.runCalls[0].name).toBe("x");
  });

  it("a local function called only from inside ctx.run actions is side-effect code; one also called outside is durable", () => {
    const a = analyse(`
      import * as restate from "@restatedev/restate-sdk";
      export const s = restate.service({ name: "s", handlers: {
        a: async (ctx: restate.Context) => {
          const fetchPrice = async () => Date.now();
          function stamp() { return Date.now(); }
          await ctx.run("price", () => fetchPrice());
          await ctx.run("stamp", () => stamp());
          return stamp();
        },
      } });
    `);
    const [, fetchPrice, stamp] = [...a.sourceCode.scopeManager!.scopes].filter((s) => s.type === "function").map((s) => a.functionInfo(s.block as never));
    expect(`${fetchPrice.durability}:${fetchPrice.reason}:${fetchPrice.run?.name}`).toBe("side-effect:in-run:price");
    expect(stamp.durability).toBe("durable");
  });

  it("a file without @restatedev imports is inactive and builds nothing", () => {
    const a = analyse(`export const now = () => Date.now(); function run(ctx: { run(): void }) { ctx.run(); }`);
    expect(a.active).toBe(false);
    expect(a.imports).toBeNull();
  });
});
