import rule from "../../rules/no-module-state-in-handler.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-module-state-in-handler (${mode})`, rule, {
    valid: [
      {
        name: "a module-level client whose methods are called: calls are not known mutations, even ones named set/add",
        code:
          header +
          `const payments = new PaymentClient({ url: "https://psp" });
const flags = createFlags();
export const svc = restate.service({
  name: "svc",
  handlers: {
    pay: async (ctx: restate.Context, amount: number) => {
      flags.set("beta", true);
      await ctx.run("charge", () => payments.charge(amount));
    },
  },
});
declare class PaymentClient { constructor(o: { url: string }); charge(n: number): Promise<void>; }
declare function createFlags(): { set(k: string, v: boolean): void };`,
      },
      {
        name: "a lazily initialised client, assigned only while still unset: per-process but invisible to the journal",
        code:
          header +
          `let client: Db | undefined;
let pool: Db | null = null;
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      if (!client) client = connect();
      pool ??= connect();
      return ctx.run("q", () => client!.query(pool!));
    },
  },
});
declare interface Db { query(other: Db): Promise<number> }
declare function connect(): Db;`,
      },
      {
        name: "lazy initialisation after an early return, and through `x ?? (x = …)`, in a helper taking the context",
        code: `import type { Context } from "@restatedev/restate-sdk";
let cached: Db | undefined;
let other: Db | undefined;
export async function db(ctx: Context) {
  const second = other ?? (other = connect());
  if (cached) return [cached, second];
  cached = connect();
  return [cached, second];
}
declare interface Db { query(): Promise<number> }
declare function connect(): Db;`,
      },
      {
        name: "module-level cache filled inside ctx.run: a side effect, its result is journaled",
        code:
          header +
          `const rates = new Map<string, number>();
export const fx = restate.service({
  name: "fx",
  handlers: {
    convert: async (ctx: restate.Context, currency: string) =>
      ctx.run("rate", async () => {
        const rate = rates.get(currency) ?? (await api.rate(currency));
        rates.set(currency, rate);
        return rate;
      }),
  },
});
declare const api: { rate(c: string): Promise<number> };`,
      },
      {
        name: "module-level registry only read in handlers, filled at start-up by a plain function",
        code:
          header +
          `const tasks = new Map<string, (input: string) => Promise<string>>();
export function register(name: string, fn: (input: string) => Promise<string>) {
  tasks.set(name, fn);
}
register("echo", async (s) => s);
export const runner = restate.service({
  name: "runner",
  handlers: {
    run: async (ctx: restate.Context, req: { task: string; input: string }) => {
      const task = tasks.get(req.task);
      if (!task) throw new restate.TerminalError("unknown task");
      return ctx.run(req.task, () => task(req.input));
    },
  },
});`,
      },
      {
        name: "the handler's own local variables and parameters",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    async add(ctx: restate.ObjectContext, item: { qty: number }) {
      let count = 0;
      const items = (await ctx.get<string[]>("items")) ?? [];
      const seen = new Set<string>();
      items.push("x");
      seen.add("x");
      count++;
      item.qty += 1;
      ctx.set("items", items);
      return count;
    },
  },
});`,
      },
      {
        name: "imported bindings and declared globals are not this module's state",
        code:
          header +
          `import { queue } from "./queue.js";
declare const registry: Map<string, string>;
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      queue.push(id);
      registry.set(id, id);
    },
  },
});`,
      },
      {
        name: "a local variable shadowing a module-level one",
        code:
          header +
          `const seen = new Set<string>();
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      const seen = new Set<string>();
      seen.add(id);
      return seen.size;
    },
  },
});
export const size = seen.size;`,
      },
      {
        name: "module code itself (start-up) may mutate module state",
        code:
          header +
          `const handlers: string[] = [];
handlers.push("a");
let started = 0;
started++;
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => handlers.length + started } });`,
      },
      {
        name: "a static field of a class read in a handler; a static readonly field",
        code:
          header +
          `class Config {
  static retries = 3;
  static readonly names: string[] = [];
}
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => Config.retries + Config.names.length },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `let n = 0; export async function h(ctx: { run(f: () => void): void }) { n++; }`,
      },
    ],
    invalid: [
      {
        name: "a module-level counter incremented in a handler: a replay increments again",
        code:
          header +
          `let invocations = 0;
export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      invocations++;
      return \`Hello \${name}, you are visitor \${invocations}\`;
    },
  },
});`,
        errors: [{ messageId: "moduleState", line: 7, data: { write: "invocations++", name: "invocations", ctx: "ctx" } }],
      },
      {
        name: "a module-level Map used as per-key state in an object handler (method shorthand)",
        code:
          header +
          `const balances = new Map<string, number>();
export const account = restate.object({
  name: "account",
  handlers: {
    async deposit(context: restate.ObjectContext, amount: number) {
      const balance = (balances.get(context.key) ?? 0) + amount;
      balances.set(context.key, balance);
      return balance;
    },
  },
});`,
        errors: [{ messageId: "moduleState", line: 8, data: { write: "balances.set(context.key, balance)", name: "balances", ctx: "context" } }],
      },
      {
        name: "pushing to a module-level array from a helper that takes the context (named imports under aliases)",
        code: `import { type Context as Ctx, service as svc } from "@restatedev/restate-sdk";
const audit: string[] = [];
async function record(ctx: Ctx, event: string) {
  audit.push(event);
  await ctx.sleep(10);
}
export const s = svc({ name: "s", handlers: { a: async (ctx: Ctx) => record(ctx, "a") } });`,
        errors: [{ messageId: "moduleState", line: 4, data: { write: "audit.push(event)", name: "audit", ctx: "ctx" } }],
      },
      {
        name: "a property of a module-level object literal, in a handler declared elsewhere and referenced",
        code:
          header +
          `const stats = { total: 0, last: "" };
async function charge(ctx: restate.Context, req: { id: string; amount: number }) {
  stats.total += req.amount;
  stats.last = req.id;
  await ctx.run("charge", () => psp.charge(req.amount));
}
export const payments = restate.service({ name: "payments", handlers: { charge } });
declare const psp: { charge(n: number): Promise<void> };`,
        errors: [{ messageId: "moduleState", line: 4, data: { write: "stats.total += req.amount", name: "stats", ctx: "ctx" } }],
      },
      {
        name: "a module-level Set in a shared handler wrapper, and a nested callback of the handler",
        code:
          header +
          `const seen = new Set<string>();
export const viewer = restate.object({
  name: "viewer",
  handlers: {
    view: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, ids: string[]) => {
      ids.forEach((id) => seen.add(id));
      return seen.size;
    }),
  },
});`,
        errors: [{ messageId: "moduleState", line: 7 }],
      },
      {
        name: "reassigning a module-level handle on every call is not a lazy initialisation",
        code:
          header +
          `let current: string | undefined;
export const svc = restate.object({
  name: "svc",
  handlers: {
    a: async (ctx: restate.ObjectContext) => {
      current = ctx.key;
      if (!current) current = "none";
      return current;
    },
  },
});`,
        errors: [{ messageId: "moduleState", line: 7, data: { write: "current = ctx.key", name: "current", ctx: "ctx" } }],
      },
      {
        name: "a static field of a class, changed through the class name",
        code:
          header +
          `class Metrics {
  static calls = 0;
  static recent: string[] = [];
}
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      Metrics.calls++;
      Metrics.recent.push(id);
    },
  },
});`,
        errors: [
          { messageId: "moduleState", line: 10, data: { write: "Metrics.calls++", name: "Metrics.calls", ctx: "ctx" } },
          { messageId: "moduleState", line: 11, data: { write: "Metrics.recent.push(id)", name: "Metrics.recent", ctx: "ctx" } },
        ],
      },
      {
        name: "a cache assigned lazily with new Map() is then filled in the handler: the fill is reported",
        code:
          header +
          `let cache;
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, k: string) => {
      if (!cache) cache = new Map();
      cache.set(k, await ctx.run(() => load(k)));
    },
  },
});
declare function load(k: string): Promise<string>;`,
        errors: [{ messageId: "moduleState", line: 8 }],
      },
    ],
  });
}

// Only type information knows that `cache` is a Map (its initializer is a call).
typedRuleTester.run("no-module-state-in-handler (typed only)", rule, {
  valid: [],
  invalid: [
    {
      name: "a module-level Map returned by a factory",
      code: `import * as restate from "@restatedev/restate-sdk";
declare function createCache(): Map<string, number>;
const cache = createCache();
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, k: string) => { cache.set(k, 1); } },
});`,
      errors: [{ messageId: "moduleState", line: 6 }],
    },
  ],
});

ruleTester.run("no-module-state-in-handler (syntax only)", rule, {
  valid: [
    {
      name: "without types, a generic method on a module-level value of unknown kind is not reported",
      code: `import * as restate from "@restatedev/restate-sdk";
declare function createCache(): Map<string, number>;
const cache = createCache();
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, k: string) => { cache.set(k, 1); } },
});`,
    },
  ],
  invalid: [],
});

// Module state changed by plain helpers: reported where durable code calls the helper, never inside it.
for (const [mode, tester] of bothTesters) {
  tester.run(`no-module-state-in-handler through helpers (${mode})`, rule, {
    valid: [
      {
        name: "a helper that fills a module-level cache, called only inside ctx.run and at start-up",
        code:
          header +
          `const rates = new Map<string, number>();
function remember(currency: string, rate: number) {
  rates.set(currency, rate);
  return rate;
}
remember("EUR", 1);
export const fx = restate.service({
  name: "fx",
  handlers: {
    convert: async (ctx: restate.Context, req: { currency: string; amount: number }) => {
      const rate = await ctx.run("rate", async () => remember(req.currency, await api.rate(req.currency)));
      return req.amount * rate;
    },
  },
});
declare const api: { rate(c: string): Promise<number> };`,
      },
      {
        name: "a helper that lazily creates a module-level client (if unset, ??=) is not a change of state",
        code:
          header +
          `let client: Db | undefined;
let pool: Db | undefined;
function db() {
  if (!client) client = new Db();
  return client;
}
const poolOf = () => (pool ??= new Db());
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => ctx.run("load", () => db().load(id) && poolOf().load(id)),
    b: async (ctx: restate.Context) => { db(); poolOf(); },
  },
});
declare class Db { load(id: string): Promise<string> }`,
      },
      {
        name: "a helper that changes its own locals and parameters, or only reads module state",
        code:
          header +
          `const limits = { max: 10 };
function addItem(items: string[], item: string) {
  const copy = [...items];
  copy.push(item);
  items.push(item);
  return copy.length <= limits.max;
}
export const cart = restate.object({
  name: "cart",
  handlers: {
    async add(ctx: restate.ObjectContext, item: string) {
      const items = (await ctx.get<string[]>("items")) ?? [];
      if (addItem(items, item)) ctx.set("items", items);
    },
  },
});`,
      },
      {
        name: "a helper that only returns a function writing module state: calling it writes nothing",
        code:
          header +
          `let hits = 0;
const counter = () => () => { hits++; };
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { const inc = counter(); return typeof inc; } },
});
export const total = () => hits;`,
      },
      {
        name: "recursion without any write terminates and reports nothing",
        code:
          header +
          `const tree = { children: [] as unknown[] };
function size(node: { children: unknown[] }): number {
  return 1 + node.children.reduce<number>((n, c) => n + size(c as { children: unknown[] }), 0);
}
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => size(tree) } });`,
      },
      {
        name: "a helper imported from a file that is not in the program is never followed (no declaration with a body)",
        code:
          header +
          `import { countInvocation } from "./services/utils/missing-counters.js";
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => countInvocation() } });`,
      },
    ],
    invalid: [
      {
        name: "a local helper pushing to a module-level array, called in a handler: reported at the call with the chain, not inside the helper",
        code:
          header +
          `const audit: string[] = [];
function record(event: string) {
  audit.push(event);
}
export const payments = restate.service({
  name: "payments",
  handlers: {
    charge: async (ctx: restate.Context, id: string) => {
      record(\`charge \${id}\`);
      await ctx.run("charge", () => psp.charge(id));
    },
  },
});
declare const psp: { charge(id: string): Promise<void> };`,
        errors: [
          {
            messageId: "moduleStateThroughCall",
            line: 10,
            data: { call: "record(…)", ctx: "ctx", chain: "`record` → `audit.push(event)` (file.ts:4)" },
          },
        ],
      },
      {
        name: "the same counter helper from a route, inside ctx.run and in the handler: only the handler's direct call",
        code:
          header +
          `let invocations = 0;
export const countInvocation = () => {
  invocations += 1;
};
export function route() { countInvocation(); }
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (context: restate.Context) => {
      await context.run("count", () => countInvocation());
      countInvocation();
    },
  },
});`,
        errors: [
          {
            messageId: "moduleStateThroughCall",
            line: 12,
            data: { call: "countInvocation(…)", ctx: "context", chain: "`countInvocation` → `invocations += 1` (file.ts:4)" },
          },
        ],
      },
      {
        name: "a helper that takes the context is durable code on its own: its write is reported inside, not again at the call",
        code:
          header +
          `const seen = new Set<string>();
function markSeen(ctx: restate.ObjectContext, id: string) {
  seen.add(id);
  ctx.set("seen", true);
}
export const obj = restate.object({ name: "obj", handlers: { a: async (ctx: restate.ObjectContext, id: string) => { markSeen(ctx, id); } } });`,
        errors: [{ messageId: "moduleState", line: 4, data: { write: "seen.add(id)", name: "seen", ctx: "ctx" } }],
      },
      {
        name: "a static method of a class changing a static field through the class name, and a function of an object of helpers",
        code:
          header +
          `class Metrics {
  static calls = 0;
  static bump() { Metrics.calls++; }
}
const stats = { total: 0 };
const track = {
  add(amount: number) { stats.total += amount; },
};
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, amount: number) => {
      Metrics.bump();
      track.add(amount);
    },
  },
});`,
        errors: [
          { messageId: "moduleStateThroughCall", line: 14, data: { call: "Metrics.bump(…)", ctx: "ctx", chain: "`Metrics.bump` → `Metrics.calls++` (file.ts:4)" } },
          { messageId: "moduleStateThroughCall", line: 15, data: { call: "track.add(…)", ctx: "ctx", chain: "`track.add` → `stats.total += amount` (file.ts:8)" } },
        ],
      },
      {
        name: "a method of a local class reached through this.m() on an instance held in a constant",
        code:
          header +
          `const registry = new Map<string, string>();
class Sessions {
  open(id: string) { this.store(id, "open"); }
  private store(id: string, state: string) { registry.set(id, state); }
}
const sessions = new Sessions();
export const svc = restate.object({
  name: "svc",
  handlers: { open: async (ctx: restate.ObjectContext) => { sessions.open(ctx.key); } },
});`,
        errors: [
          {
            messageId: "moduleStateThroughCall",
            line: 10,
            data: { call: "sessions.open(…)", ctx: "ctx", chain: "`Sessions.open` → `Sessions.store` → `registry.set(id, state)` (file.ts:5)" },
          },
        ],
      },
      {
        name: "recursion: a helper that walks a tree and resets a module-level handle on every call is reported once, at the handler's call",
        code:
          header +
          `let current: string | null = null;
function walk(node: { id: string; children: { id: string; children: never[] }[] }): void {
  for (const child of node.children) walk(child);
  current = node.id;
}
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, tree: { id: string; children: never[] }) => { walk(tree); } },
});`,
        errors: [{ messageId: "moduleStateThroughCall", line: 9, data: { call: "walk(…)", ctx: "ctx", chain: "`walk` → `current = node.id` (file.ts:5)" } }],
      },
    ],
  });
}

// With types, the checker resolves imports: a helper in another file of the program is followed, and
// the state it changes is that file's module state.
typedRuleTester.run("no-module-state-in-handler through helpers (typed only)", rule, {
  valid: [
    {
      name: "typed: imported helpers that only read state or lazily create a client",
      code:
        header +
        `import { db, hasSeen } from "./services/utils/counters.js";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, id: string) => (hasSeen(id) ? "seen" : ctx.run("load", () => db().query(id))) },
});`,
    },
  ],
  invalid: [
    {
      name: "typed: counter and set helpers imported from services/utils are followed into their file",
      code:
        header +
        `import { countInvocation, markSeen } from "./services/utils/counters.js";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      countInvocation();
      markSeen(id);
    },
  },
});`,
      errors: [
        { messageId: "moduleStateThroughCall", line: 7, data: { call: "countInvocation(…)", ctx: "ctx", chain: "`countInvocation` → `invocations++` (counters.ts:7)" } },
        { messageId: "moduleStateThroughCall", line: 8, data: { call: "markSeen(…)", ctx: "ctx", chain: "`markSeen` → `seen.add(id)` (counters.ts:12)" } },
      ],
    },
  ],
});

// Without types the same import is opaque: other files are not followed.
ruleTester.run("no-module-state-in-handler through helpers (syntax only)", rule, {
  valid: [
    {
      name: "without types other files are not followed: the counter helper imported from services/utils is not reported",
      code:
        header +
        `import { countInvocation } from "./services/utils/counters.js";
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => { countInvocation(); } } });`,
    },
  ],
  invalid: [],
});
