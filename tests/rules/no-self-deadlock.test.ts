import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import { expect, it } from "vitest";
import rule from "../../rules/no-self-deadlock.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-self-deadlock (${mode})`, rule, {
    valid: [
      {
        name: "a send to the same object and key does not wait: the message runs after the handler releases the lock",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {
      ctx.set("n", ((await ctx.get<number>("n")) ?? 0) + n);
      ctx.objectSendClient(counter, ctx.key).add(1, restate.rpc.sendOpts({ delay: 1000 }));
    },
  },
});`,
      },
      {
        name: "awaiting a SHARED handler of the same object and key does not take the lock",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {
      const current = await ctx.objectClient(counter, ctx.key).get();
      ctx.set("n", current + n);
    },
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("n")) ?? 0),
  },
});`,
      },
      {
        name: "the same object with a different key is another lock",
        code:
          header +
          `export const account = restate.object({
  name: "account",
  handlers: {
    transfer: async (ctx: restate.ObjectContext, req: { to: string; amount: number }) => {
      await ctx.objectClient(account, req.to).deposit(req.amount);
    },
    deposit: async (ctx: restate.ObjectContext, amount: number) => {
      ctx.set("balance", ((await ctx.get<number>("balance")) ?? 0) + amount);
    },
  },
});`,
      },
      {
        name: "another object with the same key is another lock",
        code:
          header +
          `const inventory = restate.object({ name: "inventory", handlers: { reserve: async (ctx: restate.ObjectContext) => true } });
export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      return await ctx.objectClient(inventory, ctx.key).reserve();
    },
  },
});`,
      },
      {
        name: "a shared handler calling an exclusive handler of its own key does not hold the lock",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    reset: async (ctx: restate.ObjectContext) => { ctx.clearAll(); },
    peekAndReset: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      await ctx.objectClient(counter, ctx.key).reset();
    }),
  },
});`,
      },
      {
        name: "a service has no key and no lock",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => { await ctx.serviceClient(svc).b(); },
    b: async (ctx: restate.Context) => {},
  },
});`,
      },
      {
        name: "the workflow's run calling its own shared handler (signal/query) does not deadlock",
        code:
          header +
          `export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => {
      return await ctx.workflowClient(signup, ctx.key).status();
    },
    status: async (ctx: restate.WorkflowSharedContext) => "running",
  },
});`,
      },
      {
        name: "a call whose promise is not awaited by the handler (the result is ignored) does not keep the lock",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { ctx.objectClient(counter, ctx.key).b(); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "a name literal of ANOTHER object with the handler's key",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      await ctx.objectClient<{ reserve: (ctx: restate.ObjectContext) => Promise<boolean> }>({ name: "inventory" }, ctx.key).reserve();
    },
    reserve: async (ctx: restate.ObjectContext) => true,
  },
});`,
      },
      {
        name: "a key computed from the handler's key is another key",
        code:
          header +
          `export const tree = restate.object({
  name: "tree",
  handlers: {
    grow: async (ctx: restate.ObjectContext) => { await ctx.objectClient(tree, ctx.key + "/child").grow(); },
  },
});`,
      },
      {
        name: "a client reassigned later is not followed",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext, other: string) => {
      let client = ctx.objectClient(counter, ctx.key);
      client = ctx.objectClient(counter, other);
      await client.b();
    },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "TODO: an awaited call inside a nested callback (e.g. RestatePromise.all over a map) is not followed",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext, items: number[]) => {
      await restate.RestatePromise.all(items.map((i) => ctx.objectClient(counter, ctx.key).b(i)));
    },
    b: async (ctx: restate.ObjectContext, i: number) => {},
  },
});`,
      },
      // ---- through helpers -------------------------------------------------------
      {
        name: "a helper that calls its own object with a DIFFERENT key (a parameter) takes another lock",
        code:
          header +
          `async function addTo(ctx: restate.ObjectContext, owner: string, item: string) {
  await ctx.objectClient(cart, owner).add(item);
}
export const cart = restate.object({
  name: "cart",
  handlers: {
    gift: async (ctx: restate.ObjectContext, req: { to: string; item: string }) => { await addTo(ctx, req.to, req.item); },
    add: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
  },
});`,
      },
      {
        name: "a helper that uses the SEND client does not wait: the message runs after the lock is released",
        code:
          header +
          `async function addLater(ctx: restate.ObjectContext, item: string) {
  ctx.objectSendClient(cart, ctx.key).add(item);
}
export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, item: string) => { await addLater(ctx, item); },
    add: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
  },
});`,
      },
      {
        name: "the helper called from a SHARED handler: it holds no lock",
        code:
          header +
          `async function refresh(ctx: restate.ObjectSharedContext) {
  await ctx.objectClient(cart, ctx.key).recompute();
}
export const cart = restate.object({
  name: "cart",
  handlers: {
    view: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => { await refresh(ctx); }),
    recompute: async (ctx: restate.ObjectContext) => { ctx.set("total", 0); },
  },
});`,
      },
      {
        name: "a helper awaiting ANOTHER object with the caller's key: another lock",
        code:
          header +
          `const inventory = restate.object({ name: "inventory", handlers: { hold: async (ctx: restate.ObjectContext) => {} } });
async function hold(ctx: restate.ObjectContext) { await ctx.objectClient(inventory, ctx.key).hold(); }
export const cart = restate.object({
  name: "cart",
  handlers: { checkout: async (ctx: restate.ObjectContext) => { await hold(ctx); } },
});`,
      },
      {
        name: "a helper awaiting a SHARED handler of the same object and key",
        code:
          header +
          `async function total(ctx: restate.ObjectContext) { return await ctx.objectClient(cart, ctx.key).total(); }
export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => { ctx.set("charged", await total(ctx)); },
    total: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("total")) ?? 0),
  },
});`,
      },
      {
        name: "the handler does not wait for the helper: the helper's call is only issued, the lock is released when the handler returns",
        code:
          header +
          `async function again(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).b(); }
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { void again(ctx); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "the helper does not wait for the call it makes: the handler then does not wait for it either",
        code:
          header +
          `async function fire(ctx: restate.ObjectContext) { ctx.objectClient(counter, ctx.key).b(); }
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { await fire(ctx); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "recursion through a helper that only sends terminates and reports nothing",
        code:
          header +
          `async function retry(ctx: restate.ObjectContext, n: number): Promise<void> {
  if (n > 0) await retry(ctx, n - 1);
  ctx.objectSendClient(counter, ctx.key).b();
}
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { await retry(ctx, 3); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "the helper gets a context built by the helper's caller that is not the handler's (here: none): its key is not known to be the handler's",
        code:
          header +
          `async function again(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).b(); }
declare const elsewhere: restate.ObjectContext;
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { await again(elsewhere); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "a helper that takes the context and journals its own work (state, run, a call to ANOTHER object) is fine",
        code:
          header +
          `const audit = restate.object({ name: "audit", handlers: { record: async (ctx: restate.ObjectContext, line: string) => {} } });
async function addItem(ctx: restate.ObjectContext, item: string) {
  const items = (await ctx.get<string[]>("items")) ?? [];
  ctx.set("items", [...items, item]);
  await ctx.run("price", () => item.length);
  await ctx.objectClient(audit, ctx.key).record(item);
}
export const cart = restate.object({
  name: "cart",
  handlers: { add: async (ctx: restate.ObjectContext, item: string) => { await addItem(ctx, item); } },
});`,
      },
      {
        name: "the self-calling helper is only reached from a ctx.run action, which the summaries do not follow (no-context-in-run reports the context there)",
        code:
          header +
          `async function again(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).b(); }
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { await ctx.run("again", () => again(ctx)); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      // ---- awakeables ---------------------------------------------------------------
      {
        name: "the awakeable's id is also SENT to another service: someone else can resolve it (strict no-blocking-in-exclusive-handler's business)",
        code:
          header +
          `const reviewers = restate.service({ name: "reviewers", handlers: { ask: async (ctx: restate.Context, id: string) => {} } });
export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.serviceSendClient(reviewers).ask(approval.id);
      ctx.set("approved", await approval.promise);
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "the awakeable is resolved by a SHARED handler: it runs while the exclusive one waits",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.set("approved", await approval.promise);
    },
    approve: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    }),
  },
});`,
      },
      {
        name: "the awakeable's id is RETURNED: the caller can resolve it",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.set("approved", await approval.promise);
      return approval.id;
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "a shared handler can read the stored id back and hand it out: not certain",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const { id, promise } = ctx.awakeable<boolean>();
      ctx.set("pending", id);
      ctx.set("approved", await promise);
    },
    pending: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get<string>("pending")),
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "the id is logged for a person to resolve through the ingress: not certain",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.console.log(\`approve with \${approval.id}\`);
      ctx.set("approved", await approval.promise);
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "the id is handed to a ctx.run action (it may notify anyone): not certain",
        code:
          header +
          `declare function notify(id: string): Promise<void>;
export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      await ctx.run("notify", () => notify(approval.id));
      ctx.set("approved", await approval.promise);
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "the wait has a timeout: it ends by itself",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.set("approved", await approval.promise.orTimeout(60_000));
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "handlers spread in from elsewhere may read the state: the object's handlers are not all known",
        code:
          header +
          `declare const more: Record<string, (ctx: restate.ObjectSharedContext) => Promise<unknown>>;
export const approvals = restate.object({
  name: "approvals",
  handlers: {
    ...more,
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.set("approved", await approval.promise);
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `declare const ctx: any; const counter = {}; async function a() { await ctx.objectClient(counter, ctx.key).b(); }`,
      },
    ],
    invalid: [
      // ---- through helpers -------------------------------------------------------
      {
        name: "an exclusive handler awaits a helper (same file) that awaits an exclusive handler of its own object with the helper's ctx.key",
        code:
          header +
          `async function reserve(ctx: restate.ObjectContext, item: string) {
  await ctx.objectClient(cart, ctx.key).add(item);
}
export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, item: string) => {
      await reserve(ctx, item);
      ctx.set("state", "ordered");
    },
    add: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
  },
});`,
        errors: [
          {
            messageId: "selfDeadlockThroughCall",
            line: 9,
            data: { handler: "checkout", what: "object", send: "objectSendClient", chain: "`reserve` → `objectClient(…).add` (file.ts:3)" },
          },
        ],
      },
      {
        name: "two helpers down, the context passed at another position each time, the key through `const { key } = ctx`, results returned",
        code:
          header +
          `async function addOne(item: string, c: restate.ObjectContext) {
  const { key } = c;
  return c.objectClient(cart, key).add(item);
}
async function addAll(ctx: restate.ObjectContext, items: string[]) {
  for (const item of items) await addOne(item, ctx);
}
export const cart = restate.object({
  name: "cart",
  handlers: {
    fill: async (ctx: restate.ObjectContext, items: string[]) => addAll(ctx, items),
    add: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
  },
});`,
        errors: [{ messageId: "selfDeadlockThroughCall", line: 12 }],
      },
      {
        name: "a function nested in the handler closes over the handler's own context and key",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, items: string[]) => {
      const addFirst = async () => {
        await ctx.objectClient(cart, ctx.key).add(items[0]);
      };
      await addFirst();
    },
    add: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
  },
});`,
        errors: [{ messageId: "selfDeadlockThroughCall", line: 9 }],
      },
      {
        name: "the same helper from an exclusive handler (reported) and from a shared one (not), passed through an alias of the context",
        code:
          header +
          `async function again(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).b(); }
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => {
      const c = ctx;
      await again(c);
    },
    peek: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => { await again(ctx as unknown as restate.ObjectContext); }),
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
        errors: [{ messageId: "selfDeadlockThroughCall", line: 8 }],
      },
      {
        name: "a workflow's run awaiting a helper that awaits the workflow's own run with the same key",
        code:
          header +
          `async function nextStep(ctx: restate.WorkflowContext, step: number): Promise<number> {
  return ctx.workflowClient(job, ctx.key).run(step + 1);
}
export const job = restate.workflow({
  name: "job",
  handlers: {
    run: async (ctx: restate.WorkflowContext, step: number): Promise<number> => (step > 3 ? step : await nextStep(ctx, step)),
  },
});`,
        errors: [{ messageId: "selfDeadlockThroughCall", line: 8, data: { handler: "run", what: "workflow", send: "workflowSendClient", chain: "`nextStep` → `workflowClient(…).run` (file.ts:3)" } }],
      },
      // ---- awakeables ---------------------------------------------------------------
      {
        name: "the awakeable's id only goes into this object's state, read back only by an EXCLUSIVE handler that resolves it: certain deadlock",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    request: async (ctx: restate.ObjectContext, doc: string) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      const ok = await approval.promise;
      ctx.set("approved", ok);
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
      ctx.clear("pending");
    },
  },
});`,
        errors: [{ messageId: "awakeableDeadlock", line: 8, data: { handler: "request", resolver: "approve", key: "pending" } }],
      },
      {
        name: "destructured awakeable, id through a const, rejected by the exclusive reader; a shared handler reading ANOTHER key changes nothing",
        code:
          header +
          `export const approvals = restate.object({
  name: "approvals",
  handlers: {
    async request(ctx: restate.ObjectContext) {
      const { id, promise } = ctx.awakeable<string>();
      const pendingId = id;
      ctx.set("pending", pendingId);
      return await promise;
    },
    async deny(ctx: restate.ObjectContext, reason: string) {
      const pending = await ctx.get<string>("pending");
      if (pending) ctx.rejectAwakeable(pending, reason);
    },
    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get<string>("status")),
  },
});`,
        errors: [{ messageId: "awakeableDeadlock", line: 9 }],
      },
      {
        name: "the result is not used: suggest the send client, which runs the call after the lock is released",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      ctx.set("state", "ordered");
      await ctx.objectClient(cart, ctx.key).clear();
    },
    clear: async (ctx: restate.ObjectContext) => ctx.clearAll(),
  },
});`,
        errors: [
          {
            messageId: "selfDeadlock",
            line: 7,
            suggestions: [
              {
                messageId: "useSendClient",
                output:
                  header +
                  `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      ctx.set("state", "ordered");
      ctx.objectSendClient(cart, ctx.key).clear();
    },
    clear: async (ctx: restate.ObjectContext) => ctx.clearAll(),
  },
});`,
              },
            ],
          },
        ],
      },
      {
        // Removing `await` would take the comment with it: the suggestion is only made when white space alone follows the keyword.
        name: "a comment between await and the call: no send-client suggestion",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      ctx.set("state", "ordered");
      await /* clear the cart */ ctx.objectClient(cart, ctx.key).clear();
    },
    clear: async (ctx: restate.ObjectContext) => ctx.clearAll(),
  },
});`,
        errors: [{ messageId: "selfDeadlock", line: 7, suggestions: [] }],
      },
      {
        name: "awaiting an exclusive handler of the same object and key: the callee queues behind the caller's lock",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    increment: async (ctx: restate.ObjectContext) => {
      const n = await ctx.objectClient(counter, ctx.key).get();
      ctx.set("n", n + 1);
    },
    get: async (ctx: restate.ObjectContext) => (await ctx.get<number>("n")) ?? 0,
  },
});`,
        errors: [{ messageId: "selfDeadlock", line: 6 }],
      },
      {
        name: "through a local const holding the client, and a const holding the key (named imports with aliases, method shorthand)",
        code: `import { object as virtualObject, type ObjectContext as Ctx } from "@restatedev/restate-sdk";
export const ledger = virtualObject({
  name: "ledger",
  handlers: {
    async settle(c: Ctx) {
      const key = c.key;
      const self = c.objectClient(ledger, key);
      await self.book(10);
    },
    async book(c: Ctx, amount: number) {
      c.set("total", amount);
    },
  },
});`,
        errors: [{ messageId: "selfDeadlock", line: 8 }],
      },
      {
        name: "returning the call: the handler's result waits for it too (arrow expression body, function declared elsewhere)",
        code:
          header +
          `const relay = (ctx: restate.ObjectContext) => ctx.objectClient(Relay, ctx.key).target();
async function viaReturn(context: restate.ObjectContext) {
  const { key } = context;
  return context.objectClient(Relay, key).target();
}
export const Relay = restate.object({
  name: "relay",
  handlers: {
    relay,
    viaReturn,
    target: async (ctx: restate.ObjectContext) => "done",
  },
});`,
        errors: [{ messageId: "selfDeadlock", line: 2 }, { messageId: "selfDeadlock", line: 5 }],
      },
      {
        name: "a { name } literal that equals the object's name, with an explicit exclusive wrapper on the callee",
        code:
          header +
          `type CounterApi = typeof counter;
export const counter = restate.object({
  name: "counter",
  handlers: {
    double: async (ctx: restate.ObjectContext) => {
      const client = ctx.objectClient<CounterApi>({ name: "counter" }, ctx.key);
      await client.add(2);
    },
    add: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext, n: number) => {
      ctx.set("n", n);
    }),
  },
});`,
        errors: [{ messageId: "selfDeadlock", line: 8 }],
      },
      {
        name: "a shared-annotated handler registered as a plain function is still EXCLUSIVE: calling it deadlocks",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    increment: async (ctx: restate.ObjectContext) => {
      await ctx.objectClient(counter, ctx.key).peek();
    },
    peek: async (ctx: restate.ObjectSharedContext) => ctx.get<number>("n"),
  },
});`,
        errors: [
          {
            messageId: "selfDeadlock",
            line: 6,
            suggestions: [
              {
                messageId: "useSendClient",
                output:
                  header +
                  `export const counter = restate.object({
  name: "counter",
  handlers: {
    increment: async (ctx: restate.ObjectContext) => {
      ctx.objectSendClient(counter, ctx.key).peek();
    },
    peek: async (ctx: restate.ObjectSharedContext) => ctx.get<number>("n"),
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "the workflow's run awaiting its own run with the same key",
        code:
          header +
          `export const job = restate.workflow({
  name: "job",
  handlers: {
    run: async (ctx: restate.WorkflowContext, step: number): Promise<number> => {
      if (step > 3) return step;
      return await ctx.workflowClient(job, ctx.key).run(step + 1);
    },
  },
});`,
        errors: [{ messageId: "selfDeadlock", line: 7 }],
      },
      {
        name: "a context alias still carries the handler's key",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => {
      const c = ctx;
      await c.objectClient(counter, c.key).b();
    },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
        errors: [
          {
            messageId: "selfDeadlock",
            data: { handler: "a", component: "counter", call: "b", what: "object", key: "c.key", ctx: "c", send: "objectSendClient", why: "it queues behind the key's lock" },
            suggestions: [
              {
                messageId: "useSendClient",
                data: { handler: "a", component: "counter", call: "b", what: "object", key: "c.key", ctx: "c", send: "objectSendClient", why: "it queues behind the key's lock" },
                output:
                  header +
                  `export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => {
      const c = ctx;
      c.objectSendClient(counter, c.key).b();
    },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
              },
            ],
          },
        ],
      },
    ],
  });
}

// A definition declared elsewhere: only its type says it is this object ("counter").
const declaredDefinition =
  header +
    `type Api = { b: (ctx: restate.ObjectContext) => Promise<void> };
declare const api: restate.VirtualObjectDefinition<"counter", Api>;
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { await ctx.objectClient(api, ctx.key).b(); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`;

ruleTester.run("no-self-deadlock (syntax, definition known only by type)", rule, {
  valid: [{ name: "without types the declared definition's name is unknown: not reported", code: declaredDefinition }],
  invalid: [],
});

typedRuleTester.run("no-self-deadlock (typed, definition known only by type)", rule, {
  valid: [],
  invalid: [
    {
      name: "with types, the definition's name literal type equals the object's name",
      code: declaredDefinition,
      errors: [
        {
          messageId: "selfDeadlock",
          line: 7,
          suggestions: [{ messageId: "useSendClient", output: declaredDefinition.replace("{ await ctx.objectClient(api, ctx.key).b(); }", "{ ctx.objectSendClient(api, ctx.key).b(); }") }],
        },
      ],
    },
  ],
});

// Helpers in another module of the services folder (tests/typed-fixture/services/self-deadlock.ts).
const crossFile = (call: string, name = "cart") =>
  header +
  `import { reserve, reserveAll, reserveFor, reserveLater } from "./services/self-deadlock.js";
export const cart = restate.object({
  name: "${name}",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      ${call}
    },
    add: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
  },
});
void [reserve, reserveAll, reserveFor, reserveLater];`;

ruleTester.run("no-self-deadlock (syntax, helper in another file)", rule, {
  valid: [{ name: "without types an imported helper is not followed: not reported", code: crossFile(`await reserve(ctx, "socks");`) }],
  invalid: [],
});

typedRuleTester.run("no-self-deadlock (typed, helper in another file)", rule, {
  valid: [
    { name: "the imported helper calls the cart with ANOTHER key", code: crossFile(`await reserveFor(ctx, "bob", "socks");`) },
    { name: "the imported helper uses the send client", code: crossFile(`reserveLater(ctx, "socks");`) },
    { name: "the helper's definition is the cart, but this object is another one (`wishlist`)", code: crossFile(`await reserve(ctx, "socks");`, "wishlist") },
  ],
  invalid: [
    {
      name: "an imported helper awaits the cart's exclusive `add` with the caller's key; its definition is imported there and known by its name type",
      code: crossFile(`await reserve(ctx, "socks");`),
      errors: [
        {
          messageId: "selfDeadlockThroughCall",
          line: 7,
          data: { handler: "checkout", what: "object", send: "objectSendClient", chain: "`reserve` → `objectClient(…).add` (self-deadlock.ts:15)" },
        },
      ],
    },
    {
      name: "two levels down in the other module (reserveAll → reserve)",
      code: crossFile(`await reserveAll(ctx, ["socks", "shoes"]);`),
      errors: [{ messageId: "selfDeadlockThroughCall", line: 7 }],
    },
  ],
});

it("no-self-deadlock: the through-helper and awakeable messages stay within 200 characters, with realistic names", () => {
  const code =
    header +
    `async function reserveInventory(ctx: restate.ObjectContext, item: string) {
  await ctx.objectClient(shoppingCart, ctx.key).addLineItem(item);
}
export const shoppingCart = restate.object({
  name: "shoppingCart",
  handlers: {
    checkoutOrder: async (ctx: restate.ObjectContext, item: string) => {
      await reserveInventory(ctx, item);
      const approval = ctx.awakeable<boolean>();
      ctx.set("pendingApproval", approval.id);
      await approval.promise;
    },
    addLineItem: async (ctx: restate.ObjectContext, item: string) => { ctx.set("items", [item]); },
    approveOrder: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pendingApproval");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});`;
  const messages = new Linter({ configType: "flat" }).verify(
    code,
    [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { restate: { rules: { "no-self-deadlock": rule } } as never }, rules: { "restate/no-self-deadlock": "error" } }],
    "services/shopping-cart.ts",
  );
  expect(messages.map((m) => m.messageId).sort()).toEqual(["awakeableDeadlock", "selfDeadlockThroughCall"]);
  for (const m of messages) expect(m.message.length, m.message).toBeLessThanOrEqual(200);
});
