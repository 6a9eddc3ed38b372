import rule from "../../rules/no-context-in-run.js";
import { bothTesters, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-context-in-run (${mode})`, rule, {
    valid: [
      {
        name: "reading ctx.key and ctx.request() inside run is harmless and common",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      await ctx.run("charge", () => charge(ctx.key, ctx.request().id));
    },
  },
});
declare function charge(key: string, id: string): Promise<void>;`,
      },
      {
        name: "journaled operations before and after the run, values captured in the closure",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      const id = ctx.rand.uuidv4();
      const at = await ctx.date.now();
      const sent = await ctx.run("send", () => send(id, at, name));
      await ctx.sleep(1000);
      return sent;
    },
  },
});
declare function send(id: string, at: number, name: string): Promise<boolean>;`,
      },
      {
        name: "ctx.console inside run is not journaled",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await ctx.run(() => { ctx.console.log("in run"); }); } },
});`,
      },
      {
        name: "a closure passed to ctx.run that creates its own journaled calls in a nested handler-like helper is out of reach: the helper takes its own context",
        code:
          header +
          `async function audit(c: restate.Context) { await c.run("audit", () => 1); }
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await ctx.run("x", () => 1); await audit(ctx); } },
});`,
      },
      {
        name: "a compensation closure that calls ctx.run is not itself a run action",
        code:
          header +
          `export const wf = restate.workflow({
  name: "wf",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => {
      const compensations: (() => Promise<unknown>)[] = [];
      compensations.push(() => ctx.run("undo", () => undo()));
      await ctx.run("do", () => doIt());
    },
  },
});
declare function undo(): Promise<void>; declare function doIt(): Promise<void>;`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `function run(ctx: { run(f: () => void): void; get(k: string): void }) { ctx.run(() => ctx.get("x")); }`,
      },
      {
        name: "an identifier called ctx that is not a Restate context",
        code:
          header +
          `const ctx = { run: (f: () => unknown) => f(), get: (k: string) => k };
ctx.run(() => ctx.get("x"));`,
      },
    ],
    invalid: [
      {
        name: "state read inside run: works until the first replay, then mismatches forever",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: string) => {
      await ctx.run("save", async () => {
        const items = (await ctx.get<string[]>("items")) ?? [];
        await db.save(items.concat(item));
      });
    },
  },
});
declare const db: { save(items: string[]): Promise<void> };`,
        errors: [{ messageId: "stateRead", line: 7, data: { ctx: "ctx", member: "get", run: 'ctx.run("save")' } }],
      },
      {
        name: "nested run and ctx.date.now() inside run: awaitNext already pending",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (context: restate.Context) => {
      await context.run("outer", async () => {
        const now = await context.date.now();
        await context.run("inner", () => now);
      });
    },
  },
});`,
        errors: [
          { messageId: "nestedOperation", line: 7, data: { ctx: "context", member: "date.now()", run: 'context.run("outer")' } },
          { messageId: "nestedOperation", line: 8, data: { ctx: "context", member: "run", run: 'context.run("outer")' } },
        ],
      },
      {
        name: "method shorthand handler, unannotated context, rand and state write inside run",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    async bump(c) {
      await c.run(() => {
        const id = c.rand.uuidv4();
        c.set("last", id);
      });
    },
  },
});`,
        errors: [
          { messageId: "randomInRun", line: 7 },
          { messageId: "stateWrite", line: 8 },
        ],
      },
      {
        name: "passing the context object to a helper from inside the action",
        code:
          header +
          `async function notify(ctx: restate.Context, msg: string) { await ctx.sleep(1); }
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await ctx.run(() => notify(ctx, "hi")); } },
});`,
        errors: [{ messageId: "contextPassed", line: 5, data: { ctx: "ctx", callee: "notify", run: "ctx.run(...)" } }],
      },
      {
        name: "named imports under an alias, a helper taking the context by annotation, clients inside run",
        code: `import { type Context as Ctx, service } from "@restatedev/restate-sdk";
export async function ship(ctx: Ctx, order: string) {
  return ctx.run("ship", () => ctx.serviceClient(carrier).book(order));
}
declare const carrier: any;`,
        errors: [{ messageId: "nestedOperation", line: 3, data: { ctx: "ctx", member: "serviceClient", run: 'ctx.run("ship")' } }],
      },
      {
        name: "destructured context parameter ({ ctx }: { ctx: ObjectContext })",
        code: `import type { ObjectContext } from "@restatedev/restate-sdk";
export async function save({ ctx, value }: { ctx: ObjectContext; value: string }) {
  await ctx.run(() => ctx.set("v", value));
}`,
        errors: [{ messageId: "stateWrite", line: 3 }],
      },
      {
        name: "an alias of the context is still the context",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { const c = ctx; await ctx.run(() => c.sleep(10)); } },
});`,
        errors: [{ messageId: "nestedOperation", line: 4, data: { ctx: "c", member: "sleep", run: "ctx.run(...)" } }],
      },
      {
        name: "a handler declared elsewhere in the file and referenced in handlers",
        code:
          header +
          `async function process(ctx: restate.Context) {
  await ctx.run("fetch", async () => ctx.genericCall({ service: "a", method: "b", parameter: new Uint8Array() }));
}
export const svc = restate.service({ name: "svc", handlers: { process } });`,
        errors: [{ messageId: "nestedOperation", line: 3, data: { ctx: "ctx", member: "genericCall", run: 'ctx.run("fetch")' } }],
      },
    ],
  });
}

// Only type information can see these: the context type comes from another module.
typedRuleTester.run("no-context-in-run (typed only)", rule, {
  valid: [],
  invalid: [
    {
      name: "a helper whose parameter type is a context alias declared in another module",
      code: `import type { CartCtx } from "./context-types.js";
export async function save(ctx: CartCtx, items: string[]) {
  await ctx.run("save", () => ctx.set("items", items));
}`,
      errors: [{ messageId: "stateWrite", line: 3 }],
    },
  ],
});
