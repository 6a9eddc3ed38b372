import rule from "../../rules/no-nondeterministic-calls.js";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

/** A service whose `handle` handler has `body` as its statements (body starts on line 6 with the header). */
const service = (body: string, after = "", imports = "") =>
  imports +
  header +
  `export const svc = restate.service({
  name: "svc",
  handlers: {
    handle: async (ctx: restate.Context, input: string) => {
${body}
    },
  },
});
${after}`;

/** A loop that sleeps and writes state, with `now` read in its body. */
const loop = (now: string) => `      for (const line of input.split(",")) {
        await ctx.sleep(10);
        if (${now} % 2 === 0) break;
        ctx.set(line, true);
      }
      return "done";`;

/** A handler whose last statement calls a send client created before `now` is read. */
const greeter = (now: string) =>
  header +
  `export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      const audit = ctx.serviceSendClient<{ record(entry: object): void }>({ name: "audit" });
      const at = ${now};
      return audit.record({ name, at });
    },
  },
});`;

/** An object whose `pay` handler has `body` as its statements (body starts on line 9, or later by the lines of `declarations`). */
const payments = (body: string, declarations = "") =>
  header +
  declarations +
  `const audit = restate.service({ name: "audit", handlers: { onError: async (ctx: restate.Context, report: { message: string; stack?: string }) => {} } });
const gateway = restate.service({ name: "gateway", handlers: { charge: async (ctx: restate.Context, card: string) => "ok" } });

export const orders = restate.object({
  name: "orders",
  handlers: {
    pay: async (ctx: restate.ObjectContext, card: string) => {
${body}
    },
  },
});`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-nondeterministic-calls (${mode})`, rule, {
    valid: [
      // restatedev/sdk-typescript#656 says a caught TerminalError's stack differs on replay. With SDK 1.17.2 it does not:
      // the SDK builds the error from the journaled failure on the first attempt too, so the stack has no frame of the
      // user's code and is the same on every replay (tests/server/no-nondeterministic-calls-stack.test.ts). Not reported.
      {
        name: "a caught error's stack written to state, directly, in a template, through String(), split, or a const: the same on replay (server-verified)",
        code: payments(
          `      try {
        await ctx.run("charge", () => chargeCard(card));
      } catch (e) {
        const err = e as Error;
        const trace = err.stack;
        ctx.set("lastError", err.stack);
        ctx.set("detail", \`failed: \${err.stack}\`);
        ctx.set("text", String(err.stack) + "!");
        ctx.set("frames", err.stack?.split("\\n"));
        ctx.set("trace", trace);
      }
      await ctx.run("notify", () => chargeCard("notify"));`,
          "declare function chargeCard(card: string): Promise<void>;\n",
        ),
      },
      {
        name: "#656's own shape: a called handler's error, name, message and stack in the argument of a call through a client (server-verified: the callee gets the same stack once)",
        code: payments(`      try {
        await ctx.serviceClient(gateway).charge(card);
      } catch (e) {
        const err = e as Error;
        await ctx.serviceClient(audit).onError({ message: err.message, stack: err.stack });
      }
      ctx.set("paid", false);`),
      },
      {
        name: "a stack from a .catch(...) callback or .then(_, onRejected) into an awakeable payload, a send, a run name: the same rebuilt error on replay",
        code: payments(`      const { id } = ctx.awakeable<string>();
      await ctx.serviceClient(gateway).charge(card).catch((e: Error) => {
        ctx.resolveAwakeable(id, e.stack);
        ctx.serviceSendClient(audit).onError({ message: e.message, stack: e.stack });
      });
      await ctx.serviceClient(gateway).charge(card).then(undefined, async (e: Error) => {
        await ctx.run(\`report \${e.stack}\`, () => "reported");
      });`),
      },
      {
        name: "the message of a caught TerminalError, which the journal holds, into state and a call argument",
        code: payments(`      try {
        await ctx.run("charge", () => "ok");
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          ctx.set("lastError", e.message);
          await ctx.serviceClient(audit).onError({ message: e.message });
        }
        throw e;
      }`),
      },
      {
        name: "a clock value that only sets a message's delay, directly, through a const or from a helper: a replay does not compare the delay (tests/server/rules.test.ts)",
        code: service(
          `      const reminder = 3_600_000 - (Date.now() % 1000);
      ctx.serviceSendClient(mailer).remind(input, restate.rpc.sendOpts({ delay: Date.now() + 60_000 - Date.now() }));
      ctx.serviceSendClient(mailer).remind(input, restate.rpc.sendOpts({ delay: reminder }));
      ctx.serviceSendClient(mailer).remind(input, restate.rpc.sendOpts({ delay: dayBefore(input) }));
      await ctx.sleep(10);`,
          `const mailer = restate.service({ name: "mailer", handlers: { remind: async (ctx: restate.Context, to: string) => {} } });
function dayBefore(date: string): number { return new Date(date).getTime() - Date.now() - 86_400_000; }`,
        ),
      },
      {
        name: "a function declared in the handler but only called inside ctx.run runs as part of that side effect",
        code: service(`      ctx.set("started", true);
      await ctx.run("log", () => audit());
      function audit() { return fetch("https://audit.example", { method: "POST", body: String(Date.now()) }); }`),
      },
      {
        name: "the journaled replacements: ctx.date.now() and ctx.rand are deterministic on replay",
        code: service(`      const now = await ctx.date.now();
      const id = ctx.rand.uuidv4();
      const roll = ctx.rand.random();
      ctx.set("last", { now, id, roll, since: new Date(await ctx.date.now()).toISOString() });`),
      },
      {
        name: "Date and Math functions that do not read a clock or a random source are deterministic",
        code: service(`      const due = new Date(input);
      const parsed = Date.parse(input);
      const epoch = Date.UTC(2024, 0, 1);
      const bucket = Math.floor(Math.max(parsed, epoch) / 1000);
      ctx.set("due", { due: due.toISOString(), bucket, copy: new Date(due) });`),
      },
      {
        name: "inside a ctx.run action the call runs once and its result is journaled (also in callbacks nested in the action)",
        code: service(
          `      const receipt = await ctx.run("charge", async () => {
        const attempt = { id: randomUUID(), at: Date.now(), jitter: Math.random(), started: new Date().toISOString() };
        const lines = input.split(",").map((line) => ({ line, id: randomUUID(), t: performance.now() }));
        return psp.charge(attempt, lines);
      });
      ctx.set("receipt", receipt);`,
          `declare const psp: { charge(attempt: object, lines: object[]): Promise<string> };`,
          `import { randomUUID } from "node:crypto";\n`,
        ),
      },
      {
        name: "a run action declared in the handler and passed by reference is side-effect code too",
        code: service(`      const stamp = () => ({ at: Date.now(), nonce: crypto.randomUUID() });
      const stamped = await ctx.run("stamp", stamp);
      ctx.set("stamp", stamped);`),
      },
      {
        name: "module-level code runs once per process, not per replay",
        code:
          header +
          `const startedAt = Date.now();
const instanceId = crypto.randomUUID();
export const health = restate.service({
  name: "health",
  handlers: {
    check: async (ctx: restate.Context) => {
      ctx.console.log("checked");
      await ctx.sleep(10);
      return { startedAt, instanceId };
    },
  },
});`,
      },
      {
        name: "a plain function that takes no context is not durable code",
        code:
          header +
          `export function backoff(attempt: number): number {
  return Math.min(30_000, 2 ** attempt * 100) * (0.5 + Math.random());
}
export function requestId(): string {
  return \`\${Date.now().toString(36)}-\${crypto.randomUUID()}\`;
}`,
      },
      {
        name: "a local class called Date is not the global Date",
        code: service(
          `      const d = new Date();
      ctx.set("today", d.toString() + Date.now());`,
          `class Date {
  static now(): number { return 0; }
  toString(): string { return "1970-01-01"; }
}`,
        ),
      },
      {
        name: "a local const Date and a parameter named Math shadow the globals",
        code:
          header +
          `const Date = { now: (): number => 42 };
export async function roll(ctx: restate.Context, Math: { random(): number }) {
  ctx.set("roll", { at: Date.now(), value: Math.random() });
}`,
      },
      {
        name: "uuid v3 and v5 are deterministic hashes of their input",
        code: service(
          `      const orderId = uuidv5(input, NAMESPACE);
      const legacyId = v3(input, NAMESPACE);
      ctx.set("ids", { orderId, legacyId });`,
          `const NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";`,
          `import { v5 as uuidv5, v3 } from "uuid";\n`,
        ),
      },
      {
        name: "uuid v4 given its random bytes (here from ctx.rand) is as deterministic as they are",
        code: service(
          `      const random = Uint8Array.from({ length: 16 }, () => Math.floor(ctx.rand.random() * 256));
      ctx.set("id", v4({ random }));`,
          "",
          `import { v4 } from "uuid";\n`,
        ),
      },
      {
        name: "creating a nanoid generator is not generating an id",
        code: service(
          `      const generator = customAlphabet("0123456789abcdef", input.length);
      ctx.set("alphabetSize", generator.length);`,
          "",
          `import { customAlphabet } from "nanoid";\n`,
        ),
      },
      {
        name: "allow: performance.now() only measures latency for a log line",
        options: [{ allow: ["performance.now"] }],
        code: service(`      const started = performance.now();
      await ctx.sleep(100);
      ctx.console.log(\`slept for \${performance.now() - started} ms\`);
      ctx.set("done", true);`),
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `export async function handle(ctx: { set(k: string, v: unknown): void }) { ctx.set("at", Date.now()); }`,
      },
      {
        name: "other now() and randomUUID(): a clock object passed in, and a project module",
        code: service(
          `      const at = clock.now();
      ctx.set("order", { id: randomUUID(), at, hash: createHash("sha256").update(input).digest("hex") });`,
          `declare const clock: { now(): number };`,
          `import { randomUUID } from "./ids.js";\nimport { createHash } from "node:crypto";\n`,
        ),
      },
      {
        name: "the value only reaches the handler's result: nothing is journaled after it (Restate's rate-limiter example does this)",
        code:
          `import * as restate from "@restatedev/restate-sdk";
import { object, type ObjectContext } from "@restatedev/restate-sdk";
export const limiter = object({
  name: "limiter",
  handlers: {
    tokens: async (ctx: ObjectContext) => {
      const tokens = refill((await ctx.get<number>("tokens")) ?? 0, Date.now());
      return tokens;
    },
    reserve: async (ctx: ObjectContext, n: number) => {
      const limit = (await ctx.get<number>("limit")) ?? Infinity;
      if (limit === Infinity) {
        const now = Date.now();
        return { ok: true, tokens: n, at: now };
      }
      const reservation = await ctx.run("reserve", () => ({ ok: n <= limit, tokens: n, at: Date.now() }));
      ctx.set("last", reservation.at);
      return reservation;
    },
    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const deadline = await ctx.get<number>("deadline");
      if (!deadline) return { remaining: -1 };
      const remaining = deadline - Date.now().valueOf();
      ctx.console.log("status", remaining);
      return { remaining: remaining > 0 ? remaining : 0, checkedAt: new Date().toISOString() };
    }),
  },
});
function refill(tokens: number, now: number): number { return tokens + now / 1000; }`,
      },
      {
        name: "a handler that never uses its context has nothing to journal but its result",
        code:
          header +
          `export const ping = restate.service({
  name: "ping",
  handlers: {
    ping: async () => ({ pong: true, at: new Date().toISOString(), id: crypto.randomUUID() }),
  },
});`,
      },
      {
        name: "restate-guard's durableDate(ctx) is the journaled clock: a Date from ctx.date.now(), never reported",
        code: service(
          `      const createdAt = await durableDate(ctx);
      const expires = new Date(createdAt.getTime() + 3_600_000);
      ctx.set("session", { createdAt: createdAt.toISOString(), expires: expires.toISOString() });`,
          "",
          `import { durableDate } from "restate-guard-runtime";\n`,
        ),
      },
    ],
    invalid: [
      {
        name: "in the same catch block, the clock is still reported while the caught error's stack next to it is not",
        code: payments(`      try {
        await ctx.run("charge", () => "ok");
      } catch (e) {
        ctx.set("lastError", { stack: (e as Error).stack, at: Date.now() });
      }
      await ctx.run("notify", () => "ok");`),
        errors: [
          {
            messageId: "time",
            line: 12,
            suggestions: [
              { messageId: "suggestDateNow", output: payments(`      try {
        await ctx.run("charge", () => "ok");
      } catch (e) {
        ctx.set("lastError", { stack: (e as Error).stack, at: await ctx.date.now() });
      }
      await ctx.run("notify", () => "ok");`) },
              { messageId: "suggestRun", output: payments(`      try {
        await ctx.run("charge", () => "ok");
      } catch (e) {
        ctx.set("lastError", { stack: (e as Error).stack, at: await ctx.run("now", () => Date.now()) });
      }
      await ctx.run("notify", () => "ok");`) },
            ],
          },
        ],
      },
      {
        name: "the same helper's value used for more than a delay (also returned into state) is reported",
        code: service(
          `      const delay = dayBefore(input);
      ctx.serviceSendClient(mailer).remind(input, restate.rpc.sendOpts({ delay }));
      ctx.set("remindIn", delay);`,
          `const mailer = restate.service({ name: "mailer", handlers: { remind: async (ctx: restate.Context, to: string) => {} } });
function dayBefore(date: string): number { return new Date(date).getTime() - Date.now() - 86_400_000; }`,
        ),
        errors: [{ messageId: "throughCall", line: 6 }],
      },
      {
        name: "the function read from the global into a constant and called under its own or another name: `const { now } = Date`, `const random = Math.random` (core/globals.ts resolveApi follows never-reassigned aliases)",
        code: service(`      const { now } = Date;
      const random = Math.random;
      ctx.set("x", { at: now(), roll: random() });`),
        errors: [
          {
            messageId: "time",
            line: 8,
            suggestions: [
              {
                messageId: "suggestDateNow",
                output: service(`      const { now } = Date;
      const random = Math.random;
      ctx.set("x", { at: await ctx.date.now(), roll: random() });`),
              },
              {
                messageId: "suggestRun",
                output: service(`      const { now } = Date;
      const random = Math.random;
      ctx.set("x", { at: await ctx.run("now", () => now()), roll: random() });`),
              },
            ],
          },
          { messageId: "random", line: 8 },
        ],
        output: service(`      const { now } = Date;
      const random = Math.random;
      ctx.set("x", { at: now(), roll: ctx.rand.random() });`),
      },
      {
        name: "the function read from the global under a name of the user's choosing: `const { now: clock } = Date`, `const roll = Math.random` (the cheap first look admits never-reassigned locals read from a member chain)",
        code: service(`      const { now: clock } = Date;
      const roll = Math.random;
      ctx.set("x", { at: clock(), dice: roll() });`),
        errors: [
          {
            messageId: "time",
            line: 8,
            suggestions: [
              {
                messageId: "suggestDateNow",
                output: service(`      const { now: clock } = Date;
      const roll = Math.random;
      ctx.set("x", { at: await ctx.date.now(), dice: roll() });`),
              },
              {
                messageId: "suggestRun",
                output: service(`      const { now: clock } = Date;
      const roll = Math.random;
      ctx.set("x", { at: await ctx.run("now", () => clock()), dice: roll() });`),
              },
            ],
          },
          { messageId: "random", line: 8 },
        ],
        output: service(`      const { now: clock } = Date;
      const roll = Math.random;
      ctx.set("x", { at: clock(), dice: ctx.rand.random() });`),
      },
      {
        name: "an optional context (ctx?: Context): ctx.rand would not type-check, so the edit is a suggestion, not an autofix",
        code: `import * as restate from "@restatedev/restate-sdk";
export async function jitter(ctx?: restate.Context) {
  return Math.random();
}`,
        errors: [{ messageId: "random", suggestions: [{ messageId: "suggestRand", output: `import * as restate from "@restatedev/restate-sdk";
export async function jitter(ctx?: restate.Context) {
  return ctx.rand.random();
}` }] }],
      },
      {
        name: "randomUUID() into a value typed UUID: a plain string would not type-check, so no autofix",
        code: `import { randomUUID, type UUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
export async function open(ctx: restate.Context) {
  const id: UUID = randomUUID();
  ctx.set("id", id);
}`,
        errors: [{ messageId: "id", suggestions: [{ messageId: "suggestRand", output: `import { randomUUID, type UUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
export async function open(ctx: restate.Context) {
  const id: UUID = ctx.rand.uuidv4();
  ctx.set("id", id);
}` }, { messageId: "suggestRun", output: `import { randomUUID, type UUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
export async function open(ctx: restate.Context) {
  const id: UUID = await ctx.run("id", () => randomUUID());
  ctx.set("id", id);
}` }] }],
      },
      {
        // Found by tests/autofix-all: without types, only the text can show where the UUID type went.
        name: "randomUUID() into a type derived with typeof randomUUID: a plain string would not type-check, so no autofix",
        code: `import { randomUUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
type Id = ReturnType<typeof randomUUID>;
export async function open(ctx: restate.Context) {
  const id: Id = randomUUID();
  ctx.set("id", id);
}`,
        errors: [{ messageId: "id", suggestions: [{ messageId: "suggestRand", output: `import { randomUUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
type Id = ReturnType<typeof randomUUID>;
export async function open(ctx: restate.Context) {
  const id: Id = ctx.rand.uuidv4();
  ctx.set("id", id);
}` }, { messageId: "suggestRun", output: `import { randomUUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";
type Id = ReturnType<typeof randomUUID>;
export async function open(ctx: restate.Context) {
  const id: Id = await ctx.run("id", () => randomUUID());
  ctx.set("id", id);
}` }] }],
      },
      {
        name: "Date.now() written to state: on replay the value differs from the journal",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: string) => {
      ctx.set("updatedAt", Date.now());
      ctx.set("item", item);
    },
  },
});`,
        errors: [
          {
            messageId: "time",
            line: 6,
            data: { call: "Date.now()", ctx: "ctx", name: "Date.now" },
            suggestions: [
              {
                messageId: "suggestDateNow",
                data: { ctx: "ctx", name: "now" },
                output:
                  header +
                  `export const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: string) => {
      ctx.set("updatedAt", await ctx.date.now());
      ctx.set("item", item);
    },
  },
});`,
              },
              {
                messageId: "suggestRun",
                data: { ctx: "ctx", name: "now" },
                output:
                  header +
                  `export const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: string) => {
      ctx.set("updatedAt", await ctx.run("now", () => Date.now()));
      ctx.set("item", item);
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "Date.now() as the object of a member access: the await is parenthesised; in a subtraction it is not",
        code: service(`      const stamp = Date.now().toString(36);
      await ctx.sleep(1000);
      ctx.set("stamp", { stamp, age: Date.now() - Number(input) });`),
        errors: [
          {
            messageId: "time",
            line: 6,
            suggestions: [
              {
                messageId: "suggestDateNow",
                output: service(`      const stamp = (await ctx.date.now()).toString(36);
      await ctx.sleep(1000);
      ctx.set("stamp", { stamp, age: Date.now() - Number(input) });`),
              },
              {
                messageId: "suggestRun",
                output: service(`      const stamp = (await ctx.run("now", () => Date.now())).toString(36);
      await ctx.sleep(1000);
      ctx.set("stamp", { stamp, age: Date.now() - Number(input) });`),
              },
            ],
          },
          {
            messageId: "time",
            line: 8,
            suggestions: [
              {
                messageId: "suggestDateNow",
                output: service(`      const stamp = Date.now().toString(36);
      await ctx.sleep(1000);
      ctx.set("stamp", { stamp, age: await ctx.date.now() - Number(input) });`),
              },
              {
                messageId: "suggestRun",
                output: service(`      const stamp = Date.now().toString(36);
      await ctx.sleep(1000);
      ctx.set("stamp", { stamp, age: await ctx.run("now", () => Date.now()) - Number(input) });`),
              },
            ],
          },
        ],
      },
      {
        name: "new Date() in a method-shorthand handler whose context is called `context`: the suggestions journal a number, not a Date",
        code:
          header +
          `export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", new Date().toISOString());
    },
  },
});`,
        errors: [
          {
            messageId: "date",
            data: { call: "new Date()", ctx: "context", name: "new Date" },
            suggestions: [
              {
                messageId: "suggestNewDate",
                data: { ctx: "context", name: "now" },
                output:
                  header +
                  `export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", new Date(await context.date.now()).toISOString());
    },
  },
});`,
              },
              {
                messageId: "suggestRun",
                data: { ctx: "context", name: "now" },
                output:
                  header +
                  `export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", new Date(await context.run("now", () => Date.now())).toISOString());
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "`new Date` without parentheses and `Date()` called as a function (a string)",
        code: service(`      const created = new Date;
      const label = Date();
      ctx.set("created", { created, label });`),
        errors: [
          {
            messageId: "date",
            line: 6,
            data: { call: "new Date()", ctx: "ctx", name: "new Date" },
            suggestions: [
              {
                messageId: "suggestNewDate",
                output: service(`      const created = new Date(await ctx.date.now());
      const label = Date();
      ctx.set("created", { created, label });`),
              },
              {
                messageId: "suggestRun",
                output: service(`      const created = new Date(await ctx.run("now", () => Date.now()));
      const label = Date();
      ctx.set("created", { created, label });`),
              },
            ],
          },
          {
            messageId: "time",
            line: 7,
            data: { call: "Date()", ctx: "ctx", name: "Date" },
            suggestions: [
              {
                messageId: "suggestDateString",
                output: service(`      const created = new Date;
      const label = new Date(await ctx.date.now()).toString();
      ctx.set("created", { created, label });`),
              },
              {
                messageId: "suggestRun",
                output: service(`      const created = new Date;
      const label = await ctx.run("now", () => Date());
      ctx.set("created", { created, label });`),
              },
            ],
          },
        ],
      },
      {
        name: "Math.random() deciding a branch that sleeps: autofixed to ctx.rand.random()",
        code: service(`      if (Math.random() < 0.5) await ctx.sleep(1000);
      ctx.set("done", true);`),
        output: service(`      if (ctx.rand.random() < 0.5) await ctx.sleep(1000);
      ctx.set("done", true);`),
        errors: [{ messageId: "random", line: 6, data: { call: "Math.random()", ctx: "ctx", name: "Math.random" } }],
      },
      {
        name: "globalThis.Math.random() in a synchronous callback: the autofix needs no await",
        code: service(`      const weights = input.split(",").map(() => globalThis.Math.random());
      ctx.set("weights", weights);`),
        output: service(`      const weights = input.split(",").map(() => ctx.rand.random());
      ctx.set("weights", weights);`),
        errors: [{ messageId: "random", data: { call: "globalThis.Math.random()", ctx: "ctx", name: "Math.random" } }],
      },
      {
        name: "the global crypto.randomUUID() and globalThis.crypto.randomUUID(): autofixed to ctx.rand.uuidv4()",
        code: service(`      const paymentId = crypto.randomUUID();
      await ctx.objectSendClient<{ charge(id: string): void }>({ name: "psp" }, input).charge(paymentId);
      ctx.set("traceId", globalThis.crypto.randomUUID());`),
        output: service(`      const paymentId = ctx.rand.uuidv4();
      await ctx.objectSendClient<{ charge(id: string): void }>({ name: "psp" }, input).charge(paymentId);
      ctx.set("traceId", ctx.rand.uuidv4());`),
        errors: [
          { messageId: "id", line: 6, data: { call: "crypto.randomUUID()", ctx: "ctx", name: "crypto.randomUUID" } },
          { messageId: "id", line: 8, data: { call: "globalThis.crypto.randomUUID()", ctx: "ctx", name: "crypto.randomUUID" } },
        ],
      },
      {
        name: "randomUUID imported from node:crypto: the autofix removes the import with its last use",
        code: `import { randomUUID } from "node:crypto";
${service(`      ctx.set("requestId", randomUUID());`)}`,
        output: service(`      ctx.set("requestId", ctx.rand.uuidv4());`),
        errors: [{ messageId: "id", line: 7, data: { call: "randomUUID()", ctx: "ctx", name: "crypto.randomUUID" } }],
      },
      {
        name: "an aliased named import next to one still used: only its specifier goes",
        code: `import { randomUUID as newId, createHash } from "crypto";
${service(`      ctx.set("order", { id: newId(), digest: createHash("sha1").update(input).digest("hex") });`)}`,
        output: `import { createHash } from "crypto";
${service(`      ctx.set("order", { id: ctx.rand.uuidv4(), digest: createHash("sha1").update(input).digest("hex") });`)}`,
        errors: [{ messageId: "id", data: { call: "newId()", ctx: "ctx", name: "crypto.randomUUID" } }],
      },
      {
        name: "several uses of one import: all fixed in one pass, the import removed once (a second pass changes nothing)",
        code: `import { randomUUID } from "node:crypto";
import { v5 } from "uuid";
${service(`      const orderId = randomUUID();
      const roll = Math.random();
      ctx.set("order", { orderId, roll, lineId: randomUUID(), key: v5(input, orderId) });`)}`,
        output: `import { v5 } from "uuid";
${service(`      const orderId = ctx.rand.uuidv4();
      const roll = ctx.rand.random();
      ctx.set("order", { orderId, roll, lineId: ctx.rand.uuidv4(), key: v5(input, orderId) });`)}`,
        errors: [{ messageId: "id" }, { messageId: "random" }, { messageId: "id" }],
      },
      {
        name: "an import also used inside ctx.run stays",
        code: `import { randomUUID } from "node:crypto";
${service(`      const key = randomUUID();
      await ctx.run("upload", () => store.put(key, randomUUID()));
      ctx.set("key", key);`, `declare const store: { put(k: string, v: string): Promise<void> };`)}`,
        output: `import { randomUUID } from "node:crypto";
${service(`      const key = ctx.rand.uuidv4();
      await ctx.run("upload", () => store.put(key, randomUUID()));
      ctx.set("key", key);`, `declare const store: { put(k: string, v: string): Promise<void> };`)}`,
        errors: [{ messageId: "id", line: 7 }],
      },
      {
        name: "two imports from two modules, each losing its last use, in one pass",
        code: `import crypto from "node:crypto";
import { v4 as uuidv4, validate } from "uuid";
${service(`      const a = crypto.randomUUID();
      const b = uuidv4();
      ctx.set("ids", { a, b, ok: validate(a) });`)}`,
        output: `import { validate } from "uuid";
${service(`      const a = ctx.rand.uuidv4();
      const b = ctx.rand.uuidv4();
      ctx.set("ids", { a, b, ok: validate(a) });`)}`,
        errors: [
          { messageId: "id", data: { call: "crypto.randomUUID()", ctx: "ctx", name: "crypto.randomUUID" } },
          { messageId: "id", data: { call: "uuidv4()", ctx: "ctx", name: "uuid.v4" } },
        ],
      },
      {
        name: "a disable comment keeps a use unfixed, so the import stays",
        code: `import { randomUUID } from "node:crypto";
${service(`      // eslint-disable-next-line
      const traceId = randomUUID();
      ctx.set("ids", { traceId, id: randomUUID() });`)}`,
        output: `import { randomUUID } from "node:crypto";
${service(`      // eslint-disable-next-line
      const traceId = randomUUID();
      ctx.set("ids", { traceId, id: ctx.rand.uuidv4() });`)}`,
        errors: [{ messageId: "id", line: 9 }],
      },
      {
        name: "destructured require: the call is fixed, the require stays",
        code: `const { randomUUID } = require("node:crypto");
${service(`      ctx.set("id", randomUUID());`)}`,
        output: `const { randomUUID } = require("node:crypto");
${service(`      ctx.set("id", ctx.rand.uuidv4());`)}`,
        errors: [{ messageId: "id" }],
      },
      {
        name: "randomBytes from a namespace import: no suggestion, a Buffer does not survive the journal",
        code: `import * as nodeCrypto from "crypto";
${service(`      const token = nodeCrypto.randomBytes(32).toString("hex");
      ctx.set("token", token);`)}`,
        errors: [
          { messageId: "bytes", data: { call: "nodeCrypto.randomBytes()", ctx: "ctx", name: "crypto.randomBytes" }, suggestions: [] },
        ],
      },
      {
        name: "crypto.getRandomValues() and randomFillSync(): bytes",
        code: `import { randomFillSync } from "node:crypto";
${service(`      const salt = crypto.getRandomValues(new Uint8Array(16));
      const pepper = randomFillSync(Buffer.alloc(8));
      ctx.set("salt", { salt: Array.from(salt), pepper: pepper.toString("hex") });`)}`,
        errors: [
          { messageId: "bytes", data: { call: "crypto.getRandomValues()", ctx: "ctx", name: "crypto.getRandomValues" } },
          { messageId: "bytes", data: { call: "randomFillSync()", ctx: "ctx", name: "crypto.randomFillSync" } },
        ],
      },
      {
        name: "randomInt from crypto: a random number, journaled through ctx.run by the suggestion",
        code: `import { randomInt } from "node:crypto";
${service(`      const shard = randomInt(16);
      await ctx.objectClient<{ add(x: string): void }>({ name: "shard" }, String(shard)).add(input);`)}`,
        errors: [
          {
            messageId: "random",
            data: { call: "randomInt()", ctx: "ctx", name: "crypto.randomInt" },
            suggestions: [
              {
                messageId: "suggestRun",
                data: { ctx: "ctx", name: "random" },
                output: `import { randomInt } from "node:crypto";
${service(`      const shard = await ctx.run("random", () => randomInt(16));
      await ctx.objectClient<{ add(x: string): void }>({ name: "shard" }, String(shard)).add(input);`)}`,
              },
            ],
          },
        ],
      },
      {
        name: "uuid v7 through a namespace import and v1 by name: time-based ids, no exact replacement",
        code: `import * as uuid from "uuid";
import { v1 } from "uuid";
${service(`      const eventId = uuid.v7();
      const legacyId = v1();
      ctx.set("ids", [eventId, legacyId]);`)}`,
        errors: [
          {
            messageId: "id",
            data: { call: "uuid.v7()", ctx: "ctx", name: "uuid.v7" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: `import * as uuid from "uuid";
import { v1 } from "uuid";
${service(`      const eventId = await ctx.run("id", () => uuid.v7());
      const legacyId = v1();
      ctx.set("ids", [eventId, legacyId]);`)}`,
              },
            ],
          },
          {
            messageId: "id",
            data: { call: "v1()", ctx: "ctx", name: "uuid.v1" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: `import * as uuid from "uuid";
import { v1 } from "uuid";
${service(`      const eventId = uuid.v7();
      const legacyId = await ctx.run("id", () => v1());
      ctx.set("ids", [eventId, legacyId]);`)}`,
              },
            ],
          },
        ],
      },
      {
        name: "nanoid() and a generator made by customAlphabet()",
        code: `import { nanoid, customAlphabet } from "nanoid";
const shortCode = customAlphabet("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8);
${service(`      ctx.set("codes", [nanoid(), shortCode()]);`)}`,
        errors: [
          {
            messageId: "id",
            data: { call: "nanoid()", ctx: "ctx", name: "nanoid" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: `import { nanoid, customAlphabet } from "nanoid";
const shortCode = customAlphabet("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8);
${service(`      ctx.set("codes", [await ctx.run("id", () => nanoid()), shortCode()]);`)}`,
              },
            ],
          },
          {
            messageId: "id",
            data: { call: "shortCode()", ctx: "ctx", name: "nanoid.customAlphabet" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: `import { nanoid, customAlphabet } from "nanoid";
const shortCode = customAlphabet("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8);
${service(`      ctx.set("codes", [nanoid(), await ctx.run("id", () => shortCode())]);`)}`,
              },
            ],
          },
        ],
      },
      {
        name: "performance.now() (global and from perf_hooks) decides whether to sleep",
        code: `import { performance as perf } from "node:perf_hooks";
${service(`      const started = performance.now();
      if (perf.now() - started > 10) await ctx.sleep(100);`)}`,
        errors: [
          {
            messageId: "clock",
            data: { call: "performance.now()", ctx: "ctx", name: "performance.now" },
            suggestions: [
              {
                messageId: "suggestRun",
                data: { ctx: "ctx", name: "performance.now" },
                output: `import { performance as perf } from "node:perf_hooks";
${service(`      const started = await ctx.run("performance.now", () => performance.now());
      if (perf.now() - started > 10) await ctx.sleep(100);`)}`,
              },
            ],
          },
          {
            messageId: "clock",
            data: { call: "perf.now()", ctx: "ctx", name: "performance.now" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: `import { performance as perf } from "node:perf_hooks";
${service(`      const started = performance.now();
      if (await ctx.run("performance.now", () => perf.now()) - started > 10) await ctx.sleep(100);`)}`,
              },
            ],
          },
        ],
      },
      {
        name: "process.hrtime() and process.hrtime.bigint(): a bigint is journaled as its decimal string",
        code: service(`      const [seconds] = process.hrtime();
      const ticks = process.hrtime.bigint();
      ctx.set("t", { seconds, ticks: String(ticks) });`),
        errors: [
          {
            messageId: "clock",
            data: { call: "process.hrtime()", ctx: "ctx", name: "process.hrtime" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: service(`      const [seconds] = await ctx.run("hrtime", () => process.hrtime());
      const ticks = process.hrtime.bigint();
      ctx.set("t", { seconds, ticks: String(ticks) });`),
              },
            ],
          },
          {
            messageId: "clock",
            data: { call: "process.hrtime.bigint()", ctx: "ctx", name: "process.hrtime.bigint" },
            suggestions: [
              {
                messageId: "suggestRun",
                output: service(`      const [seconds] = process.hrtime();
      const ticks = BigInt(await ctx.run("hrtime", () => process.hrtime.bigint().toString()));
      ctx.set("t", { seconds, ticks: String(ticks) });`),
              },
            ],
          },
        ],
      },
      {
        name: "a handler declared as a function elsewhere and referenced in handlers; the start time is taken before a journaled call",
        code:
          header +
          `async function placeOrder(ctx: restate.Context, order: { id: string }) {
  const startedAt = Date.now();
  await ctx.run("charge", () => charge(order.id));
  return { startedAt };
}
export const orders = restate.service({ name: "orders", handlers: { placeOrder } });
declare function charge(id: string): Promise<void>;`,
        errors: [
          {
            messageId: "time",
            line: 3,
            suggestions: [
              {
                messageId: "suggestDateNow",
                output:
                  header +
                  `async function placeOrder(ctx: restate.Context, order: { id: string }) {
  const startedAt = await ctx.date.now();
  await ctx.run("charge", () => charge(order.id));
  return { startedAt };
}
export const orders = restate.service({ name: "orders", handlers: { placeOrder } });
declare function charge(id: string): Promise<void>;`,
              },
              {
                messageId: "suggestRun",
                output:
                  header +
                  `async function placeOrder(ctx: restate.Context, order: { id: string }) {
  const startedAt = await ctx.run("now", () => Date.now());
  await ctx.run("charge", () => charge(order.id));
  return { startedAt };
}
export const orders = restate.service({ name: "orders", handlers: { placeOrder } });
declare function charge(id: string): Promise<void>;`,
              },
            ],
          },
        ],
      },
      {
        name: "a shared handler through restate.handlers.object.shared(...) calling another service with a random id",
        code:
          header +
          `export const profile = restate.object({
  name: "profile",
  handlers: {
    audit: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const auditId = Math.random().toString(36).slice(2);
      ctx.serviceSendClient<{ log(id: string): void }>({ name: "audit" }).log(auditId);
    }),
  },
});`,
        output:
          header +
          `export const profile = restate.object({
  name: "profile",
  handlers: {
    audit: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const auditId = ctx.rand.random().toString(36).slice(2);
      ctx.serviceSendClient<{ log(id: string): void }>({ name: "audit" }).log(auditId);
    }),
  },
});`,
        errors: [{ messageId: "random", line: 6 }],
      },
      {
        name: "a synchronous helper taking the context under a named-import alias: reported, no await-based suggestion",
        code: `import { type Context as Ctx } from "@restatedev/restate-sdk";
export function remember(ctx: Ctx, key: string) {
  ctx.set(key, { at: Date.now() });
}`,
        errors: [{ messageId: "time", data: { call: "Date.now()", ctx: "ctx", name: "Date.now" }, suggestions: [] }],
      },
      {
        name: "a destructured context parameter ({ ctx }: { ctx: ObjectContext }) is named in the fix",
        code: `import type { ObjectContext } from "@restatedev/restate-sdk";
export async function touch({ ctx, key }: { ctx: ObjectContext; key: string }) {
  ctx.set(key, crypto.randomUUID());
}`,
        output: `import type { ObjectContext } from "@restatedev/restate-sdk";
export async function touch({ ctx, key }: { ctx: ObjectContext; key: string }) {
  ctx.set(key, ctx.rand.uuidv4());
}`,
        errors: [{ messageId: "id" }],
      },
      {
        name: "a workflow run handler: a deadline computed from the clock is awaited later",
        code:
          header +
          `export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (wf: restate.WorkflowContext, email: string) => {
      const expiresAt = new Date(Date.now() + 86_400_000);
      wf.set("expiresAt", expiresAt.toISOString());
      await wf.promise<string>("confirmed");
    },
  },
});`,
        errors: [
          {
            messageId: "time",
            data: { call: "Date.now()", ctx: "wf", name: "Date.now" },
            suggestions: [
              {
                messageId: "suggestDateNow",
                output:
                  header +
                  `export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (wf: restate.WorkflowContext, email: string) => {
      const expiresAt = new Date(await wf.date.now() + 86_400_000);
      wf.set("expiresAt", expiresAt.toISOString());
      await wf.promise<string>("confirmed");
    },
  },
});`,
              },
              {
                messageId: "suggestRun",
                output:
                  header +
                  `export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (wf: restate.WorkflowContext, email: string) => {
      const expiresAt = new Date(await wf.run("now", () => Date.now()) + 86_400_000);
      wf.set("expiresAt", expiresAt.toISOString());
      await wf.promise<string>("confirmed");
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "a callback parameter shadows the context: no context in reach, so no fix",
        code: service(`      const scored = input.split(",").map((ctx) => ({ ctx, score: Math.random() }));
      ctx.set("scored", scored);`),
        errors: [{ messageId: "random", data: { call: "Math.random()", ctx: "ctx", name: "Math.random" } }],
      },
      {
        name: "in a parameter default `await` is not allowed: reported without suggestions",
        code:
          header +
          `export const jobs = restate.service({
  name: "jobs",
  handlers: {
    schedule: async (ctx: restate.Context, at: number = Date.now()) => {
      await ctx.sleep(Math.max(0, at - 1));
    },
  },
});`,
        errors: [{ messageId: "time", suggestions: [] }],
      },
      {
        name: "allow silences only the listed API",
        options: [{ allow: ["performance.now"] }],
        code: service(`      const t = performance.now();
      ctx.set("at", Date.now());
      ctx.console.log(performance.now() - t);`),
        errors: [
          {
            messageId: "time",
            suggestions: [
              { messageId: "suggestDateNow", output: service(`      const t = performance.now();
      ctx.set("at", await ctx.date.now());
      ctx.console.log(performance.now() - t);`) },
              { messageId: "suggestRun", output: service(`      const t = performance.now();
      ctx.set("at", await ctx.run("now", () => Date.now()));
      ctx.console.log(performance.now() - t);`) },
            ],
          },
        ],
      },
      {
        name: "a value taken in a loop that journals: the next iteration replays past it",
        code: service(loop("Date.now()")),
        errors: [
          {
            messageId: "time",
            line: 8,
            suggestions: [
              { messageId: "suggestDateNow", output: service(loop("await ctx.date.now()")) },
              { messageId: "suggestRun", output: service(loop('await ctx.run("now", () => Date.now())')) },
            ],
          },
        ],
      },
      {
        name: "the last statement sends the value through a client made earlier: the call's argument is journaled",
        code: greeter("Date.now()"),
        errors: [
          {
            messageId: "time",
            line: 7,
            suggestions: [
              { messageId: "suggestDateNow", output: greeter("await ctx.date.now()") },
              { messageId: "suggestRun", output: greeter('await ctx.run("now", () => Date.now())') },
            ],
          },
        ],
      },
      {
        name: "durableDate is imported from restate-guard-runtime: new Date() gets `await durableDate(ctx)` as its first suggestion",
        code: service(
          `      const placedAt = new Date();
      ctx.set("placedAt", placedAt.toISOString());`,
          "",
          `import { durableDate } from "restate-guard-runtime";\n`,
        ),
        errors: [
          {
            messageId: "date",
            line: 7,
            data: { call: "new Date()", ctx: "ctx" },
            suggestions: [
              {
                messageId: "suggestDurableDate",
                data: { replacement: "await durableDate(ctx)" },
                output: service(
                  `      const placedAt = await durableDate(ctx);
      ctx.set("placedAt", placedAt.toISOString());`,
                  "",
                  `import { durableDate } from "restate-guard-runtime";\n`,
                ),
              },
              {
                messageId: "suggestNewDate",
                output: service(
                  `      const placedAt = new Date(await ctx.date.now());
      ctx.set("placedAt", placedAt.toISOString());`,
                  "",
                  `import { durableDate } from "restate-guard-runtime";\n`,
                ),
              },
              {
                messageId: "suggestRun",
                output: service(
                  `      const placedAt = new Date(await ctx.run("now", () => Date.now()));
      ctx.set("placedAt", placedAt.toISOString());`,
                  "",
                  `import { durableDate } from "restate-guard-runtime";\n`,
                ),
              },
            ],
          },
        ],
      },
      {
        name: "durableDate under an alias, a context named `context`, the Date used as an object: parenthesised await, alias reused",
        code: `import * as restate from "@restatedev/restate-sdk";
import { durableDate as journaledNow } from "restate-guard-runtime";
export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", new Date().toISOString());
    },
  },
});`,
        errors: [
          {
            messageId: "date",
            line: 7,
            suggestions: [
              {
                messageId: "suggestDurableDate",
                data: { replacement: "(await journaledNow(context))" },
                output: `import * as restate from "@restatedev/restate-sdk";
import { durableDate as journaledNow } from "restate-guard-runtime";
export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", (await journaledNow(context)).toISOString());
    },
  },
});`,
              },
              {
                messageId: "suggestNewDate",
                output: `import * as restate from "@restatedev/restate-sdk";
import { durableDate as journaledNow } from "restate-guard-runtime";
export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", new Date(await context.date.now()).toISOString());
    },
  },
});`,
              },
              {
                messageId: "suggestRun",
                output: `import * as restate from "@restatedev/restate-sdk";
import { durableDate as journaledNow } from "restate-guard-runtime";
export const tickets = restate.object({
  name: "tickets",
  handlers: {
    async reserve(context: restate.ObjectContext) {
      context.set("reservedAt", new Date(await context.run("now", () => Date.now())).toISOString());
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "durableDate through a namespace import: Date() (a string) stays a string; Date.now() (a number) gets no Date helper",
        code: service(
          `      const label = Date();
      ctx.set("label", { label, at: Date.now() });`,
          "",
          `import * as guard from "restate-guard-runtime";\n`,
        ),
        errors: [
          {
            messageId: "time",
            line: 7,
            data: { call: "Date()", ctx: "ctx", name: "Date" },
            suggestions: [
              {
                messageId: "suggestDurableDate",
                data: { replacement: "(await guard.durableDate(ctx)).toString()" },
                output: service(
                  `      const label = (await guard.durableDate(ctx)).toString();
      ctx.set("label", { label, at: Date.now() });`,
                  "",
                  `import * as guard from "restate-guard-runtime";\n`,
                ),
              },
              {
                messageId: "suggestDateString",
                output: service(
                  `      const label = new Date(await ctx.date.now()).toString();
      ctx.set("label", { label, at: Date.now() });`,
                  "",
                  `import * as guard from "restate-guard-runtime";\n`,
                ),
              },
              {
                messageId: "suggestRun",
                output: service(
                  `      const label = await ctx.run("now", () => Date());
      ctx.set("label", { label, at: Date.now() });`,
                  "",
                  `import * as guard from "restate-guard-runtime";\n`,
                ),
              },
            ],
          },
          {
            messageId: "time",
            line: 8,
            suggestions: [
              {
                messageId: "suggestDateNow",
                output: service(
                  `      const label = Date();
      ctx.set("label", { label, at: await ctx.date.now() });`,
                  "",
                  `import * as guard from "restate-guard-runtime";\n`,
                ),
              },
              {
                messageId: "suggestRun",
                output: service(
                  `      const label = Date();
      ctx.set("label", { label, at: await ctx.run("now", () => Date.now()) });`,
                  "",
                  `import * as guard from "restate-guard-runtime";\n`,
                ),
              },
            ],
          },
        ],
      },
      {
        name: "durableDate imported but the helper is not async (no await possible) or the name is shadowed: no durableDate suggestion",
        code: `import * as restate from "@restatedev/restate-sdk";
import { durableDate } from "restate-guard-runtime";
export function stamp(ctx: restate.ObjectContext) {
  ctx.set("stampedAt", new Date().getTime());
}
export async function audit(ctx: restate.ObjectContext, durableDate: string) {
  ctx.set(durableDate, new Date().getTime());
}
export const stamps = restate.object({ name: "stamps", handlers: { stamp, audit } });`,
        errors: [
          { messageId: "date", line: 4, data: { call: "new Date()", ctx: "ctx" }, suggestions: [] },
          {
            messageId: "date",
            line: 7,
            suggestions: [
              {
                messageId: "suggestNewDate",
                output: `import * as restate from "@restatedev/restate-sdk";
import { durableDate } from "restate-guard-runtime";
export function stamp(ctx: restate.ObjectContext) {
  ctx.set("stampedAt", new Date().getTime());
}
export async function audit(ctx: restate.ObjectContext, durableDate: string) {
  ctx.set(durableDate, new Date(await ctx.date.now()).getTime());
}
export const stamps = restate.object({ name: "stamps", handlers: { stamp, audit } });`,
              },
              {
                messageId: "suggestRun",
                output: `import * as restate from "@restatedev/restate-sdk";
import { durableDate } from "restate-guard-runtime";
export function stamp(ctx: restate.ObjectContext) {
  ctx.set("stampedAt", new Date().getTime());
}
export async function audit(ctx: restate.ObjectContext, durableDate: string) {
  ctx.set(durableDate, new Date(await ctx.run("now", () => Date.now())).getTime());
}
export const stamps = restate.object({ name: "stamps", handlers: { stamp, audit } });`,
              },
            ],
          },
        ],
      },
      // TODO: false positive. A function declared in the handler counts as durable even when it is only
      // called from a ctx.run action (the shared analysis does not follow calls into run actions).
    ],
  });
}

// ---- through helpers -------------------------------------------------------------

/** An object whose `record` handler has `body` as its statements (line 6 on), with local helpers in `helpers` below. */
const recorder = (body: string, helpers: string, imports = "") =>
  imports +
  header +
  `export const recorder = restate.object({
  name: "recorder",
  handlers: {
    record: async (ctx: restate.ObjectContext, note: string) => {
${body}
    },
  },
});
${helpers}`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-nondeterministic-calls through helpers (${mode})`, rule, {
    valid: [
      {
        name: "the helper's clock value is only returned from the handler as its last step: it reaches the output alone",
        code: recorder(
          `      const count = (await ctx.get<number>("count")) ?? 0;
      ctx.set("count", count + 1);
      return { count, at: stamp() };`,
          `function stamp() {
  return Date.now();
}`,
        ),
      },
      {
        name: "the helper is called inside ctx.run: its value is journaled once",
        code: recorder(
          `      const at = await ctx.run("stamp", () => stamp());
      ctx.set("last", { note, at });`,
          `function stamp() {
  return Date.now();
}`,
        ),
      },
      {
        name: "a helper that reads the clock only for a log line returns the same value on replay",
        code: recorder(
          `      const started = await ctx.date.now();
      const saved = logged("record", note);
      ctx.set("last", { note: saved, started });`,
          `function logged(label: string, value: string) {
  console.log(label, new Date().toISOString(), Date.now());
  const elapsed = performance.now();
  metrics.observe(elapsed);
  return value;
}
declare const metrics: { observe(value: number): void };`,
        ),
      },
      {
        name: "a timing wrapper measures the clock for a log line and returns what the wrapped function returns",
        code: recorder(
          `      const total = timed("sum", () => note.length * 2);
      ctx.set("total", total);`,
          `function timed<T>(label: string, work: () => T): T {
  const started = Date.now();
  const result = work();
  console.log(label, Date.now() - started, "ms");
  return result;
}`,
        ),
      },
      {
        name: "a jittered pause (a Promise around setTimeout) resolves to nothing: only its timing is random",
        code: recorder(
          `      await pause(100);
      const done = await pause(50);
      ctx.set("note", { note, done });`,
          `function pause(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms + Math.random() * 100));
}`,
        ),
      },
      {
        name: "a helper that takes the context and returns ctx.rand.uuidv4() is durable code of its own, and deterministic",
        code: recorder(
          `      const id = newId(ctx);
      ctx.set("last", { id, note });`,
          `function newId(ctx: restate.ObjectContext) {
  return ctx.rand.uuidv4();
}`,
        ),
      },
      {
        name: "a helper whose returned value is thrown away brings nothing into the handler",
        code: recorder(
          `      touch();
      await touch();
      ctx.set("note", note);`,
          `let lastSeen = 0;
function touch() {
  lastSeen = Date.now();
  return lastSeen;
}`,
        ),
      },
      {
        name: "a helper that only builds a function reading the clock does not read it itself",
        code: recorder(
          `      const clock = makeClock();
      ctx.set("note", { note, kind: typeof clock });`,
          `function makeClock() {
  return () => Date.now();
}`,
        ),
      },
      {
        name: "recursion without any clock read terminates and reports nothing",
        code: recorder(
          `      ctx.set("depth", depth(note.length));`,
          `function depth(n: number): number {
  return n <= 0 ? 0 : depth(n - 1) + parity(n);
}
function parity(n: number): number {
  return n % 2 === 0 ? depth(n - 2) : 1;
}`,
        ),
      },
      {
        name: "an allowed API (allow: performance.now) is allowed through helpers too",
        options: [{ allow: ["performance.now"] }],
        code: recorder(
          `      ctx.set("tick", tick());`,
          `function tick() {
  return performance.now();
}`,
        ),
      },
      {
        name: "the same helper called from a plain route and from ctx.run: neither is durable code outside a run",
        code: recorder(
          `      ctx.set("id", await ctx.run("id", () => orderRef("A")));`,
          `import { randomUUID } from "node:crypto";
export function orderRef(prefix: string) {
  return prefix + "-" + randomUUID();
}
export function route(req: { prefix: string }) {
  return { id: orderRef(req.prefix) };
}`,
        ),
      },
      {
        name: "a helper that returns a value it derived deterministically from its input (new Date(value)) reads no clock",
        code: recorder(
          `      ctx.set("due", dueDate(note));`,
          `function dueDate(text: string) {
  return new Date(text).toISOString();
}`,
        ),
      },
    ],
    invalid: [
      {
        name: "a local helper returning Date.now(), stored with ctx.set",
        code: recorder(
          `      ctx.set("updatedAt", stamp());`,
          `function stamp() {
  return Date.now();
}`,
        ),
        errors: [{ messageId: "throughCall", line: 6, column: 28, data: { call: "stamp()", ctx: "ctx", chain: "`stamp` → `Date.now()` (file.ts:11)" } }],
      },
      {
        name: "an arrow helper's expression body, a Date method on it, and an id held in a variable then returned in an object",
        code: recorder(
          `      const label = isoNow();
      const order = newOrder(note);
      ctx.set("order", { ...order, label });`,
          `import { randomUUID } from "node:crypto";
const isoNow = () => new Date().toISOString();
function newOrder(item: string) {
  const id = randomUUID();
  return { id, item };
}`,
        ),
        errors: [
          { messageId: "throughCall", line: 6, data: { call: "isoNow()", ctx: "ctx", chain: "`isoNow` → `new Date()` (file.ts:13)" } },
          { messageId: "throughCall", line: 7, data: { call: "newOrder(…)", ctx: "ctx", chain: "`newOrder` → `randomUUID()` (file.ts:15)" } },
        ],
      },
      {
        name: "through two helpers: one returns what the other returns",
        code: recorder(
          `      ctx.set("label", stampLabel(note));`,
          `function stamp() {
  return Date.now();
}
function stampLabel(prefix: string) {
  return \`\${prefix}@\${stamp()}\`;
}`,
        ),
        errors: [{ messageId: "throughCall", line: 6, data: { call: "stampLabel(…)", ctx: "ctx", chain: "`stampLabel` → `stamp` → `Date.now()` (file.ts:11)" } }],
      },
      {
        name: "a clock read that decides which value the helper returns",
        code: recorder(
          `      const state = expiry(1000);
      ctx.set("state", state);`,
          `function expiry(deadline: number) {
  if (Date.now() > deadline) return "expired";
  return "open";
}`,
        ),
        errors: [{ messageId: "throughCall", line: 6 }],
      },
      {
        name: "a method of a local class returning randomUUID(), on an instance held in a constant",
        code: recorder(
          `      const id = ids.next();
      await ctx.objectClient<{ log(id: string): void }>({ name: "audit" }, note).log(id);`,
          `import { randomUUID } from "node:crypto";
class Ids {
  next() {
    return randomUUID();
  }
}
const ids = new Ids();`,
        ),
        errors: [{ messageId: "throughCall", line: 6, data: { call: "ids.next()", ctx: "ctx", chain: "`Ids.next` → `randomUUID()` (file.ts:14)" } }],
      },
      {
        name: "recursion: a jitter helper that calls itself and returns Math.random() at the bottom",
        code: recorder(
          `      await ctx.sleep(jitter(3));
      ctx.set("note", note);`,
          `function jitter(n: number): number {
  return n <= 0 ? Math.random() * 100 : jitter(n - 1) * 2;
}`,
        ),
        errors: [{ messageId: "throughCall", line: 6, data: { call: "jitter(…)", ctx: "ctx", chain: "`jitter` → `Math.random()` (file.ts:12)" } }],
      },
      {
        name: "mutual recursion: the clock value comes back through the other function",
        code: recorder(
          `      ctx.set("at", ping(2));`,
          `function ping(n: number): number {
  return n > 0 ? pong(n - 1) : Date.now();
}
function pong(n: number): number {
  return ping(n);
}`,
        ),
        errors: [{ messageId: "throughCall", line: 6, data: { call: "ping(…)", ctx: "ctx", chain: "`ping` → `Date.now()` (file.ts:11)" } }],
      },
      {
        name: "a helper returning ids mapped from a callback, used as a call argument",
        code: recorder(
          `      const tickets = issue(["a", "b"]);
      await ctx.objectClient<{ add(ids: string[]): void }>({ name: "tickets" }, note).add(tickets);`,
          `import { v4 } from "uuid";
function issue(names: string[]) {
  return names.map(() => v4());
}`,
        ),
        errors: [{ messageId: "throughCall", line: 6 }],
      },
      {
        name: "a helper taking the context is reported where it calls the plain helper",
        code: recorder(
          `      await save(ctx, note);`,
          `async function save(ctx: restate.ObjectContext, note: string) {
  ctx.set("note", { note, at: stamp() });
}
function stamp() {
  return Date.now();
}`,
        ),
        errors: [{ messageId: "throughCall", line: 11, data: { call: "stamp()", ctx: "ctx", chain: "`stamp` → `Date.now()` (file.ts:14)" } }],
      },
    ],
  });
}

/** A handler of an object importing the helpers of tests/typed-fixture/services/utils/ (the typed tester lints it as file.ts there). */
const importing = (imports: string, body: string) => `import * as restate from "@restatedev/restate-sdk";
${imports}
export const orders = restate.object({
  name: "orders",
  handlers: {
    place: async (ctx: restate.ObjectContext, item: string) => {
${body}
    },
  },
});`;

const crossFileInvalid = importing(
  `import { IdFactory, isoNow, newOrderId } from "./services/utils/clock.js";
import { currentTime, invoiceNumber } from "./services/utils/ids.js";`,
  `      const ids = new IdFactory();
      ctx.set("order", { id: newOrderId("ord"), item, placedAt: isoNow() });
      ctx.set("invoice", { number: invoiceNumber(2025), at: currentTime(), line: ids.next() });`,
);

// Without type information imports are not followed: only the typed run below reports these calls.
ruleTester.run("no-nondeterministic-calls through other modules (syntax only)", rule, {
  valid: [
    {
      name: "syntax only: helpers imported from another file are not followed without types (the typed run reports them)",
      code: crossFileInvalid,
    },
  ],
  invalid: [],
});

typedRuleTester.run("no-nondeterministic-calls through other modules (typed only)", rule, {
  valid: [
    {
      name: "an imported helper that reads the clock only for a log line returns its input",
      code: importing(
        `import { logTiming } from "./services/utils/clock.js";`,
        `      const started = await ctx.date.now();
      ctx.set("started", logTiming("place", started));`,
      ),
    },
    {
      name: "imported helpers called inside ctx.run: their values are journaled once",
      code: importing(
        `import { newOrderId, nowMillis } from "./services/utils/clock.js";`,
        `      const id = await ctx.run("id", () => newOrderId("ord"));
      const at = await ctx.run("now", () => nowMillis());
      ctx.set("order", { id, item, at });`,
      ),
    },
    {
      name: "an imported helper's time returned from the handler after its last journaled step only reaches the output",
      code: importing(
        `import { nowMillis } from "./services/utils/clock.js";`,
        `      ctx.set("item", item);
      return { item, at: nowMillis() };`,
      ),
    },
  ],
  invalid: [
    {
      name: "imported helpers, a method by the declared type of an imported class, a re-export and a helper of another module calling the first",
      code: crossFileInvalid,
      errors: [
        { messageId: "throughCall", line: 9, column: 30, data: { call: "newOrderId(…)", ctx: "ctx", chain: "`newOrderId` → `randomUUID()` (clock.ts:11)" } },
        { messageId: "throughCall", line: 9, column: 65, data: { call: "isoNow()", ctx: "ctx", chain: "`isoNow` → `new Date()` (clock.ts:8)" } },
        {
          messageId: "throughCall",
          line: 10,
          column: 36,
          data: { call: "invoiceNumber(…)", ctx: "ctx", chain: "`invoiceNumber` → `newOrderId` → `randomUUID()` (clock.ts:11)" },
        },
        { messageId: "throughCall", line: 10, column: 61, data: { call: "currentTime()", ctx: "ctx", chain: "`nowMillis` → `Date.now()` (clock.ts:5)" } },
        { messageId: "throughCall", line: 10, column: 82, data: { call: "ids.next()", ctx: "ctx", chain: "`IdFactory.next` → `randomUUID()` (clock.ts:23)" } },
      ],
    },
  ],
});

/**
 * Where `randomUUID()`'s value goes decides between an autofix and a
 * suggestion: `ctx.rand.uuidv4()` returns a plain `string`, `randomUUID()`
 * Node's template-literal `UUID`. Without types the annotations written at the
 * target decide, with types the declared type there; text or comments
 * elsewhere in the file never do, and both modes agree on these.
 */
const uuidFile = (imports: string, prelude: string, signature: string, body: string) => `${imports}
import * as restate from "@restatedev/restate-sdk";
${prelude}
export async function open(ctx: restate.Context)${signature} {
${body}
}`;

/** An invalid case whose two suggestions replace `$ID`, written once in the file (no autofix: a plain string may not fit there). */
const uuidSuggestion = (name: string, prelude: string, body: string, signature = "") => {
  const file = (id: string) => uuidFile(`import { randomUUID, type UUID } from "node:crypto";`, prelude, signature, body).replace("$ID", id);
  return {
    name,
    code: file("randomUUID()"),
    output: null,
    errors: [
      {
        messageId: "id" as const,
        suggestions: [
          { messageId: "suggestRand" as const, output: file("ctx.rand.uuidv4()") },
          { messageId: "suggestRun" as const, output: file(`await ctx.run("id", () => randomUUID())`) },
        ],
      },
    ],
  };
};

for (const [mode, tester] of bothTesters) {
  tester.run(`no-nondeterministic-calls: where a uuidv4() string may go (${mode})`, rule, {
    valid: [],
    invalid: [
      {
        // The comment names the UUID type, `typeof randomUUID` and the template literal: none of it is where the value goes.
        name: "a comment about the UUID type changes nothing: the autofix stays",
        code: uuidFile(
          `import { randomUUID } from "node:crypto";`,
          "// Order ids are UUIDs: ReturnType<typeof randomUUID>, `${string}-${string}-${string}-${string}-${string}`.",
          "",
          `  const id = randomUUID();
  ctx.set("id", id);`,
        ),
        output: `import * as restate from "@restatedev/restate-sdk";
// Order ids are UUIDs: ReturnType<typeof randomUUID>, \`\${string}-\${string}-\${string}-\${string}-\${string}\`.
export async function open(ctx: restate.Context) {
  const id = ctx.rand.uuidv4();
  ctx.set("id", id);
}`,
        errors: [{ messageId: "id", suggestions: [] }],
      },
      {
        name: "the UUID type used elsewhere in the file, not where this value goes: the autofix stays",
        code: uuidFile(
          `import { randomUUID, type UUID } from "node:crypto";`,
          "export function isOrderId(value: string): value is UUID { return value.length === 36; }",
          "",
          `  const id: string = randomUUID();
  ctx.set("id", id);`,
        ),
        output: uuidFile(
          `import { type UUID } from "node:crypto";`,
          "export function isOrderId(value: string): value is UUID { return value.length === 36; }",
          "",
          `  const id: string = ctx.rand.uuidv4();
  ctx.set("id", id);`,
        ),
        errors: [{ messageId: "id", suggestions: [] }],
      },
      {
        name: "a local alias of string is a string: the autofix stays",
        code: uuidFile(
          `import { randomUUID } from "node:crypto";`,
          "type OrderId = string;",
          "",
          `  const order: { id: OrderId; total: number } = { id: randomUUID(), total: 1 };
  ctx.set("order", order);`,
        ),
        output: `import * as restate from "@restatedev/restate-sdk";
type OrderId = string;
export async function open(ctx: restate.Context) {
  const order: { id: OrderId; total: number } = { id: ctx.rand.uuidv4(), total: 1 };
  ctx.set("order", order);
}`,
        errors: [{ messageId: "id", suggestions: [] }],
      },
      uuidSuggestion(
        "an unannotated variable later passed to a local function that takes a UUID: a suggestion",
        "function track(id: UUID): void {}",
        `  const id = $ID;
  track(id);
  ctx.set("id", id);`,
      ),
      uuidSuggestion(
        "a property of an object literal annotated with a UUID member: a suggestion",
        "",
        `  const order: { id: UUID; total: number } = { id: $ID, total: 1 };
  ctx.set("order", order);`,
      ),
      uuidSuggestion(
        "returned from an async function declared to return Promise<UUID>: a suggestion",
        "",
        `  return $ID;`,
        ": Promise<UUID>",
      ),
      uuidSuggestion(
        "into a variable annotated with the template-literal type spelled out: a suggestion",
        "",
        "  const id: `${string}-${string}-${string}-${string}-${string}` = $ID;\n  ctx.set(\"id\", id);",
      ),
      uuidSuggestion(
        "assigned to a class property declared UUID: a suggestion",
        `class Order {
  id: UUID | undefined;
  async open(ctx: restate.Context) {
    this.id = $ID;
  }
}`,
        "  ctx.set(\"opened\", true);",
      ),
    ],
  });
}
