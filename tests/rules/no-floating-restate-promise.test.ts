import rule from "../../rules/no-floating-restate-promise.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;
const decls = `
declare function charge(id: string): Promise<string>;
declare function audit(id: string): Promise<void>;`;
const worker = `const worker = restate.object({ name: "worker", handlers: { work: async (_ctx: restate.ObjectContext, n: number) => n } });\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-floating-restate-promise (${mode})`, rule, {
    valid: [
      {
        name: "awaited, returned, stored, combined and passed on: every Restate promise is consumed",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      await ctx.run("charge", () => charge(id));
      const slept = ctx.sleep(1000);
      const compensations: (() => Promise<unknown>)[] = [];
      compensations.push(() => ctx.run("undo", () => audit(id)));
      await restate.RestatePromise.all([slept, ctx.sleep(10)]);
      keep(ctx.run("later", () => audit(id)));
      return ctx.run("last", () => charge(id));
    },
  },
});
declare function keep(p: Promise<unknown>): void;` +
          decls,
      },
      {
        name: "an explicit void says the result is not wanted",
        code:
          header +
          worker +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { void ctx.objectClient(worker, "k").work(1); } },
});`,
      },
      {
        name: "send clients return an invocation handle, not a Restate promise; set/clear are synchronous",
        code:
          header +
          worker +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    bump: async (ctx: restate.ObjectContext) => {
      ctx.objectSendClient(worker, ctx.key).work(1);
      ctx.serviceSendClient({ name: "mailer" }).send({ to: "a" });
      ctx.set("count", 1);
      ctx.clear("old");
    },
  },
});`,
      },
      {
        name: "plain promises inside a ctx.run action are not durable code",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      await ctx.run("charge", async () => { audit(id); return charge(id); });
    },
  },
});` +
          decls,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `function f(ctx: { run(a: () => void): Promise<void> }) { ctx.run(() => {}); }`,
      },
      {
        name: ".then chains are left to no-native-promise-combinators",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, id: string) => { ctx.run("c", () => charge(id)).then(() => {}); } },
});` +
          decls,
      },
    ],
    invalid: [
      {
        name: "a run that is never awaited: its action never executes",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      ctx.run("audit", () => audit(id));
      return "done";
    },
  },
});` +
          decls,
        errors: [
          {
            messageId: "floatingRun",
            line: 6,
            suggestions: [
              {
                messageId: "suggestAwait",
                output:
                  header +
                  `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      await ctx.run("audit", () => audit(id));
      return "done";
    },
  },
});` +
                  decls,
              },
            ],
          },
        ],
      },
      {
        name: "a request-response call nobody awaits (method shorthand, other context name): send client or await",
        code:
          header +
          worker +
          `export const svc = restate.object({
  name: "svc",
  handlers: {
    async kick(c: restate.ObjectContext) {
      c.objectClient(worker, c.key).work(1);
    },
  },
});`,
        errors: [
          {
            messageId: "floatingCall",
            line: 7,
            suggestions: [
              {
                messageId: "suggestSend",
                output:
                  header +
                  worker +
                  `export const svc = restate.object({
  name: "svc",
  handlers: {
    async kick(c: restate.ObjectContext) {
      c.objectSendClient(worker, c.key).work(1);
    },
  },
});`,
              },
              {
                messageId: "suggestAwait",
                output:
                  header +
                  worker +
                  `export const svc = restate.object({
  name: "svc",
  handlers: {
    async kick(c: restate.ObjectContext) {
      await c.objectClient(worker, c.key).work(1);
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "a sleep in a non-async helper taking the context: no await suggestion",
        code:
          header +
          `function pause(ctx: restate.Context) {
  ctx.sleep(1000);
  return 1;
}
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => pause(ctx) } });`,
        errors: [{ messageId: "floatingWait", line: 3, suggestions: [] }],
      },
      {
        name: "named imports, handler wrapper, client held in a const: no send suggestion, await only",
        code: `import { object, handlers, type ObjectSharedContext, type ObjectContext } from "@restatedev/restate-sdk";
const worker = object({ name: "worker", handlers: { work: async (_ctx: ObjectContext, n: number) => n } });
export const svc = object({
  name: "svc",
  handlers: {
    peek: handlers.object.shared(async (ctx: ObjectSharedContext) => {
      const client = ctx.objectClient(worker, ctx.key);
      client.work(2);
    }),
  },
});`,
        errors: [
          {
            messageId: "floatingCall",
            line: 8,
            suggestions: [
              {
                messageId: "suggestAwait",
                output: `import { object, handlers, type ObjectSharedContext, type ObjectContext } from "@restatedev/restate-sdk";
const worker = object({ name: "worker", handlers: { work: async (_ctx: ObjectContext, n: number) => n } });
export const svc = object({
  name: "svc",
  handlers: {
    peek: handlers.object.shared(async (ctx: ObjectSharedContext) => {
      const client = ctx.objectClient(worker, ctx.key);
      await client.work(2);
    }),
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "a conditional run (`a && ctx.run(...)`) and an awakeable promise left floating",
        code:
          header +
          `async function run(ctx: restate.WorkflowContext, notify: boolean) {
  notify && ctx.run("notify", () => audit("x"));
  ctx.awakeable<string>().promise;
  ctx.promise<string>("approved").get();
}
export const wf = restate.workflow({ name: "wf", handlers: { run } });` +
          decls,
        errors: [
          { messageId: "floatingRun", line: 3, suggestions: [] },
          {
            messageId: "floatingWait",
            line: 4,
            suggestions: [
              {
                messageId: "suggestAwait",
                output:
                  header +
                  `async function run(ctx: restate.WorkflowContext, notify: boolean) {
  notify && ctx.run("notify", () => audit("x"));
  await ctx.awakeable<string>().promise;
  ctx.promise<string>("approved").get();
}
export const wf = restate.workflow({ name: "wf", handlers: { run } });` +
                  decls,
              },
            ],
          },
          {
            messageId: "floatingWait",
            line: 5,
            suggestions: [
              {
                messageId: "suggestAwait",
                output:
                  header +
                  `async function run(ctx: restate.WorkflowContext, notify: boolean) {
  notify && ctx.run("notify", () => audit("x"));
  ctx.awakeable<string>().promise;
  await ctx.promise<string>("approved").get();
}
export const wf = restate.workflow({ name: "wf", handlers: { run } });` +
                  decls,
              },
            ],
          },
        ],
      },
      {
        name: "a call with rpc.opts: a send client would not accept them, so only await is suggested",
        code:
          header +
          worker +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      ctx.objectClient(worker, "k").work(1, restate.rpc.opts({ idempotencyKey: "x" }));
    },
  },
});`,
        errors: [{ messageId: "floatingCall", line: 7, suggestions: [{ messageId: "suggestAwait", output: header + worker + `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      await ctx.objectClient(worker, "k").work(1, restate.rpc.opts({ idempotencyKey: "x" }));
    },
  },
});` }] }],
      },
    ],
  });
}

const helperCode =
  header +
  `declare function chargeIn(ctx: restate.Context, id: string): restate.RestatePromise<string>;
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      chargeIn(ctx, "a");
    },
  },
});`;

ruleTester.run("no-floating-restate-promise (syntax only)", rule, {
  valid: [
    {
      // TODO: without types, Restate promises returned by helpers are not recognised.
      name: "TODO: a helper's Restate promise left floating is only recognised with types",
      code: helperCode,
    },
  ],
  invalid: [],
});

typedRuleTester.run("no-floating-restate-promise (typed only)", rule, {
  valid: [],
  invalid: [
    {
      name: "with types, a floating promise typed RestatePromise from a helper counts",
      code: helperCode,
      errors: [
        {
          messageId: "floatingOther",
          line: 7,
          suggestions: [{ messageId: "suggestAwait", output: helperCode.replace('      chargeIn(ctx, "a");', '      await chargeIn(ctx, "a");') }],
        },
      ],
    },
  ],
});
