import rule from "../../rules/no-map-iteration-with-context-calls.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;
const ENTRIES = "([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)";

for (const [mode, tester] of bothTesters) {
  tester.run(`no-map-iteration-with-context-calls (${mode})`, rule, {
    valid: [
      {
        name: "the fix itself: iterating a sorted copy of the entries makes the order explicit",
        code:
          header +
          `export const inventory = restate.service({
  name: "inventory",
  handlers: {
    reserve: async (ctx: restate.Context, order: { lines: { sku: string; qty: number }[] }) => {
      const reservations = new Map<string, number>();
      for (const line of order.lines) reservations.set(line.sku, (reservations.get(line.sku) ?? 0) + line.qty);
      for (const [sku, qty] of [...reservations.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        await ctx.run(\`reserve \${sku}\`, () => warehouse.reserve(sku, qty));
      }
    },
  },
});
declare const warehouse: { reserve(sku: string, qty: number): Promise<void> };`,
      },
      {
        name: "every sorted form: [...m.keys()].sort(), Array.from(m).sort(...), toSorted(), sorted before forEach",
        code:
          header +
          `export const mailer = restate.object({
  name: "mailer",
  handlers: {
    flush: async (ctx: restate.ObjectContext) => {
      const outbox = new Map<string, string>();
      outbox.set(ctx.key, "hello");
      for (const to of [...outbox.keys()].sort()) await ctx.run("send", () => send(to, outbox.get(to)!));
      for (const [to, body] of Array.from(outbox).sort(([a], [b]) => a.localeCompare(b))) ctx.set(to, body);
      [...outbox.values()].toSorted().forEach((body) => ctx.set("last", body));
      Array.from(outbox.entries()).sort().map(([to]) => ctx.clear(to));
    },
  },
});
declare function send(to: string, body: string): Promise<void>;`,
      },
      {
        name: "spreading a Map of Restate promises into RestatePromise.race/all: no loop body, no journaled call in it",
        code: `import * as restate from "@restatedev/restate-sdk";
import { RestatePromise } from "@restatedev/restate-sdk";
export const race = restate.service({
  name: "race",
  handlers: {
    fastest: async (ctx: restate.Context, urls: string[]) => {
      const pending = new Map<string, RestatePromise<string>>();
      for (const url of urls) pending.set(url, ctx.run(url, () => fetchText(url)));
      const first = await RestatePromise.race([...pending.values()]);
      const all = await RestatePromise.all([...pending.values()]);
      return [first, ...all];
    },
  },
});
declare function fetchText(url: string): Promise<string>;`,
      },
      {
        name: "awaiting promises already created (in array order) while iterating a Map creates no journal entry",
        code:
          header +
          `export const fanout = restate.service({
  name: "fanout",
  handlers: {
    run: async (ctx: restate.Context, ids: string[]) => {
      const pending = new Map<string, Promise<number>>();
      for (const id of ids) pending.set(id, ctx.run(id, () => work(id)));
      let total = 0;
      for (const p of pending.values()) total += await p;
      return total;
    },
  },
});
declare function work(id: string): Promise<number>;`,
      },
      {
        name: "a loop body without journaled operations: ctx.console, ctx.key, pure computation",
        code:
          header +
          `export const stats = restate.object({
  name: "stats",
  handlers: {
    summarize: async (ctx: restate.ObjectContext, words: string[]) => {
      const counts = new Map<string, number>();
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      let summary = "";
      for (const [word, n] of counts) {
        ctx.console.log(ctx.key, word, n);
        summary += \`\${word}=\${n};\`;
      }
      counts.forEach((n, word) => ctx.console.info(word, n));
      ctx.set("summary", summary);
    },
  },
});`,
      },
      {
        name: "plain arrays and Object.entries(obj): array and object key order is fixed by the data",
        code:
          header +
          `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, req: { items: string[]; prices: Record<string, number> }) => {
      for (const item of req.items) await ctx.run("reserve", () => reserve(item));
      for (const [item, price] of Object.entries(req.prices)) await ctx.run("price", () => price + item.length);
      req.items.forEach((item) => ctx.serviceSendClient(shipping).ship(item));
    },
  },
});
declare function reserve(item: string): Promise<void>;
declare const shipping: restate.ServiceDefinition<"shipping", { ship(item: string): Promise<void> }>;`,
      },
      {
        name: "iterating a Map inside a ctx.run action: it runs once and only its result is journaled",
        code:
          header +
          `export const sync = restate.service({
  name: "sync",
  handlers: {
    push: async (ctx: restate.Context) => {
      await ctx.run("push all", async () => {
        const dirty = new Map<string, string>(await loadDirty());
        for (const [id, row] of dirty) await upload(id, row);
      });
    },
  },
});
declare function loadDirty(): Promise<[string, string][]>;
declare function upload(id: string, row: string): Promise<void>;`,
      },
      {
        name: "a Map iterated at module level to build handlers: the loop is not durable code, each handler is",
        code:
          header +
          `const routes = new Map<string, string>();
routes.set("a", "alpha");
const handlers: Record<string, (ctx: restate.Context) => Promise<string>> = {};
for (const [name, label] of routes) {
  handlers[name] = async (ctx: restate.Context) => ctx.run(name, () => label);
}
export const router = restate.service({ name: "router", handlers });`,
      },
      {
        name: "a Set built in one go from the request and never added to: its order is the request's order, like the array itself",
        code:
          header +
          `export const notify = restate.service({
  name: "notify",
  handlers: {
    all: async (ctx: restate.Context, req: { userIds: string[] }) => {
      for (const id of new Set(req.userIds)) await ctx.run(\`notify \${id}\`, () => push(id));
      const unique = new Set(req.userIds);
      if (unique.size > 100) throw new restate.TerminalError("too many");
      for (const id of unique) await ctx.run(\`mail \${id}\`, () => mail(id));
    },
  },
});
declare function push(id: string): Promise<void>;
declare function mail(id: string): Promise<void>;`,
      },
      {
        name: "a module-level lookup table built from a literal and only read: fixed order",
        code:
          header +
          `const STEPS = new Map<string, (input: string) => Promise<string>>([
  ["resize", async (s) => s],
  ["watermark", async (s) => s],
]);
export const images = restate.workflow({
  name: "images",
  handlers: {
    run: async (ctx: restate.WorkflowContext, input: string) => {
      let out = input;
      for (const [step, apply] of STEPS) out = await ctx.run(step, () => apply(out));
      return out;
    },
  },
});`,
      },
      {
        name: "a copy sorted in place before the loop",
        code:
          header +
          `export const billing = restate.object({
  name: "billing",
  handlers: {
    settle: async (ctx: restate.ObjectContext, lines: [string, number][]) => {
      const due = new Map<string, number>();
      for (const [who, amount] of lines) due.set(who, (due.get(who) ?? 0) + amount);
      const entries = [...due.entries()];
      entries.sort(([a], [b]) => a.localeCompare(b));
      for (const [who, amount] of entries) await ctx.run(\`charge \${who}\`, () => charge(who, amount));
    },
  },
});
declare function charge(who: string, amount: number): Promise<void>;`,
      },
      {
        name: "ordered(m) from restate-guard-runtime returns an array in key order: iterating it is deterministic",
        code: `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";
export const ledger = restate.service({
  name: "ledger",
  handlers: {
    post: async (ctx: restate.Context, postings: [string, number][]) => {
      const balances = new Map<string, number>();
      for (const [account, amount] of postings) balances.set(account, (balances.get(account) ?? 0) + amount);
      for (const [account, amount] of ordered(balances)) await ctx.run(account, () => book(account, amount));
    },
  },
});
declare function book(account: string, amount: number): Promise<void>;`,
      },
      {
        name: "ordered under an alias, its result held in a local and iterated with forEach / map: still an array",
        code: `import * as restate from "@restatedev/restate-sdk";
import { ordered as byKey } from "restate-guard-runtime";
export const fanout = restate.object({
  name: "fanout",
  handlers: {
    notify: async (ctx: restate.ObjectContext, events: { user: string; text: string }[]) => {
      const latest = new Map<string, string>();
      for (const e of events) latest.set(e.user, e.text);
      const entries = byKey(latest);
      entries.forEach(([user, text]) => ctx.objectSendClient(inbox, user).deliver(text));
      await Promise.all(byKey(latest).map(([user]) => ctx.run(\`audit \${user}\`, () => audit(user))));
    },
  },
});
declare const inbox: restate.VirtualObjectDefinition<"inbox", { deliver(ctx: restate.ObjectContext, text: string): Promise<void> }>;
declare function audit(user: string): Promise<void>;`,
      },
      {
        name: "ordered through a namespace import, on a Set with a comparator and spread into a copy",
        code: `import * as restate from "@restatedev/restate-sdk";
import * as guard from "restate-guard-runtime";
export const tags = restate.service({
  name: "tags",
  handlers: {
    sync: async (ctx: restate.Context, input: { tags: string[]; weights: Record<string, number> }) => {
      const unique = new Set(input.tags);
      unique.add("default");
      for (const tag of guard.ordered(unique, (a, b) => b.localeCompare(a))) await ctx.run(tag, () => push(tag));
      for (const [tag] of [...guard.ordered(input.weights)]) ctx.set(tag, input.weights[tag]);
    },
  },
});
declare function push(tag: string): Promise<void>;`,
      },
      {
        name: "ordered through require(): the CommonJS build",
        code: `import * as restate from "@restatedev/restate-sdk";
const { ordered } = require("restate-guard-runtime");
export const batch = restate.service({
  name: "batch",
  handlers: {
    run: async (ctx: restate.Context, jobs: string[]) => {
      const pending = new Set<string>();
      for (const job of jobs) pending.add(job);
      for (const job of ordered(pending)) await ctx.run(job, () => start(job));
    },
  },
});
declare function start(job: string): Promise<void>;`,
      },
      {
        name: "a local class called Map is not the built-in",
        code:
          header +
          `class Map<K, V> { entries: [K, V][] = []; [Symbol.iterator]() { return this.entries[Symbol.iterator](); } }
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const m = new Map<string, number>();
      for (const [k] of m) await ctx.run(k, () => 1);
    },
  },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `async function f(ctx: { run(n: string, a: () => void): Promise<void> }) {
  const m = new Map<string, number>();
  m.set("a", 1);
  for (const [k] of m) await ctx.run(k, () => {});
}`,
      },
    ],
    invalid: [
      {
        name: "for...of over a Map filled from concurrent completions, ctx.run in the body (arrow property handler)",
        code:
          header +
          `export const inventory = restate.service({
  name: "inventory",
  handlers: {
    reserve: async (ctx: restate.Context, skus: string[]) => {
      const reservations = new Map<string, string>();
      await Promise.all(skus.map((sku) => quote(sku).then((q) => reservations.set(sku, q))));
      for (const [sku, quoteId] of reservations) {
        await ctx.run(\`reserve \${sku}\`, () => warehouse.reserve(sku, quoteId));
      }
    },
  },
});
declare function quote(sku: string): Promise<string>;
declare const warehouse: { reserve(sku: string, q: string): Promise<void> };`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            column: 36,
            data: {
              name: "reservations",
              kind: "Map",
              site: "this loop",
              operation: "calls `ctx.run`",
              sorted: "`[...reservations.entries()].sort(...)` or restate-guard-runtime's `ordered(reservations)`",
            },
            suggestions: [
              {
                messageId: "iterateSorted",
                data: { replacement: `[...reservations.entries()].sort(${ENTRIES})` },
                output:
                  header +
                  `export const inventory = restate.service({
  name: "inventory",
  handlers: {
    reserve: async (ctx: restate.Context, skus: string[]) => {
      const reservations = new Map<string, string>();
      await Promise.all(skus.map((sku) => quote(sku).then((q) => reservations.set(sku, q))));
      for (const [sku, quoteId] of [...reservations.entries()].sort(${ENTRIES})) {
        await ctx.run(\`reserve \${sku}\`, () => warehouse.reserve(sku, quoteId));
      }
    },
  },
});
declare function quote(sku: string): Promise<string>;
declare const warehouse: { reserve(sku: string, q: string): Promise<void> };`,
              },
            ],
          },
        ],
      },
      {
        name: "m.entries() with an object client call, method shorthand handler, unannotated context",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    async checkout(c, req: { items: [string, number][] }) {
      const byWarehouse = new Map();
      for (const [sku, qty] of req.items) byWarehouse.set(lookup(sku), qty);
      for (const [wh, qty] of byWarehouse.entries()) await c.objectClient(warehouse, wh).reserve(qty);
    },
  },
});
declare function lookup(sku: string): string;
declare const warehouse: restate.VirtualObjectDefinition<"warehouse", { reserve(ctx: restate.ObjectContext, qty: number): Promise<void> }>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            data: {
              name: "byWarehouse",
              kind: "Map",
              site: "this loop",
              operation: "calls `c.objectClient`",
              sorted: "`[...byWarehouse.entries()].sort(...)` or restate-guard-runtime's `ordered(byWarehouse)`",
            },
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `export const cart = restate.object({
  name: "cart",
  handlers: {
    async checkout(c, req: { items: [string, number][] }) {
      const byWarehouse = new Map();
      for (const [sku, qty] of req.items) byWarehouse.set(lookup(sku), qty);
      for (const [wh, qty] of [...byWarehouse.entries()].sort(${ENTRIES})) await c.objectClient(warehouse, wh).reserve(qty);
    },
  },
});
declare function lookup(sku: string): string;
declare const warehouse: restate.VirtualObjectDefinition<"warehouse", { reserve(ctx: restate.ObjectContext, qty: number): Promise<void> }>;`,
              },
            ],
          },
        ],
      },
      {
        name: "m.values(): values cannot be sorted generically, so no suggestion",
        code:
          header +
          `export const jobs = restate.service({
  name: "jobs",
  handlers: {
    start: async (ctx: restate.Context, specs: { id: string; cmd: string }[]) => {
      const byId = new Map<string, { id: string; cmd: string }>();
      for (const s of specs) byId.set(s.id, s);
      for (const job of byId.values()) ctx.serviceSendClient(runner).run(job.cmd);
    },
  },
});
declare const runner: restate.ServiceDefinition<"runner", { run(ctx: restate.Context, cmd: string): Promise<void> }>;`,
        errors: [{ messageId: "mapIteration", line: 8, suggestions: [] }],
      },
      {
        name: "m.keys() of a Map<string, ...>: suggestion sorts the keys",
        code:
          header +
          `export const flags = restate.object({
  name: "flags",
  handlers: {
    reset: async (ctx: restate.ObjectContext, names: string[]) => {
      const touched = new Map<string, boolean>();
      for (const n of names) touched.set(n.trim(), true);
      for (const flag of touched.keys()) ctx.clear(flag);
    },
  },
});`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `export const flags = restate.object({
  name: "flags",
  handlers: {
    reset: async (ctx: restate.ObjectContext, names: string[]) => {
      const touched = new Map<string, boolean>();
      for (const n of names) touched.set(n.trim(), true);
      for (const flag of [...touched.keys()].sort()) ctx.clear(flag);
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "a Set<string> filled in a loop: suggestion sorts the strings; a Set<number> sorts numerically; an untyped Set gets no suggestion",
        code:
          header +
          `export const tags = restate.object({
  name: "tags",
  handlers: {
    sync: async (ctx: restate.ObjectContext, posts: { tags: string[]; ids: number[] }[]) => {
      const names = new Set<string>();
      const ids: Set<number> = new Set();
      const other = new Set();
      for (const p of posts) { p.tags.forEach((t) => names.add(t)); p.ids.forEach((i) => ids.add(i)); other.add(p); }
      for (const t of names) ctx.set(\`tag:\${t}\`, true);
      for (const id of ids) await ctx.run(\`index \${id}\`, () => index(id));
      for (const o of other) await ctx.run("other", () => index(0));
    },
  },
});
declare function index(id: number): Promise<void>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 10,
            data: { name: "names", kind: "Set", site: "this loop", operation: "calls `ctx.set`", sorted: "`[...names].sort(...)` or restate-guard-runtime's `ordered(names)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `export const tags = restate.object({
  name: "tags",
  handlers: {
    sync: async (ctx: restate.ObjectContext, posts: { tags: string[]; ids: number[] }[]) => {
      const names = new Set<string>();
      const ids: Set<number> = new Set();
      const other = new Set();
      for (const p of posts) { p.tags.forEach((t) => names.add(t)); p.ids.forEach((i) => ids.add(i)); other.add(p); }
      for (const t of [...names].sort()) ctx.set(\`tag:\${t}\`, true);
      for (const id of ids) await ctx.run(\`index \${id}\`, () => index(id));
      for (const o of other) await ctx.run("other", () => index(0));
    },
  },
});
declare function index(id: number): Promise<void>;`,
              },
            ],
          },
          {
            messageId: "mapIteration",
            line: 11,
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `export const tags = restate.object({
  name: "tags",
  handlers: {
    sync: async (ctx: restate.ObjectContext, posts: { tags: string[]; ids: number[] }[]) => {
      const names = new Set<string>();
      const ids: Set<number> = new Set();
      const other = new Set();
      for (const p of posts) { p.tags.forEach((t) => names.add(t)); p.ids.forEach((i) => ids.add(i)); other.add(p); }
      for (const t of names) ctx.set(\`tag:\${t}\`, true);
      for (const id of [...ids].sort((a, b) => a - b)) await ctx.run(\`index \${id}\`, () => index(id));
      for (const o of other) await ctx.run("other", () => index(0));
    },
  },
});
declare function index(id: number): Promise<void>;`,
              },
            ],
          },
          { messageId: "mapIteration", line: 12, suggestions: [] },
        ],
      },
      {
        name: "m.forEach with a state write in the callback (named imports under aliases)",
        code: `import { object as virtualObject, type ObjectContext as Octx } from "@restatedev/restate-sdk";
export const profile = virtualObject({
  name: "profile",
  handlers: {
    merge: async (ctx: Octx, patch: Record<string, string>) => {
      const changes = new Map<string, string>();
      for (const k of Object.keys(patch)) if (patch[k] !== "") changes.set(k, patch[k]);
      changes.forEach((value, field) => ctx.set(field, value));
    },
  },
});`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            column: 7,
            data: {
              name: "changes",
              kind: "Map",
              site: "the `forEach` callback",
              operation: "calls `ctx.set`",
              sorted: "`[...changes.entries()].sort(...)` or restate-guard-runtime's `ordered(changes)`",
            },
            suggestions: [],
          },
        ],
      },
      {
        name: "[...m].map with ctx.run inside Promise.all: the runs start in Map order; suggestion sorts the copy",
        code:
          header +
          `export const pricing = restate.service({
  name: "pricing",
  handlers: {
    quoteAll: async (ctx: restate.Context, carts: { id: string; total: number }[]) => {
      const totals = new Map<string, number>();
      for (const c of carts) totals.set(c.id, (totals.get(c.id) ?? 0) + c.total);
      return restate.RestatePromise.all([...totals].map(([id, total]) => ctx.run(\`quote \${id}\`, () => quote(id, total))));
    },
  },
});
declare function quote(id: string, total: number): Promise<number>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            data: { name: "totals", kind: "Map", site: "the `map` callback", operation: "calls `ctx.run`", sorted: "`[...totals.entries()].sort(...)` or restate-guard-runtime's `ordered(totals)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                data: { replacement: `[...totals].sort(${ENTRIES})` },
                output:
                  header +
                  `export const pricing = restate.service({
  name: "pricing",
  handlers: {
    quoteAll: async (ctx: restate.Context, carts: { id: string; total: number }[]) => {
      const totals = new Map<string, number>();
      for (const c of carts) totals.set(c.id, (totals.get(c.id) ?? 0) + c.total);
      return restate.RestatePromise.all([...totals].sort(${ENTRIES}).map(([id, total]) => ctx.run(\`quote \${id}\`, () => quote(id, total))));
    },
  },
});
declare function quote(id: string, total: number): Promise<number>;`,
              },
            ],
          },
        ],
      },
      {
        name: "Array.from(m.values()).forEach and Array.from(m, fn): both iterate in insertion order",
        code:
          header +
          `export const notifier = restate.service({
  name: "notifier",
  handlers: {
    send: async (ctx: restate.Context, events: { user: string; text: string }[]) => {
      const latest = new Map<string, string>();
      const seen = new Map<string, number>();
      for (const e of events) { latest.set(e.user, e.text); seen.set(e.user, 1); }
      Array.from(latest.values()).forEach((text) => ctx.serviceSendClient(push).send(text));
      const ids = Array.from(seen, ([user]) => ctx.rand.uuidv4() + user);
      return ids;
    },
  },
});
declare const push: restate.ServiceDefinition<"push", { send(ctx: restate.Context, text: string): Promise<void> }>;`,
        errors: [
          { messageId: "mapIteration", line: 9, data: { name: "latest", kind: "Map", site: "the `forEach` callback", operation: "calls `ctx.serviceSendClient`", sorted: "`[...latest.entries()].sort(...)` or restate-guard-runtime's `ordered(latest)`" }, suggestions: [] },
          { messageId: "mapIteration", line: 10, data: { name: "seen", kind: "Map", site: "the `Array.from` callback", operation: "calls `ctx.rand`", sorted: "`[...seen.entries()].sort(...)` or restate-guard-runtime's `ordered(seen)`" }, suggestions: [] },
        ],
      },
      {
        name: "a chain [...m.values()].filter(...).map(...).map(...): one report per iteration site, naming the first operation",
        code:
          header +
          `export const payouts = restate.service({
  name: "payouts",
  handlers: {
    pay: async (ctx: restate.Context, rows: { who: string; amount: number }[]) => {
      const owed = new Map<string, { who: string; amount: number }>();
      for (const r of rows) owed.set(r.who, r);
      const done = await restate.RestatePromise.all(
        [...owed.values()]
          .filter((o) => o.amount > 0)
          .map((o) => ({ ...o, id: ctx.rand.uuidv4() }))
          .map((o) => ctx.run(\`pay \${o.id}\`, () => transfer(o.who, o.amount))),
      );
      for (const o of owed.values()) { await ctx.sleep(10); ctx.set(o.who, 0); }
      return done;
    },
  },
});
declare function transfer(who: string, amount: number): Promise<string>;`,
        errors: [
          { messageId: "mapIteration", line: 9, data: { name: "owed", kind: "Map", site: "the `map` callback", operation: "calls `ctx.rand`", sorted: "`[...owed.entries()].sort(...)` or restate-guard-runtime's `ordered(owed)`" }, suggestions: [] },
          { messageId: "mapIteration", line: 14, data: { name: "owed", kind: "Map", site: "this loop", operation: "calls `ctx.sleep`", sorted: "`[...owed.entries()].sort(...)` or restate-guard-runtime's `ordered(owed)`" }, suggestions: [] },
        ],
      },
      {
        name: "sorting after the map callback is too late: the runs already happened in insertion order",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, ids: string[]) => {
      const m = new Map<string, string>();
      for (const id of ids) m.set(id.toLowerCase(), id);
      const results = [...m.keys()].map((k) => ctx.rand.uuidv4() + k).sort();
      return results;
    },
  },
});`,
        errors: [{ messageId: "mapIteration", line: 8, suggestions: [{ messageId: "iterateSorted", output:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, ids: string[]) => {
      const m = new Map<string, string>();
      for (const id of ids) m.set(id.toLowerCase(), id);
      const results = [...m.keys()].sort().map((k) => ctx.rand.uuidv4() + k).sort();
      return results;
    },
  },
});` }] }],
      },
      {
        name: "a helper taking the context and a Map parameter: its origin is unknown, so the order is too",
        code: `import type { Context as Ctx } from "@restatedev/restate-sdk";
export async function reserveAll(ctx: Ctx, reservations: ReadonlyMap<string, number>) {
  for (const [sku, qty] of reservations) {
    await ctx.run(\`reserve \${sku}\`, () => reserve(sku, qty));
  }
}
declare function reserve(sku: string, qty: number): Promise<void>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 3,
            data: { name: "reservations", kind: "Map", site: "this loop", operation: "calls `ctx.run`", sorted: "`[...reservations.entries()].sort(...)` or restate-guard-runtime's `ordered(reservations)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                output: `import type { Context as Ctx } from "@restatedev/restate-sdk";
export async function reserveAll(ctx: Ctx, reservations: ReadonlyMap<string, number>) {
  for (const [sku, qty] of [...reservations.entries()].sort(${ENTRIES})) {
    await ctx.run(\`reserve \${sku}\`, () => reserve(sku, qty));
  }
}
declare function reserve(sku: string, qty: number): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "the context handed to a helper inside the loop body",
        code:
          header +
          `async function ship(ctx: restate.Context, id: string) { await ctx.run("ship", () => id); }
async function process(ctx: restate.Context, orders: string[]) {
  const pending = new Set<string>();
  for (const o of orders) if (o) pending.add(o);
  for (const id of pending) await ship(ctx, id);
}
export const shipper = restate.service({ name: "shipper", handlers: { process } });`,
        errors: [
          {
            messageId: "mapIteration",
            line: 6,
            data: { name: "pending", kind: "Set", site: "this loop", operation: "passes `ctx` to `ship`", sorted: "`[...pending].sort(...)` or restate-guard-runtime's `ordered(pending)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `async function ship(ctx: restate.Context, id: string) { await ctx.run("ship", () => id); }
async function process(ctx: restate.Context, orders: string[]) {
  const pending = new Set<string>();
  for (const o of orders) if (o) pending.add(o);
  for (const id of [...pending].sort()) await ship(ctx, id);
}
export const shipper = restate.service({ name: "shipper", handlers: { process } });`,
              },
            ],
          },
        ],
      },
      {
        name: "a module-level cache differs per process and per replay; shared handler wrapper",
        code:
          header +
          `const subscribers = new Map<string, string>();
export function subscribe(id: string, url: string) { subscribers.set(id, url); }
export const feed = restate.object({
  name: "feed",
  handlers: {
    publish: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, text: string) => {
      for (const [id, url] of subscribers) {
        const muted = await ctx.get<boolean>(\`muted:\${id}\`);
        if (!muted) await ctx.run(\`post \${id}\`, () => post(url, text));
      }
    }),
  },
});
declare function post(url: string, text: string): Promise<void>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            data: { name: "subscribers", kind: "Map", site: "this loop", operation: "calls `ctx.get`", sorted: "`[...subscribers.entries()].sort(...)` or restate-guard-runtime's `ordered(subscribers)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `const subscribers = new Map<string, string>();
export function subscribe(id: string, url: string) { subscribers.set(id, url); }
export const feed = restate.object({
  name: "feed",
  handlers: {
    publish: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, text: string) => {
      for (const [id, url] of [...subscribers.entries()].sort(${ENTRIES})) {
        const muted = await ctx.get<boolean>(\`muted:\${id}\`);
        if (!muted) await ctx.run(\`post \${id}\`, () => post(url, text));
      }
    }),
  },
});
declare function post(url: string, text: string): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "a Set built from the request but added to afterwards: the order depends on what was added when",
        code:
          header +
          `export const invite = restate.workflow({
  name: "invite",
  handlers: {
    run: async (ctx: restate.WorkflowContext, req: { invitees: { email: string }[] }) => {
      const targets = new Set(req.invitees);
      const extra = await lookupExtra();
      for (const e of extra) targets.add(e);
      for (const t of targets) ctx.workflowSendClient(mailer, t.email).run(t.email);
    },
  },
});
declare function lookupExtra(): Promise<{ email: string }[]>;
declare const mailer: restate.WorkflowDefinition<"mailer", { run(ctx: restate.WorkflowContext, to: string): Promise<void> }>;`,
        errors: [{ messageId: "mapIteration", line: 9, suggestions: [] }],
      },
      {
        name: "a copy stored in a variable, then iterated with for...of and for await",
        code:
          header +
          `async function collect(ctx: restate.Context, parts: string[]) {
  const chunks = new Map<string, string>();
  for (const p of parts) chunks.set(p.slice(0, 3), p);
  const pending = Array.from(chunks.values());
  for (const chunk of pending) await ctx.run("store", () => store(chunk));
  const later = new Set<string>(parts.filter(Boolean));
  later.add("x");
  for await (const l of later) await ctx.sleep(l.length);
}
export const collector = restate.service({ name: "collector", handlers: { collect } });
declare function store(chunk: string): Promise<void>;`,
        errors: [
          { messageId: "mapIteration", line: 6, column: 23, data: { name: "chunks", kind: "Map", site: "this loop", operation: "calls `ctx.run`", sorted: "`[...chunks.entries()].sort(...)` or restate-guard-runtime's `ordered(chunks)`" }, suggestions: [] },
          {
            messageId: "mapIteration",
            line: 9,
            data: { name: "later", kind: "Set", site: "this loop", operation: "calls `ctx.sleep`", sorted: "`[...later].sort(...)` or restate-guard-runtime's `ordered(later)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `async function collect(ctx: restate.Context, parts: string[]) {
  const chunks = new Map<string, string>();
  for (const p of parts) chunks.set(p.slice(0, 3), p);
  const pending = Array.from(chunks.values());
  for (const chunk of pending) await ctx.run("store", () => store(chunk));
  const later = new Set<string>(parts.filter(Boolean));
  later.add("x");
  for await (const l of [...later].sort()) await ctx.sleep(l.length);
}
export const collector = restate.service({ name: "collector", handlers: { collect } });
declare function store(chunk: string): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "nested loops: the outer Map's order matters too; one report per Map, on the first operation",
        code:
          header +
          `export const grid = restate.service({
  name: "grid",
  handlers: {
    fill: async (ctx: restate.Context, cells: { row: string; col: string }[]) => {
      const rows = new Map<string, Set<string>>();
      for (const c of cells) rows.set(c.row, (rows.get(c.row) ?? new Set<string>()).add(c.col));
      for (const [row, cols] of rows) {
        ctx.console.log(row);
        for (const col of [...cols].sort()) await ctx.run(\`\${row}/\${col}\`, () => paint(row, col));
        await ctx.sleep(5);
      }
    },
  },
});
declare function paint(row: string, col: string): Promise<void>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 8,
            data: { name: "rows", kind: "Map", site: "this loop", operation: "calls `ctx.run`", sorted: "`[...rows.entries()].sort(...)` or restate-guard-runtime's `ordered(rows)`" },
            suggestions: [
              {
                messageId: "iterateSorted",
                output:
                  header +
                  `export const grid = restate.service({
  name: "grid",
  handlers: {
    fill: async (ctx: restate.Context, cells: { row: string; col: string }[]) => {
      const rows = new Map<string, Set<string>>();
      for (const c of cells) rows.set(c.row, (rows.get(c.row) ?? new Set<string>()).add(c.col));
      for (const [row, cols] of [...rows.entries()].sort(${ENTRIES})) {
        ctx.console.log(row);
        for (const col of [...cols].sort()) await ctx.run(\`\${row}/\${col}\`, () => paint(row, col));
        await ctx.sleep(5);
      }
    },
  },
});
declare function paint(row: string, col: string): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "iterator helpers on m.values() (Node 22+): the callback runs in insertion order",
        code:
          header +
          `async function approve(ctx: restate.ObjectContext, ids: string[]) {
  const open = new Map<string, boolean>();
  for (const id of ids) open.set(id, true);
  open.keys().forEach((id) => ctx.resolveAwakeable(id, "ok"));
}
export const approvals = restate.object({ name: "approvals", handlers: { approve } });`,
        errors: [{ messageId: "mapIteration", line: 5, suggestions: [] }],
      },
      {
        name: "ordered is imported: a second suggestion iterates ordered(m), reusing the import",
        code: `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";
export const stock = restate.object({
  name: "stock",
  handlers: {
    restock: async (ctx: restate.ObjectContext, lines: { sku: string; qty: number }[]) => {
      const bySku = new Map<string, number>();
      for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.qty);
      for (const [sku, qty] of bySku) await ctx.run(\`order \${sku}\`, () => supplier.order(sku, qty));
    },
  },
});
declare const supplier: { order(sku: string, qty: number): Promise<void> };`,
        errors: [
          {
            messageId: "mapIteration",
            line: 9,
            data: {
              name: "bySku",
              kind: "Map",
              site: "this loop",
              operation: "calls `ctx.run`",
              sorted: "`[...bySku.entries()].sort(...)` or restate-guard-runtime's `ordered(bySku)`",
            },
            suggestions: [
              {
                messageId: "iterateSorted",
                data: { replacement: `[...bySku.entries()].sort(${ENTRIES})` },
                output: `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";
export const stock = restate.object({
  name: "stock",
  handlers: {
    restock: async (ctx: restate.ObjectContext, lines: { sku: string; qty: number }[]) => {
      const bySku = new Map<string, number>();
      for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.qty);
      for (const [sku, qty] of [...bySku.entries()].sort(${ENTRIES})) await ctx.run(\`order \${sku}\`, () => supplier.order(sku, qty));
    },
  },
});
declare const supplier: { order(sku: string, qty: number): Promise<void> };`,
              },
              {
                messageId: "iterateOrdered",
                data: { replacement: "ordered(bySku)" },
                output: `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";
export const stock = restate.object({
  name: "stock",
  handlers: {
    restock: async (ctx: restate.ObjectContext, lines: { sku: string; qty: number }[]) => {
      const bySku = new Map<string, number>();
      for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.qty);
      for (const [sku, qty] of ordered(bySku)) await ctx.run(\`order \${sku}\`, () => supplier.order(sku, qty));
    },
  },
});
declare const supplier: { order(sku: string, qty: number): Promise<void> };`,
              },
            ],
          },
        ],
      },
      {
        name: "ordered imported under an alias: the suggestion uses the alias; a Map's keys are taken from its entries",
        code: `import * as restate from "@restatedev/restate-sdk";
import { ordered as byKey } from "restate-guard-runtime";
export async function expire(ctx: restate.ObjectContext, sessions: Map<string, number>) {
  for (const id of sessions.keys()) ctx.clear(\`session:\${id}\`);
}
export const sessionStore = restate.object({ name: "sessions", handlers: { expire } });`,
        errors: [
          {
            messageId: "mapIteration",
            line: 4,
            suggestions: [
              {
                messageId: "iterateSorted",
                output: `import * as restate from "@restatedev/restate-sdk";
import { ordered as byKey } from "restate-guard-runtime";
export async function expire(ctx: restate.ObjectContext, sessions: Map<string, number>) {
  for (const id of [...sessions.keys()].sort()) ctx.clear(\`session:\${id}\`);
}
export const sessionStore = restate.object({ name: "sessions", handlers: { expire } });`,
              },
              {
                messageId: "iterateOrdered",
                data: { replacement: "byKey(sessions).map(([key]) => key)" },
                output: `import * as restate from "@restatedev/restate-sdk";
import { ordered as byKey } from "restate-guard-runtime";
export async function expire(ctx: restate.ObjectContext, sessions: Map<string, number>) {
  for (const id of byKey(sessions).map(([key]) => key)) ctx.clear(\`session:\${id}\`);
}
export const sessionStore = restate.object({ name: "sessions", handlers: { expire } });`,
              },
            ],
          },
        ],
      },
      {
        name: "ordered through a namespace import: a Map's values and a Set of unknown elements (no generic sort, but ordered applies)",
        code: `import * as restate from "@restatedev/restate-sdk";
import * as guard from "restate-guard-runtime";
export const mailer = restate.service({
  name: "mailer",
  handlers: {
    send: async (ctx: restate.Context, input: { to: string[]; drafts: [string, string][] }) => {
      const drafts = new Map(input.drafts);
      drafts.set("footer", "--");
      for (const body of drafts.values()) await ctx.run("send", () => smtp.send(body));
      const recipients = new Set();
      for (const to of input.to) recipients.add(to);
      for (const to of recipients) ctx.serviceSendClient(audit).log(String(to));
    },
  },
});
declare const smtp: { send(body: string): Promise<void> };
declare const audit: restate.ServiceDefinition<"audit", { log(ctx: restate.Context, who: string): Promise<void> }>;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 9,
            suggestions: [
              {
                messageId: "iterateOrdered",
                data: { replacement: "guard.ordered(drafts).map(([, value]) => value)" },
                output: `import * as restate from "@restatedev/restate-sdk";
import * as guard from "restate-guard-runtime";
export const mailer = restate.service({
  name: "mailer",
  handlers: {
    send: async (ctx: restate.Context, input: { to: string[]; drafts: [string, string][] }) => {
      const drafts = new Map(input.drafts);
      drafts.set("footer", "--");
      for (const body of guard.ordered(drafts).map(([, value]) => value)) await ctx.run("send", () => smtp.send(body));
      const recipients = new Set();
      for (const to of input.to) recipients.add(to);
      for (const to of recipients) ctx.serviceSendClient(audit).log(String(to));
    },
  },
});
declare const smtp: { send(body: string): Promise<void> };
declare const audit: restate.ServiceDefinition<"audit", { log(ctx: restate.Context, who: string): Promise<void> }>;`,
              },
            ],
          },
          {
            messageId: "mapIteration",
            line: 12,
            suggestions: [
              {
                messageId: "iterateOrdered",
                data: { replacement: "guard.ordered(recipients)" },
                output: `import * as restate from "@restatedev/restate-sdk";
import * as guard from "restate-guard-runtime";
export const mailer = restate.service({
  name: "mailer",
  handlers: {
    send: async (ctx: restate.Context, input: { to: string[]; drafts: [string, string][] }) => {
      const drafts = new Map(input.drafts);
      drafts.set("footer", "--");
      for (const body of drafts.values()) await ctx.run("send", () => smtp.send(body));
      const recipients = new Set();
      for (const to of input.to) recipients.add(to);
      for (const to of guard.ordered(recipients)) ctx.serviceSendClient(audit).log(String(to));
    },
  },
});
declare const smtp: { send(body: string): Promise<void> };
declare const audit: restate.ServiceDefinition<"audit", { log(ctx: restate.Context, who: string): Promise<void> }>;`,
              },
            ],
          },
        ],
      },
      {
        name: "no ordered suggestion when the imported name is shadowed at the loop, when only its type is imported, or for a forEach callback",
        code: `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";
import type { ordered as orderedType } from "restate-guard-runtime";
export async function settle(ctx: restate.ObjectContext, owed: Map<string, number>, ordered: boolean) {
  for (const [who, amount] of owed) ctx.set(who, ordered ? amount : -amount);
  owed.forEach((amount, who) => ctx.set(who, amount));
}
export const payments = restate.object({ name: "payments", handlers: { settle } });
export type Ordered = typeof orderedType;`,
        errors: [
          {
            messageId: "mapIteration",
            line: 5,
            suggestions: [
              {
                messageId: "iterateSorted",
                output: `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";
import type { ordered as orderedType } from "restate-guard-runtime";
export async function settle(ctx: restate.ObjectContext, owed: Map<string, number>, ordered: boolean) {
  for (const [who, amount] of [...owed.entries()].sort(${ENTRIES})) ctx.set(who, ordered ? amount : -amount);
  owed.forEach((amount, who) => ctx.set(who, amount));
}
export const payments = restate.object({ name: "payments", handlers: { settle } });
export type Ordered = typeof orderedType;`,
              },
            ],
          },
          // forEach has no for...of to rewrite: the message names ordered, no suggestion rewrites it.
          { messageId: "mapIteration", line: 6, suggestions: [] },
        ],
      },
    ],
  });
}

// Without type information, only locals and parameters declared as a Map/Set are recognised.
ruleTester.run("no-map-iteration-with-context-calls (syntax only)", rule, {
  valid: [
    {
      // TODO: member chains (`this.pending`, `state.pending`) and function results need type information.
      name: "a Map held in an object property or returned by a function is not recognised without types",
      code:
        header +
        `class Batch { pending = new Map<string, string>(); }
declare function loadQuotas(): Map<string, number>;
export const batcher = restate.service({
  name: "batcher",
  handlers: {
    flush: async (ctx: restate.Context) => {
      const batch = new Batch();
      for (const [id, body] of batch.pending) await ctx.run(id, () => body);
      for (const [who] of loadQuotas()) ctx.serviceSendClient(quota).reset(who);
    },
  },
});
declare const quota: restate.ServiceDefinition<"quota", { reset(ctx: restate.Context, who: string): Promise<void> }>;`,
    },
  ],
  invalid: [],
});

// With type information, any expression whose type is a Map, Set or an iterator over one.
typedRuleTester.run("no-map-iteration-with-context-calls (typed only)", rule, {
  valid: [
    {
      // The runtime package may not be resolvable when the tests run (then `ordered` is an error type, see the
      // shared cases); here a local declaration with ordered's signature shows the typed path sees an array.
      name: "a function typed like restate-guard's ordered returns an array: its result is not a Map, whatever it was built from",
      code:
        header +
        `declare function ordered<K, V>(map: ReadonlyMap<K, V>, compare?: (a: K, b: K) => number): Array<[K, V]>;
export async function close(ctx: restate.ObjectContext, open: Map<string, number>) {
  const sorted = ordered(open);
  for (const [id, amount] of sorted) await ctx.run(\`close \${id}\`, () => settle(id, amount));
  for (const [id] of ordered(open).values()) ctx.clear(id);
}
export const accounts = restate.object({ name: "accounts", handlers: { close } });
declare function settle(id: string, amount: number): Promise<void>;`,
    },
    {
      name: "an array returned by a function is not a Map, whatever it is called",
      code:
        header +
        `declare function loadMap(): [string, number][];
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { for (const [k] of loadMap()) await ctx.run(k, () => 1); } },
});`,
    },
  ],
  invalid: [
    {
      name: "a Map held in an object property or returned by a function",
      code:
        header +
        `class Batch { pending = new Map<string, string>(); }
declare function loadQuotas(): Map<string, number>;
export const batcher = restate.service({
  name: "batcher",
  handlers: {
    flush: async (ctx: restate.Context) => {
      const batch = new Batch();
      for (const [id, body] of batch.pending) await ctx.run(id, () => body);
      for (const who of loadQuotas().keys()) ctx.serviceSendClient(quota).reset(who);
    },
  },
});
declare const quota: restate.ServiceDefinition<"quota", { reset(ctx: restate.Context, who: string): Promise<void> }>;`,
      errors: [
        {
          messageId: "mapIteration",
          line: 9,
          data: { name: "batch.pending", kind: "Map", site: "this loop", operation: "calls `ctx.run`", sorted: "`[...batch.pending.entries()].sort(...)` or restate-guard-runtime's `ordered(batch.pending)`" },
          suggestions: [
            {
              messageId: "iterateSorted",
              output:
                header +
                `class Batch { pending = new Map<string, string>(); }
declare function loadQuotas(): Map<string, number>;
export const batcher = restate.service({
  name: "batcher",
  handlers: {
    flush: async (ctx: restate.Context) => {
      const batch = new Batch();
      for (const [id, body] of [...batch.pending.entries()].sort(${ENTRIES})) await ctx.run(id, () => body);
      for (const who of loadQuotas().keys()) ctx.serviceSendClient(quota).reset(who);
    },
  },
});
declare const quota: restate.ServiceDefinition<"quota", { reset(ctx: restate.Context, who: string): Promise<void> }>;`,
            },
          ],
        },
        {
          messageId: "mapIteration",
          line: 10,
          data: { name: "loadQuotas()", kind: "Map", site: "this loop", operation: "calls `ctx.serviceSendClient`", sorted: "`[...loadQuotas().entries()].sort(...)` or restate-guard-runtime's `ordered(loadQuotas())`" },
          suggestions: [
            {
              messageId: "iterateSorted",
              output:
                header +
                `class Batch { pending = new Map<string, string>(); }
declare function loadQuotas(): Map<string, number>;
export const batcher = restate.service({
  name: "batcher",
  handlers: {
    flush: async (ctx: restate.Context) => {
      const batch = new Batch();
      for (const [id, body] of batch.pending) await ctx.run(id, () => body);
      for (const who of [...loadQuotas().keys()].sort()) ctx.serviceSendClient(quota).reset(who);
    },
  },
});
declare const quota: restate.ServiceDefinition<"quota", { reset(ctx: restate.Context, who: string): Promise<void> }>;`,
            },
          ],
        },
      ],
    },
    {
      name: "a Set whose element type is a string alias: only the types tell that sorting is meaningful",
      code:
        header +
        `type Sku = string;
export async function restock(ctx: restate.Context, skus: Set<Sku>) {
  for (const sku of skus) await ctx.run(\`restock \${sku}\`, () => order(sku));
}
declare function order(sku: string): Promise<void>;`,
      errors: [
        {
          messageId: "mapIteration",
          line: 4,
          suggestions: [
            {
              messageId: "iterateSorted",
              output:
                header +
                `type Sku = string;
export async function restock(ctx: restate.Context, skus: Set<Sku>) {
  for (const sku of [...skus].sort()) await ctx.run(\`restock \${sku}\`, () => order(sku));
}
declare function order(sku: string): Promise<void>;`,
            },
          ],
        },
      ],
    },
  ],
});
