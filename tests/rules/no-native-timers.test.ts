import rule from "../../rules/no-native-timers.js";
import { bothTesters, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-native-timers (${mode})`, rule, {
    valid: [
      {
        name: "ctx.sleep is the durable timer",
        code:
          header +
          `export const reminder = restate.service({
  name: "reminder",
  handlers: {
    remind: async (ctx: restate.Context, ms: number) => {
      await ctx.sleep(ms);
      await ctx.run("notify", () => notify());
    },
  },
});
declare function notify(): Promise<void>;`,
      },
      {
        name: "a timer inside a ctx.run action simulates work: the action's result is journaled, it does not replay",
        code:
          header +
          `export const worker = restate.service({
  name: "worker",
  handlers: {
    process: async (ctx: restate.Context) => {
      await ctx.run("slow step", async () => {
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return 42;
      });
    },
  },
});`,
      },
      {
        name: "timers/promises inside a run action of a helper taking the context",
        code:
          header +
          `import { setTimeout as delay } from "node:timers/promises";
export function step(ctx: restate.ObjectContext, value: string) {
  return ctx.run(async () => {
    await delay(1);
    return value;
  });
}`,
      },
      {
        name: "globalThis.setTimeout with clearTimeout inside a run action (cancellable work)",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) =>
      ctx.run("long", () =>
        new Promise<string>((resolve) => {
          const t = globalThis.setTimeout(() => resolve("done"), 86_400_000);
          signal.addEventListener("abort", () => { clearTimeout(t); resolve("cancelled"); });
        }),
      ),
  },
});
declare const signal: AbortSignal;`,
      },
      {
        name: "a local helper only called from run actions is part of the side effect",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await ctx.run("step", () => pause(100));
    },
  },
});`,
      },
      {
        name: "a local function called setTimeout is not the global",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const setTimeout = (ms: number) => ctx.sleep(ms);
      await setTimeout(1000);
    },
  },
});`,
      },
      {
        name: "setTimeout imported from another module is not the native timer",
        code:
          header +
          `import { setTimeout, setInterval } from "./durable-timers";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await setTimeout(ctx, 10); setInterval(ctx, 5); } },
});`,
      },
      {
        name: "clearTimeout on its own is not reported",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, id: NodeJS.Timeout) => { clearTimeout(id); } },
});`,
      },
      {
        name: "module-level timers and plain helpers are not durable code",
        code:
          header +
          `setInterval(() => console.log("alive"), 60_000);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => { await ctx.sleep(10); } } });`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `export async function handle(ctx: { run(f: () => void): void }) { setTimeout(() => {}, 1); }`,
      },
      {
        name: "a reference to setTimeout that is not called",
        code:
          header +
          `import { promisify } from "node:util";
export const svc = restate.service({
  name: "svc",
  // TODO: a timer reached through a reference (promisify(setTimeout), a module-level sleep helper) is not followed.
  handlers: { a: async (ctx: restate.Context) => { await sleep(10); const p = promisify(setTimeout); } },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));`,
      },
    ],
    invalid: [
      {
        name: "the sleep idiom in a service handler: suggest ctx.sleep with the same delay",
        code:
          header +
          `export const reminder = restate.service({
  name: "reminder",
  handlers: {
    remind: async (ctx: restate.Context, delayMs: number) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs * 2));
      await ctx.run("notify", () => notify());
    },
  },
});
declare function notify(): Promise<void>;`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 6,
            data: { call: "setTimeout", ctx: "ctx" },
            suggestions: [
              {
                messageId: "useSleep",
                data: { ctx: "ctx", ms: "delayMs * 2" },
                output:
                  header +
                  `export const reminder = restate.service({
  name: "reminder",
  handlers: {
    remind: async (ctx: restate.Context, delayMs: number) => {
      await ctx.sleep(delayMs * 2);
      await ctx.run("notify", () => notify());
    },
  },
});
declare function notify(): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "sleep idiom with a block body and a resolve call, method shorthand object handler, context named otherwise",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    async add(context: restate.ObjectContext, n: number) {
      await new Promise<void>((done) => {
        setTimeout(() => done(), 1_000);
      });
      context.set("n", n);
    },
  },
});`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 7,
            data: { call: "setTimeout", ctx: "context" },
            suggestions: [
              {
                messageId: "useSleep",
                data: { ctx: "context", ms: "1_000" },
                output:
                  header +
                  `export const counter = restate.object({
  name: "counter",
  handlers: {
    async add(context: restate.ObjectContext, n: number) {
      await context.sleep(1_000);
      context.set("n", n);
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "await setTimeout(ms) from timers/promises under an alias, in a helper taking the context",
        code:
          header +
          `import { setTimeout as wait } from "node:timers/promises";
export async function retryLater(ctx: restate.Context, ms: number) {
  await wait(ms);
  return ctx.run("retry", () => 1);
}`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 4,
            data: { call: "wait", ctx: "ctx" },
            suggestions: [
              {
                messageId: "useSleep",
                data: { ctx: "ctx", ms: "ms" },
                output:
                  header +
                  `import { setTimeout as wait } from "node:timers/promises";
export async function retryLater(ctx: restate.Context, ms: number) {
  await ctx.sleep(ms);
  return ctx.run("retry", () => 1);
}`,
              },
            ],
          },
        ],
      },
      {
        name: "scheduler.wait from a timers/promises namespace import; the awaited value of setTimeout(ms, value) is kept (no suggestion)",
        code:
          header +
          `import * as tp from "timers/promises";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      await tp.scheduler.wait(500);
      const v = await tp.setTimeout(10, "value");
      return v;
    },
  },
});`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 7,
            data: { call: "tp.scheduler.wait", ctx: "ctx" },
            suggestions: [
              {
                messageId: "useSleep",
                data: { ctx: "ctx", ms: "500" },
                output:
                  header +
                  `import * as tp from "timers/promises";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      await ctx.sleep(500);
      const v = await tp.setTimeout(10, "value");
      return v;
    },
  },
});`,
              },
            ],
          },
          { messageId: "nativeTimer", line: 8, data: { call: "tp.setTimeout", ctx: "ctx" }, suggestions: [] },
        ],
      },
      {
        name: "setInterval, setImmediate and globalThis.setTimeout in a handler: callbacks that fire during replay or after the invocation",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const poll = setInterval(() => check(), 1000);
      setImmediate(() => flush());
      globalThis.setTimeout(() => flush(), 10);
      return String(poll);
    },
  },
});
declare function check(): void; declare function flush(): void;`,
        errors: [
          { messageId: "nativeTimer", line: 6, data: { call: "setInterval", ctx: "ctx" }, suggestions: [] },
          { messageId: "nativeTimer", line: 7, data: { call: "setImmediate", ctx: "ctx" }, suggestions: [] },
          { messageId: "nativeTimer", line: 8, data: { call: "globalThis.setTimeout", ctx: "ctx" }, suggestions: [] },
        ],
      },
      {
        name: "setTimeout imported from node:timers (named and namespace), handler referenced from elsewhere",
        code:
          header +
          `import { setTimeout as later } from "node:timers";
import timers from "timers";
async function process(ctx: restate.Context) {
  later(() => audit(), 10);
  timers.setImmediate(() => audit());
}
export const svc = restate.service({ name: "svc", handlers: { process } });
declare function audit(): void;`,
        errors: [
          { messageId: "nativeTimer", line: 5, data: { call: "later", ctx: "ctx" }, suggestions: [] },
          { messageId: "nativeTimer", line: 6, data: { call: "timers.setImmediate", ctx: "ctx" }, suggestions: [] },
        ],
      },
      {
        name: "a race against a rejecting timer on a Restate call: suggest orTimeout; shared handler wrapper with named imports",
        code: `import { object, handlers, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const quotes = object({
  name: "quotes",
  handlers: {
    quote: handlers.object.shared(async (c: ObjectSharedContext, item: string) => {
      return Promise.race([
        c.serviceClient(pricing).price(item),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
      ]);
    }),
  },
});
declare const pricing: any;`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 8,
            data: { call: "setTimeout", ctx: "c" },
            suggestions: [
              {
                messageId: "useOrTimeout",
                data: { promise: "c.serviceClient(pricing).price(item)", ms: "3000" },
                output: `import { object, handlers, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const quotes = object({
  name: "quotes",
  handlers: {
    quote: handlers.object.shared(async (c: ObjectSharedContext, item: string) => {
      return c.serviceClient(pricing).price(item).orTimeout(3000);
    }),
  },
});
declare const pricing: any;`,
              },
            ],
          },
        ],
      },
      {
        name: "a race of an awakeable's promise against a timer",
        code:
          header +
          `export const approvals = restate.workflow({
  name: "approvals",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => {
      const { id, promise } = ctx.awakeable<boolean>();
      await ctx.run("ask", () => ask(id));
      return await Promise.race([promise, new Promise<boolean>((_, rej) => setTimeout(rej, 60_000))]);
    },
  },
});
declare function ask(id: string): Promise<void>;`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 8,
            suggestions: [
              {
                messageId: "useOrTimeout",
                data: { promise: "promise", ms: "60_000" },
                output:
                  header +
                  `export const approvals = restate.workflow({
  name: "approvals",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => {
      const { id, promise } = ctx.awakeable<boolean>();
      await ctx.run("ask", () => ask(id));
      return await promise.orTimeout(60_000);
    },
  },
});
declare function ask(id: string): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "a race of a plain promise against a timer: reported, but orTimeout does not exist on it",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      return Promise.race([fetch("https://example.com"), new Promise((_, reject) => setTimeout(reject, 100))]);
    },
  },
});`,
        errors: [{ messageId: "nativeTimer", line: 6, suggestions: [] }],
      },
      {
        name: "race through some other library's race(): not Promise.race, so no orTimeout suggestion",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      return Bluebird.race([ctx.run(() => 1), new Promise((_, reject) => setTimeout(reject, 100))]);
    },
  },
});
declare const Bluebird: { race<T>(ps: Promise<T>[]): Promise<T> };`,
        errors: [{ messageId: "nativeTimer", line: 6, suggestions: [] }],
      },
      {
        name: "RestatePromise.race against a native timer on a run: suggest orTimeout",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      return restate.RestatePromise.race([new Promise<never>((_, reject) => setTimeout(reject, 100)), ctx.run("fetch", () => 1)]);
    },
  },
});`,
        errors: [
          {
            messageId: "nativeTimer",
            line: 6,
            suggestions: [
              {
                messageId: "useOrTimeout",
                data: { promise: 'ctx.run("fetch", () => 1)', ms: "100" },
                output:
                  header +
                  `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      return ctx.run("fetch", () => 1).orTimeout(100);
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "the context's name is shadowed at the timer: no context to name, no suggestion",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, jobs: { ctx: number }[]) => {
      for (const { ctx } of jobs) await new Promise((r) => setTimeout(r, ctx));
    },
  },
});`,
        errors: [{ messageId: "nativeTimerNoContext", line: 6, data: { call: "setTimeout" }, suggestions: [] }],
      },
      {
        name: "a timer in a nested callback of durable code still replays (not a run action)",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, ids: string[]) => {
      ids.forEach((id) => setTimeout(() => ctx.console.log(id), 10));
    },
  },
});`,
        errors: [{ messageId: "nativeTimer", line: 6, suggestions: [] }],
      },
    ],
  });
}

// Only type information can tell that a value from another function is a Restate promise.
typedRuleTester.run("no-native-timers (typed only)", rule, {
  valid: [],
  invalid: [
    {
      name: "a Restate promise returned by a helper races a timer: orTimeout suggested from its type",
      code:
        header +
        `function charge(ctx: restate.Context) { return ctx.run("charge", async () => "ok"); }
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const charged = charge(ctx);
      return Promise.race([charged, new Promise<string>((_, reject) => setTimeout(reject, 5000))]);
    },
  },
});`,
      errors: [
        {
          messageId: "nativeTimer",
          line: 8,
          suggestions: [
            {
              messageId: "useOrTimeout",
              data: { promise: "charged", ms: "5000" },
              output:
                header +
                `function charge(ctx: restate.Context) { return ctx.run("charge", async () => "ok"); }
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const charged = charge(ctx);
      return charged.orTimeout(5000);
    },
  },
});`,
            },
          ],
        },
      ],
    },
  ],
});
