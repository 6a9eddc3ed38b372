import rule from "../../rules/no-native-timers.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

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
  // TODO: a timer reached through a reference (promisify(setTimeout)) is not followed.
  handlers: { a: async (ctx: restate.Context) => { const p = promisify(setTimeout); } },
});`,
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

// Timers started by plain helpers: reported where durable code calls the helper, never inside it.
for (const [mode, tester] of bothTesters) {
  tester.run(`no-native-timers through helpers (${mode})`, rule, {
    valid: [
      {
        name: "a plain helper with a timer, called only inside ctx.run and from an HTTP route: the helper itself is not durable code",
        code:
          header +
          `export function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
export async function healthRoute() {
  await pause(10);
  return "ok";
}
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      await ctx.run("settle", () => pause(100));
    },
  },
});`,
      },
      {
        name: "a helper that only returns a function starting a timer: calling it starts nothing",
        code:
          header +
          `function debounced(fn: () => void) {
  return () => setTimeout(fn, 100);
}
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const flush = debounced(() => undefined);
      return typeof flush;
    },
  },
});`,
      },
      {
        name: "recursion without any timer terminates and reports nothing",
        code:
          header +
          `function depth(n: number): number {
  return n <= 0 ? 0 : 1 + depth(n - 1);
}
function isEven(n: number): boolean { return n === 0 ? true : isOdd(n - 1); }
function isOdd(n: number): boolean { return n === 0 ? false : isEven(n - 1); }
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, n: number) => depth(n) + (isEven(n) ? 1 : 0) },
});`,
      },
      {
        name: "a helper imported from a file that is not in the program is never followed (no declaration with a body)",
        code:
          header +
          `import { backoff } from "./services/utils/missing-timers.js";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await backoff(1); } },
});`,
      },
    ],
    invalid: [
      {
        name: "a module-level sleep helper declared after the handler (a const arrow) is followed",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await sleep(10); } },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));`,
        errors: [{ messageId: "timerThroughCall", line: 4, data: { call: "sleep(…)", ctx: "ctx", chain: "`sleep` → `setTimeout` (file.ts:6)" } }],
      },
      {
        name: "a local helper that waits with setTimeout, awaited in a handler: reported at the call with the chain, not inside the helper",
        code:
          header +
          `function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
export const reminder = restate.service({
  name: "reminder",
  handlers: {
    remind: async (ctx: restate.Context, ms: number) => {
      await pause(ms);
      await ctx.run("notify", () => notify());
    },
  },
});
declare function notify(): Promise<void>;`,
        errors: [
          {
            messageId: "timerThroughCall",
            line: 9,
            data: { call: "pause(…)", ctx: "ctx", chain: "`pause` → `setTimeout` (file.ts:3)" },
          },
        ],
      },
      {
        name: "the same helper called from a route, inside ctx.run and directly in the handler: only the handler's direct call is reported",
        code:
          header +
          `import { setTimeout as sleep } from "node:timers/promises";
export const backoff = async (attempt: number) => {
  await sleep(100 * 2 ** attempt);
};
export async function retryRoute() { await backoff(1); }
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, attempt: number) => {
      await ctx.run("backoff in a step", () => backoff(attempt));
      await backoff(attempt);
    },
  },
});`,
        errors: [{ messageId: "timerThroughCall", line: 12, data: { call: "backoff(…)", ctx: "ctx", chain: "`backoff` → `sleep` (file.ts:4)" } }],
      },
      {
        name: "a helper that takes the context is durable code on its own: its timer is reported inside, not again at the call",
        code:
          header +
          `function later(ctx: restate.Context, ms: number) {
  setTimeout(() => ctx.console.log("later"), ms);
}
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { later(ctx, 10); } },
});`,
        errors: [{ messageId: "nativeTimer", line: 3, suggestions: [] }],
      },
      {
        name: "a method of a local class held in a constant, through this.m(): the chain names both methods",
        code:
          header +
          `class Poller {
  async poll(check: () => boolean) {
    while (!check()) await this.tick();
  }
  private tick() {
    return new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
}
const poller = new Poller();
export const svc = restate.object({
  name: "svc",
  handlers: {
    wait: async (ctx: restate.ObjectContext) => {
      await poller.poll(() => true);
    },
  },
});`,
        errors: [
          {
            messageId: "timerThroughCall",
            line: 15,
            data: { call: "poller.poll(…)", ctx: "ctx", chain: "`Poller.poll` → `Poller.tick` → `setTimeout` (file.ts:7)" },
          },
        ],
      },
      {
        name: "a function of an object of helpers, in a nested callback of the handler",
        code:
          header +
          `const retry = {
  wait(attempt: number) {
    return new Promise((resolve) => setInterval(resolve, 100 * attempt));
  },
};
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, attempts: number[]) => {
      await Promise.all(attempts.map((n) => retry.wait(n)));
    },
  },
});`,
        errors: [{ messageId: "timerThroughCall", line: 11, data: { call: "retry.wait(…)", ctx: "ctx", chain: "`retry.wait` → `setInterval` (file.ts:4)" } }],
      },
      {
        name: "recursion: a retry loop that calls itself and a sleeping helper is reported once, at the handler's call",
        code:
          header +
          `async function retryLoop(n: number): Promise<void> {
  if (n === 0) return;
  await retryLoop(n - 1);
  await delay(n * 10);
}
function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await retryLoop(3); } },
});`,
        errors: [{ messageId: "timerThroughCall", line: 12, data: { call: "retryLoop(…)", ctx: "ctx", chain: "`retryLoop` → `delay` → `setTimeout` (file.ts:8)" } }],
      },
    ],
  });
}

// With types, the checker resolves imports: a helper in another file of the program is followed.
typedRuleTester.run("no-native-timers through helpers (typed only)", rule, {
  valid: [
    {
      name: "typed: a class that keeps the context in a field (`const ctx = this.ctx`): a timer inside its ctx.run action runs once, not on replay (modelled on the SDK's e2e interpreter)",
      code:
        header +
        `class Interpreter {
  constructor(private readonly ctx: restate.ObjectContext) {}
  async interpret(steps: number[]): Promise<void> {
    const ctx = this.ctx;
    for (const step of steps) {
      await ctx.run(() => new Promise((resolve) => { setTimeout(resolve, step); }));
    }
  }
}
export const interpreter = restate.object({
  name: "interpreter",
  handlers: { interpret: (ctx: restate.ObjectContext, steps: number[]) => new Interpreter(ctx).interpret(steps) },
});`,
    },
    {
      name: "typed: an imported timer helper called only inside ctx.run",
      code:
        header +
        `import { backoff } from "./services/utils/timers.js";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await ctx.run("wait", () => backoff(2)); } },
});`,
    },
  ],
  invalid: [
    {
      name: "typed: a timer helper imported from services/utils is followed into its file",
      code:
        header +
        `import { backoff, Poller } from "./services/utils/timers.js";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, attempt: number) => {
      await backoff(attempt);
      await new Poller().waitUntil(() => true);
    },
  },
});`,
      errors: [
        { messageId: "timerThroughCall", line: 7, data: { call: "backoff(…)", ctx: "ctx", chain: "`backoff` → `sleep` (timers.ts:5)" } },
        {
          messageId: "timerThroughCall",
          line: 8,
          data: { call: "new Poller().waitUntil(…)", ctx: "ctx", chain: "`Poller.waitUntil` → `pause` → `setTimeout` (timers.ts:8)" },
        },
      ],
    },
  ],
});

// Without types the same import is opaque: other files are not followed.
ruleTester.run("no-native-timers through helpers (syntax only)", rule, {
  valid: [
    {
      name: "without types other files are not followed: the timer helper imported from services/utils is not reported",
      code:
        header +
        `import { backoff } from "./services/utils/timers.js";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, attempt: number) => { await backoff(attempt); } },
});`,
    },
  ],
  invalid: [],
});
