import rule from "../../rules/no-outer-mutation-in-run.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-outer-mutation-in-run (${mode})`, rule, {
    valid: [
      {
        name: "a list created inside the action and returned: the result is journaled",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    collect: async (ctx: restate.Context) => {
      const result = await ctx.run(() => {
        const list: number[] = [];
        list.push(1);
        return list;
      });
      return result;
    },
  },
});`,
      },
      {
        name: "the action only reads variables of the handler",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    pay: async (ctx: restate.Context, order: { id: string; amount: number }) => {
      const items = [order.id];
      const receipt = await ctx.run("charge", () => psp.charge(order.id, order.amount, items.length));
      return { receipt, items };
    },
  },
});
declare const psp: { charge(id: string, amount: number, n: number): Promise<string> };`,
      },
      {
        name: "the value is returned from the action and assigned outside it: the fix",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    fetch: async (ctx: restate.Context) => {
      let token: string | undefined;
      token = await ctx.run("login", () => auth.login());
      const user = await ctx.run("me", () => auth.me(token!));
      return user;
    },
  },
});
declare const auth: { login(): Promise<string>; me(token: string): Promise<string> };`,
      },
      {
        name: "the mutated object is returned and assigned back from the run: replay assigns the journaled value",
        code:
          header +
          `type Limiter = { last: number; tokens: number };
export const limiter = restate.object({
  name: "limiter",
  handlers: {
    refill: async (ctx: restate.ObjectContext) => {
      let lim = (await ctx.get<Limiter>("lim")) ?? { last: 0, tokens: 0 };
      lim = await ctx.run(() => {
        lim.last = Date.now();
        lim.tokens += 1;
        return lim;
      });
      ctx.set("lim", lim);
    },
  },
});`,
      },
      {
        name: "written back through a destructuring assignment of the run result",
        code:
          header +
          `type Limiter = { last: number };
export const limiter = restate.object({
  name: "limiter",
  handlers: {
    take: async (ctx: restate.ObjectContext) => {
      let lim = (await ctx.get<Limiter>("lim"))!;
      let ok: boolean;
      ({ lim, ok } = await ctx.run(() => {
        lim.last = Date.now();
        return { lim, ok: true };
      }));
      ctx.set("lim", lim);
      return ok;
    },
  },
});`,
      },
      {
        name: "module-level cache filled inside the action: per-process cache, not replayed handler state (no-module-state-in-handler's concern only in durable code)",
        code:
          header +
          `const rates = new Map<string, number>();
export const fx = restate.service({
  name: "fx",
  handlers: {
    convert: async (ctx: restate.Context, currency: string) => {
      return ctx.run("rate", async () => {
        const rate = rates.get(currency) ?? (await api.rate(currency));
        rates.set(currency, rate);
        return rate;
      });
    },
  },
});
declare const api: { rate(c: string): Promise<number> };`,
      },
      {
        name: "an attempt counter used only inside the action: nothing outside sees it",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    call: async (ctx: restate.Context) => {
      let attempt = 0;
      return ctx.run("call", async () => {
        attempt++;
        return api.call(attempt);
      });
    },
  },
});
declare const api: { call(n: number): Promise<number> };`,
      },
      {
        name: "a flag set in one action and read only inside a later action: a deliberate 'did it run now?' probe (Restate's 2PC example)",
        code:
          header +
          `export async function txn(ctx: restate.Context) {
  let generatedNow = false;
  const id = await ctx.run("id", () => {
    generatedNow = true;
    return crypto.randomUUID();
  });
  await ctx.run("attempt", () => (generatedNow ? db.prepare(id) : db.rollback(id)));
}
declare const db: { prepare(id: string): Promise<void>; rollback(id: string): Promise<void> };`,
      },
      {
        // TODO: a value handed from one action to the next through an outer variable
        // (`let token; run(() => { token = login() }); run(() => use(token))`) breaks when a
        // replay skips the first action; it has the same shape as the probe above.
        name: "TODO: outer variable assigned in one action and read only in another action",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      let token = "";
      await ctx.run("login", async () => { token = await auth.login(); });
      await ctx.run("use", () => auth.me(token));
    },
  },
});
declare const auth: { login(): Promise<string>; me(token: string): Promise<string> };`,
      },
      {
        name: "a generic method (set) on an outer value of unknown kind is not a known mutation",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const headers = makeHeaders();
      await ctx.run("send", () => { headers.set("x-id", "1"); return http.send(headers); });
      return headers.get("x-id");
    },
  },
});
declare function makeHeaders(): { set(k: string, v: string): void; get(k: string): string };
declare const http: { send(h: unknown): Promise<void> };`,
      },
      {
        name: "variables of a plain factory around the handlers are not durable code (closure state like module state)",
        code:
          header +
          `export function makeService() {
  let calls = 0;
  return restate.service({
    name: "svc",
    handlers: { a: async (ctx: restate.Context) => { await ctx.run(() => { calls++; }); } },
  });
}`,
      },
      {
        name: "mutations of variables declared inside a nested callback of the action",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, rows: { amount: number }[]) =>
      ctx.run(() => rows.map((row) => { const copy = { ...row }; copy.amount *= 2; return copy; })),
  },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `export async function h(ctx: { run(f: () => void): Promise<void> }) { let n = 0; await ctx.run(() => { n++; }); return n; }`,
      },
    ],
    invalid: [
      {
        name: "assigning an outer variable inside the action: on replay it stays undefined",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    fetch: async (ctx: restate.Context) => {
      let result: string | undefined;
      await ctx.run("fetch", async () => {
        result = await api.fetch();
      });
      await ctx.sleep(1000);
      return result;
    },
  },
});
declare const api: { fetch(): Promise<string> };`,
        errors: [{ messageId: "assigned", line: 8, data: { write: "result = await api.fetch()", name: "result", run: 'ctx.run("fetch")' } }],
      },
      {
        name: "mutating the handler's input inside the action: on replay order.status stays unpaid (method shorthand)",
        code:
          header +
          `export const orders = restate.object({
  name: "orders",
  handlers: {
    async pay(ctx: restate.ObjectContext, order: { id: string; status: string }) {
      await ctx.run("pay", () => {
        order.status = "paid";
        return db.save(order);
      });
      if (order.status === "paid") ctx.set("order", order);
    },
  },
});
declare const db: { save(o: unknown): Promise<void> };`,
        errors: [{ messageId: "mutated", line: 7, data: { write: 'order.status = "paid"', name: "order", run: 'ctx.run("pay")' } }],
      },
      {
        name: "pushing to an outer array, named imports under aliases",
        code: `import { service as svc, type Context as Ctx } from "@restatedev/restate-sdk";
export const mailer = svc({
  name: "mailer",
  handlers: {
    send: async (c: Ctx, to: string[]) => {
      const sent: string[] = [];
      for (const address of to) {
        await c.run(\`mail \${address}\`, async () => {
          await smtp.send(address);
          sent.push(address);
        });
      }
      return sent;
    },
  },
});
declare const smtp: { send(a: string): Promise<void> };`,
        errors: [{ messageId: "mutated", line: 10, data: { write: "sent.push(address)", name: "sent", run: "c.run(...)" } }],
      },
      {
        name: "Map.set on an outer Map in a helper that takes the context",
        code: `import type { ObjectContext } from "@restatedev/restate-sdk";
export async function loadPrices(ctx: ObjectContext, skus: string[]) {
  const prices = new Map<string, number>();
  for (const sku of skus) {
    await ctx.run("price", async () => { prices.set(sku, await catalog.price(sku)); });
  }
  return [...prices.values()];
}
declare const catalog: { price(s: string): Promise<number> };`,
        errors: [{ messageId: "mutated", line: 5 }],
      },
      {
        name: "the action declared as a local function and passed by name, handler declared elsewhere and referenced",
        code:
          header +
          `async function countEffects(ctx: restate.Context, times: number) {
  let executed = 0;
  const effect = () => {
    executed++;
  };
  for (let i = 0; i < times; i++) await ctx.run("count", effect);
  return executed;
}
export const svc = restate.service({ name: "svc", handlers: { countEffects } });`,
        errors: [{ messageId: "assigned", line: 5, data: { write: "executed++", name: "executed", run: 'ctx.run("count")' } }],
      },
      {
        name: "destructuring assignment to outer variables inside the action, shared handler wrapper",
        code:
          header +
          `export const profile = restate.object({
  name: "profile",
  handlers: {
    view: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      let name = "";
      let email = "";
      await ctx.run("load", async () => {
        [name, email] = await users.load(ctx.key);
      });
      return { name, email };
    }),
  },
});
declare const users: { load(k: string): Promise<[string, string]> };`,
        errors: [{ messageId: "assigned", line: 9 }],
      },
      {
        name: "Object.assign and delete on an outer object, and += in a nested callback: one report per variable",
        code:
          header +
          `export const wf = restate.workflow({
  name: "wf",
  handlers: {
    run: async (ctx: restate.WorkflowContext, draft: { total?: number; tmp?: string }) => {
      let total = 0;
      await ctx.run("price", async () => {
        Object.assign(draft, await quote());
        delete draft.tmp;
        (await pricing.lines()).forEach((line) => { total += line; });
      });
      return { draft, total };
    },
  },
});
declare const pricing: { lines(): Promise<number[]> };
declare function quote(): Promise<{ total: number }>;`,
        errors: [
          { messageId: "mutated", line: 8, data: { write: "Object.assign(draft, await quote())", name: "draft", run: 'ctx.run("price")' } },
          { messageId: "assigned", line: 10, data: { write: "total += line", name: "total", run: 'ctx.run("price")' } },
        ],
      },
      {
        name: "runs created in a callback of the handler, combined with RestatePromise.all, pushing to an outer array",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    fanOut: async (ctx: restate.Context, ids: string[]) => {
      const done: string[] = [];
      await restate.RestatePromise.all(ids.map((id) => ctx.run(\`process \${id}\`, async () => {
        await worker.process(id);
        done.push(id);
      })));
      return done.length;
    },
  },
});
declare const worker: { process(id: string): Promise<void> };`,
        errors: [{ messageId: "mutated", line: 9, data: { write: "done.push(id)", name: "done", run: "ctx.run(...)" } }],
      },
      {
        name: "object destructuring assignment and a for-of loop over an outer variable inside the action",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      let id = "";
      let last = "";
      await ctx.run("load", async () => {
        ({ id } = await api.create());
        for (last of await api.list()) await api.touch(last);
      });
      return { id, last };
    },
  },
});
declare const api: { create(): Promise<{ id: string }>; list(): Promise<string[]>; touch(s: string): Promise<void> };`,
        errors: [
          { messageId: "assigned", line: 9 },
          { messageId: "assigned", line: 10 },
        ],
      },
      {
        name: "sorting an outer array known from its annotation, an unannotated context parameter",
        code:
          header +
          `export const board = restate.object({
  name: "board",
  handlers: {
    rank: async (ctx, scores: number[]) => {
      await ctx.run(() => scores.sort((a, b) => b - a));
      return scores[0];
    },
  },
});`,
        errors: [{ messageId: "mutated", line: 6, data: { write: "scores.sort((a, b) => b - a)", name: "scores", run: "ctx.run(...)" } }],
      },
    ],
  });
}

// Only type information knows that `seen` is a Set (its initializer is a call).
typedRuleTester.run("no-outer-mutation-in-run (typed only)", rule, {
  valid: [
    {
      name: "push on an outer value whose type is known and is not an array (a stream-like queue)",
      code: `import * as restate from "@restatedev/restate-sdk";
interface Feed { push(chunk: string): boolean; }
declare function openFeed(): Feed;
export async function stream(ctx: restate.Context) {
  const feed = openFeed();
  await ctx.run("chunk", () => feed.push("x"));
  return feed;
}`,
    },
  ],
  invalid: [
    {
      name: "Set.add on an outer Set returned by a function",
      code: `import * as restate from "@restatedev/restate-sdk";
declare function emptyIds(): Set<string>;
export async function sync(ctx: restate.Context, ids: string[]) {
  const seen = emptyIds();
  await ctx.run("sync", async () => { for (const id of ids) seen.add(id); });
  return seen.size;
}`,
      errors: [{ messageId: "mutated", line: 5 }],
    },
  ],
});

ruleTester.run("no-outer-mutation-in-run (syntax only)", rule, {
  invalid: [
    {
      name: "without types, push on an outer value of unknown kind is taken as an array mutation",
      code: `import * as restate from "@restatedev/restate-sdk";
interface Feed { push(chunk: string): boolean; }
declare function openFeed(): Feed;
export async function stream(ctx: restate.Context) {
  const feed = openFeed();
  await ctx.run("chunk", () => feed.push("x"));
  return feed;
}`,
      errors: [{ messageId: "mutated", line: 6 }],
    },
  ],
  valid: [
    {
      name: "without types, a generic method on a value of unknown kind is not reported",
      code: `import * as restate from "@restatedev/restate-sdk";
declare function emptyIds(): Set<string>;
export async function sync(ctx: restate.Context, ids: string[]) {
  const seen = emptyIds();
  await ctx.run("sync", async () => { for (const id of ids) seen.add(id); });
  return seen.size;
}`,
    },
  ],
});
