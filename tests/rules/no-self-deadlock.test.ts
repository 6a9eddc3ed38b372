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
      {
        name: "TODO: a helper taking the context is not tied to the handler that calls it",
        code:
          header +
          `async function again(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).b(); }
export const counter = restate.object({
  name: "counter",
  handlers: {
    a: async (ctx: restate.ObjectContext) => { await again(ctx); },
    b: async (ctx: restate.ObjectContext) => {},
  },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `declare const ctx: any; const counter = {}; async function a() { await ctx.objectClient(counter, ctx.key).b(); }`,
      },
    ],
    invalid: [
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
