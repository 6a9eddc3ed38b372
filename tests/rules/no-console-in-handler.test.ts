import rule from "../../rules/no-console-in-handler.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-console-in-handler (${mode})`, rule, {
    valid: [
      {
        name: "ctx.console is replay-aware: it is the fix, never a problem",
        code:
          header +
          `export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      ctx.console.info("greeting", name);
      return "hi " + name;
    },
  },
});`,
      },
      {
        // Found by tests/fuzz: a `this` parameter was taken for a context, and the fix wrote `this.console`.
        name: "a TypeScript `this` parameter typed as a context is not a context parameter (nothing is passed in it)",
        code:
          header +
          `export function describe(this: restate.Context) {
  console.log("describing");
}`,
      },
      {
        name: "console inside a ctx.run action runs once per attempt, not on replay",
        code:
          header +
          `export const payments = restate.service({
  name: "payments",
  handlers: {
    pay: async (ctx: restate.Context, amount: number) => {
      await ctx.run("charge", async () => {
        console.log("charging", amount);
        return psp.charge(amount);
      });
    },
  },
});
declare const psp: { charge(amount: number): Promise<string> };`,
      },
      {
        name: "a local function only called from inside ctx.run actions is part of the side effect",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    sync: async (ctx: restate.Context) => {
      const upload = async () => { console.log("uploading"); await store.put(); };
      await ctx.run("upload", () => upload());
    },
  },
});
declare const store: { put(): Promise<void> };`,
      },
      {
        name: "a parameter called console is not the global console",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      report(ctx, ctx.console);
    },
  },
});
function report(ctx: restate.Context, console: Console) { console.log("done"); }`,
      },
      {
        name: "a local variable called console (here the context's own console) is not the global",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const console = ctx.console;
      console.log("replay-aware");
    },
  },
});`,
      },
      {
        name: "an imported logger called console is not the global",
        code:
          header +
          `import { console } from "./logger";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { console.log("structured"); } },
});`,
      },
      {
        name: "module-level code and plain functions are not replayed",
        code:
          header +
          `console.log("starting endpoint");
function format(x: number) { console.debug("formatting"); return x.toFixed(2); }
console.log(format(0));
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => ctx.console.log("a") } });
restate.serve({ services: [svc] }).then(() => console.info("listening"));`,
      },
      {
        name: "console methods that print nothing (time, groupEnd, countReset) are not reported",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { console.time("t"); console.groupEnd(); console.countReset(); } },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `export async function handle(ctx: { sleep(ms: number): Promise<void> }) { console.log("x"); }`,
      },
      {
        name: "console passed as a value is not a call (not reported)",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  // TODO: a reference to console.log handed to another function prints on replay too.
  handlers: { a: async (ctx: restate.Context, items: string[]) => { items.forEach(console.log); } },
});`,
      },
    ],
    invalid: [
      {
        name: "console.log in a service handler: fixed to the context's console",
        code:
          header +
          `export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      console.log("greeting", name);
      await ctx.sleep(1000);
      return "hi " + name;
    },
  },
});`,
        output:
          header +
          `export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      ctx.console.log("greeting", name);
      await ctx.sleep(1000);
      return "hi " + name;
    },
  },
});`,
        errors: [{ messageId: "consoleCall", line: 6, data: { call: "console.log", method: "log", ctx: "ctx" } }],
      },
      {
        name: "the context is called something else; method shorthand object handler",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    async checkout(context: restate.ObjectContext) {
      console.info(\`checking out \${context.key}\`);
    },
  },
});`,
        output:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    async checkout(context: restate.ObjectContext) {
      context.console.info(\`checking out \${context.key}\`);
    },
  },
});`,
        errors: [{ messageId: "consoleCall", line: 6, data: { call: "console.info", method: "info", ctx: "context" } }],
      },
      {
        name: "named imports under aliases, shared handler wrapper, console.error in a catch that replays",
        code: `import { object as virtualObject, handlers as h, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const account = virtualObject({
  name: "account",
  handlers: {
    balance: h.object.shared(async (c: ObjectSharedContext) => {
      try {
        return await c.get<number>("balance");
      } catch (e) {
        console.error("failed", e);
        throw e;
      }
    }),
  },
});`,
        output: `import { object as virtualObject, handlers as h, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const account = virtualObject({
  name: "account",
  handlers: {
    balance: h.object.shared(async (c: ObjectSharedContext) => {
      try {
        return await c.get<number>("balance");
      } catch (e) {
        c.console.error("failed", e);
        throw e;
      }
    }),
  },
});`,
        errors: [{ messageId: "consoleCall", line: 9, data: { call: "console.error", method: "error", ctx: "c" } }],
      },
      {
        name: "a handler declared elsewhere and referenced; unannotated context; globalThis.console",
        code:
          header +
          `async function process(ctx) {
  globalThis.console.warn("processing");
}
export const svc = restate.service({ name: "svc", handlers: { process } });`,
        output:
          header +
          `async function process(ctx) {
  ctx.console.warn("processing");
}
export const svc = restate.service({ name: "svc", handlers: { process } });`,
        errors: [{ messageId: "consoleCall", line: 3, data: { call: "globalThis.console.warn", method: "warn", ctx: "ctx" } }],
      },
      {
        name: "a helper taking the context is durable code too; inside a nested callback",
        code:
          header +
          `export async function notifyAll(ctx: restate.Context, users: string[]) {
  users.forEach((user) => console.debug("notifying", user));
  await ctx.run("notify", () => mailer.send(users));
}
declare const mailer: { send(users: string[]): Promise<void> };`,
        output:
          header +
          `export async function notifyAll(ctx: restate.Context, users: string[]) {
  users.forEach((user) => ctx.console.debug("notifying", user));
  await ctx.run("notify", () => mailer.send(users));
}
declare const mailer: { send(users: string[]): Promise<void> };`,
        errors: [{ messageId: "consoleCall", line: 3, data: { call: "console.debug", method: "debug", ctx: "ctx" } }],
      },
      {
        name: "destructured context parameter of a workflow helper",
        code: `import type { WorkflowContext } from "@restatedev/restate-sdk";
export async function step({ ctx, id }: { ctx: WorkflowContext; id: string }) {
  console.log("step", id);
}`,
        output: `import type { WorkflowContext } from "@restatedev/restate-sdk";
export async function step({ ctx, id }: { ctx: WorkflowContext; id: string }) {
  ctx.console.log("step", id);
}`,
        errors: [{ messageId: "consoleCall", line: 3, data: { call: "console.log", method: "log", ctx: "ctx" } }],
      },
      {
        name: "the context's name is shadowed where console is called: reported without a fix",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, rows: { ctx: string }[]) => {
      for (const { ctx } of rows) console.log(ctx);
    },
  },
});`,
        output: null,
        errors: [{ messageId: "consoleCallNoContext", line: 6, data: { call: "console.log", method: "log" } }],
      },
      {
        // Found by tests/autofix-all: `ctx.console` on an optional context does not type-check under strict.
        name: "an optional or possibly undefined context: reported without a fix (ctx.console would not type-check)",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx?: restate.Context) => { console.log("a"); } },
});
export async function helper(ctx: restate.Context | undefined) {
  const c = ctx;
  console.log("b", c);
}`,
        output: null,
        errors: [
          { messageId: "consoleCall", line: 4, data: { call: "console.log", method: "log", ctx: "ctx" } },
          { messageId: "consoleCall", line: 8, data: { call: "console.log", method: "log", ctx: "ctx" } },
        ],
      },
      {
        name: "a handler with a `this` parameter: the context is the first real parameter",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async function (this: unknown, ctx: restate.Context) {
      console.log("a");
    },
  },
});`,
        output:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async function (this: unknown, ctx: restate.Context) {
      ctx.console.log("a");
    },
  },
});`,
        errors: [{ messageId: "consoleCall", line: 6, data: { call: "console.log", method: "log", ctx: "ctx" } }],
      },
      {
        name: "console.table is not silenced by ctx.console (it inherits the global one): reported without a fix",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, rows: object[]) => { console.table(rows); } },
});`,
        output: null,
        errors: [{ messageId: "consoleUnfixable", line: 4, data: { call: "console.table", method: "table", ctx: "ctx" } }],
      },
      {
        name: "log functions destructured from the global console in a handler",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const { log, error, table } = console;
      log("hello");
    },
  },
});`,
        errors: [{ messageId: "consoleDestructured", line: 6, data: { names: "log, error", ctx: "ctx" } }],
      },
      {
        name: "console.log with optional chaining and a computed key",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { console?.["log"]("x"); } },
});`,
        output:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { ctx.console?.["log"]("x"); } },
});`,
        errors: [{ messageId: "consoleCall", line: 4 }],
      },
      {
        name: "workflow run handler and a shared handler in the same workflow",
        code: `import * as r from "@restatedev/restate-sdk";
export const signup = r.workflow({
  name: "signup",
  handlers: {
    run: async (wf: r.WorkflowContext, email: string) => {
      console.log("signing up", email);
      return wf.promise<string>("confirmed").get();
    },
    confirm: async (shared: r.WorkflowSharedContext, token: string) => {
      console.log("confirmed");
      await shared.promise<string>("confirmed").resolve(token);
    },
  },
});`,
        output: `import * as r from "@restatedev/restate-sdk";
export const signup = r.workflow({
  name: "signup",
  handlers: {
    run: async (wf: r.WorkflowContext, email: string) => {
      wf.console.log("signing up", email);
      return wf.promise<string>("confirmed").get();
    },
    confirm: async (shared: r.WorkflowSharedContext, token: string) => {
      shared.console.log("confirmed");
      await shared.promise<string>("confirmed").resolve(token);
    },
  },
});`,
        errors: [
          { messageId: "consoleCall", line: 6, data: { call: "console.log", method: "log", ctx: "wf" } },
          { messageId: "consoleCall", line: 10, data: { call: "console.log", method: "log", ctx: "shared" } },
        ],
      },
    ],
  });
}

// The global console in plain helpers: reported where durable code calls the helper, never inside it.
for (const [mode, tester] of bothTesters) {
  tester.run(`no-console-in-handler through helpers (${mode})`, rule, {
    valid: [
      {
        name: "a logging helper called only inside ctx.run and from start-up code: it prints once per attempt, not on replay",
        code:
          header +
          `function logCharge(amount: number) {
  console.log(\`charging \${amount}\`);
}
logCharge(0);
export const payments = restate.service({
  name: "payments",
  handlers: {
    charge: async (ctx: restate.Context, amount: number) => {
      await ctx.run("charge", async () => {
        logCharge(amount);
        await psp.charge(amount);
      });
    },
  },
});
declare const psp: { charge(amount: number): Promise<void> };`,
      },
      {
        name: "a helper that only returns a logging callback: calling it prints nothing",
        code:
          header +
          `const makeLogger = (prefix: string) => (line: string) => console.log(prefix + line);
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const log = makeLogger("[svc] ");
      return typeof log;
    },
  },
});`,
      },
      {
        name: "a helper whose console methods print nothing (time, countReset) is not reported",
        code:
          header +
          `function startTimer(label: string) { console.time(label); console.countReset(label); }
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => { startTimer("a"); } } });`,
      },
      {
        name: "recursion without any console call terminates and reports nothing",
        code:
          header +
          `function flatten(items: unknown[]): unknown[] {
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context, xs: unknown[]) => flatten(xs) } });`,
      },
      {
        name: "a helper logging through a console parameter (here the context's) is not the global console",
        code:
          header +
          `function report(log: Console, line: string) { log.info(line); }
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => { report(ctx.console, "a"); } } });`,
      },
    ],
    invalid: [
      {
        name: "a local logging helper called in a handler: reported at the call with the chain, not inside the helper",
        code:
          header +
          `function logCharge(amount: number) {
  console.log(\`charging \${amount}\`);
}
export const payments = restate.service({
  name: "payments",
  handlers: {
    charge: async (ctx: restate.Context, amount: number) => {
      logCharge(amount);
      await ctx.run("charge", () => psp.charge(amount));
    },
  },
});
declare const psp: { charge(amount: number): Promise<void> };`,
        errors: [
          {
            messageId: "consoleThroughCall",
            line: 9,
            data: { call: "logCharge(…)", ctx: "ctx", chain: "`logCharge` → `console.log` (file.ts:3)" },
          },
        ],
      },
      {
        name: "the same helper from a route, inside ctx.run and in the handler: only the handler's direct call; destructured and globalThis consoles count",
        code:
          header +
          `const { warn } = console;
export const trace = (step: string) => {
  warn(step);
  globalThis.console.table([step]);
};
export function route() { trace("route"); }
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (context: restate.Context) => {
      await context.run("step", () => trace("in run"));
      trace("handler");
    },
  },
});`,
        errors: [{ messageId: "consoleThroughCall", line: 13, data: { call: "trace(…)", ctx: "context", chain: "`trace` → `warn` (file.ts:4)" } }],
      },
      {
        name: "a helper that takes the context is durable code on its own: its console call is reported inside, not again at the call",
        code:
          header +
          `function audit(ctx: restate.Context, line: string) {
  console.log(line);
}
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => { audit(ctx, "a"); } } });`,
        errors: [{ messageId: "consoleCall", line: 3 }],
        output:
          header +
          `function audit(ctx: restate.Context, line: string) {
  ctx.console.log(line);
}
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => { audit(ctx, "a"); } } });`,
      },
      {
        name: "a method of a local class through this.m(), and a function of an object of helpers",
        code:
          header +
          `class AuditLog {
  write(line: string) { this.emit(\`[audit] \${line}\`); }
  private emit(text: string) { console.info(text); }
}
const audit = new AuditLog();
const log = {
  event(name: string) { console.debug(name); },
};
export const cart = restate.object({
  name: "cart",
  handlers: {
    async add(ctx: restate.ObjectContext, item: string) {
      audit.write(item);
      log.event("added");
      ctx.set("last", item);
    },
  },
});`,
        errors: [
          { messageId: "consoleThroughCall", line: 14, data: { call: "audit.write(…)", ctx: "ctx", chain: "`AuditLog.write` → `AuditLog.emit` → `console.info` (file.ts:4)" } },
          { messageId: "consoleThroughCall", line: 15, data: { call: "log.event(…)", ctx: "ctx", chain: "`log.event` → `console.debug` (file.ts:8)" } },
        ],
      },
      {
        name: "mutual recursion that logs on the way down is reported once, at the handler's call",
        code:
          header +
          `function walk(node: { children: unknown[] }, depth: number): void {
  for (const child of node.children) visit(child, depth + 1);
}
function visit(child: unknown, depth: number): void {
  if (typeof child === "object" && child !== null) walk(child as { children: unknown[] }, depth);
  else console.log(depth, child);
}
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, tree: { children: unknown[] }) => { walk(tree, 0); } },
});`,
        errors: [{ messageId: "consoleThroughCall", line: 11, data: { call: "walk(…)", ctx: "ctx", chain: "`walk` → `visit` → `console.log` (file.ts:7)" } }],
      },
    ],
  });
}

// With types, the checker resolves imports: a helper in another file of the program is followed.
typedRuleTester.run("no-console-in-handler through helpers (typed only)", rule, {
  valid: [
    {
      name: "typed: an imported logging helper called only inside ctx.run",
      code:
        header +
        `import { logEvent } from "./services/utils/logging.js";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { await ctx.run("log", () => logEvent("a", 1)); } },
});`,
    },
  ],
  invalid: [
    {
      name: "typed: logging helpers imported from services/utils (a function and a class method) are followed into their file",
      code:
        header +
        `import { AuditLog, logEvent } from "./services/utils/logging.js";
const audit = new AuditLog();
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      logEvent("started", id);
      audit.write(id);
    },
  },
});`,
      errors: [
        { messageId: "consoleThroughCall", line: 8, data: { call: "logEvent(…)", ctx: "ctx", chain: "`logEvent` → `console.info` (logging.ts:3)" } },
        { messageId: "consoleThroughCall", line: 9, data: { call: "audit.write(…)", ctx: "ctx", chain: "`AuditLog.write` → `AuditLog.emit` → `console.log` (logging.ts:11)" } },
      ],
    },
  ],
});

// Without types the same import is opaque: other files are not followed.
ruleTester.run("no-console-in-handler through helpers (syntax only)", rule, {
  valid: [
    {
      name: "without types other files are not followed: the logging helper imported from services/utils is not reported",
      code:
        header +
        `import { logEvent } from "./services/utils/logging.js";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => { logEvent("started", 1); } },
});`,
    },
  ],
  invalid: [],
});
