import rule from "../../rules/no-idempotency-key-in-handler.js";
import { bothTesters } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;
const payments = `const payments = restate.service({ name: "payments", handlers: { charge: async (ctx: restate.Context, amount: number) => amount } });\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-idempotency-key-in-handler (${mode})`, rule, {
    valid: [
      {
        name: "calls from a handler without a key are deduplicated by the journal already",
        code:
          header +
          payments +
          `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, amount: number) => {
      await ctx.serviceClient(payments).charge(amount, restate.rpc.opts({ headers: { "x-trace": "1" } }));
      ctx.serviceSendClient(payments).charge(amount, restate.rpc.sendOpts({ delay: { seconds: 10 } }));
    },
  },
});`,
      },
      {
        name: "the ingress client (clients package, even imported as `restate`) is outside Restate: keys are how it deduplicates retries",
        code: `import * as restate from "@restatedev/restate-sdk-clients";
declare const payments: { name: "payments" };
export async function checkout(orderId: string) {
  const rs = restate.connect({ url: "http://localhost:8080" });
  await rs.serviceClient<any>(payments).charge(10, restate.rpc.opts({ idempotencyKey: orderId }));
}`,
      },
      {
        name: "the SDK's rpc.opts outside any context client call is not a handler call",
        code:
          header +
          `export const defaultOpts = restate.rpc.opts({ idempotencyKey: "static" });`,
      },
      {
        name: "an idempotencyKey explicitly undefined adds nothing",
        code:
          header +
          payments +
          `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context) => ctx.serviceClient(payments).charge(1, restate.rpc.opts({ idempotencyKey: undefined })),
  },
});`,
      },
      {
        name: "an `idempotencyKey` field in the call's payload is data, not an option",
        code:
          header +
          `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, req: { id: string }) => {
      await ctx.genericCall({ service: "psp", method: "charge", parameter: { idempotencyKey: req.id } as never });
    },
  },
});`,
      },
      {
        name: "TODO: options built by a helper function are not followed",
        code:
          header +
          payments +
          `const keyed = (key: string) => restate.rpc.opts<number, number>({ idempotencyKey: key });
export const orders = restate.service({
  name: "orders",
  handlers: { place: async (ctx: restate.Context) => ctx.serviceClient(payments).charge(1, keyed("k")) },
});`,
      },
    ],
    invalid: [
      {
        name: "rpc.opts({ idempotencyKey }) on a context client call (namespace import)",
        code:
          header +
          payments +
          `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, orderId: string) => {
      return ctx.serviceClient(payments).charge(10, restate.rpc.opts({ idempotencyKey: orderId, headers: {} }));
    },
  },
});`,
        errors: [
          {
            messageId: "idempotencyKeyInHandler",
            line: 7,
            suggestions: [
              {
                messageId: "removeKey",
                output:
                  header +
                  payments +
                  `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, orderId: string) => {
      return ctx.serviceClient(payments).charge(10, restate.rpc.opts({ headers: {} }));
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "named `rpc` import under an alias, sendOpts on a send client held in a const, shorthand property",
        code: `import { object, rpc as r, type ObjectContext } from "@restatedev/restate-sdk";
declare const mailer: { name: "mailer" };
export const user = object({
  name: "user",
  handlers: {
    async welcome(ctx: ObjectContext) {
      const idempotencyKey = "welcome-" + ctx.key;
      const mail = ctx.objectSendClient<any>(mailer, ctx.key);
      mail.send("hi", r.sendOpts({ delay: 1000, idempotencyKey }));
    },
  },
});`,
        errors: [
          {
            messageId: "idempotencyKeyInHandler",
            line: 9,
            suggestions: [
              {
                messageId: "removeKey",
                output: `import { object, rpc as r, type ObjectContext } from "@restatedev/restate-sdk";
declare const mailer: { name: "mailer" };
export const user = object({
  name: "user",
  handlers: {
    async welcome(ctx: ObjectContext) {
      const idempotencyKey = "welcome-" + ctx.key;
      const mail = ctx.objectSendClient<any>(mailer, ctx.key);
      mail.send("hi", r.sendOpts({ delay: 1000 }));
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "genericCall and genericSend with an idempotencyKey",
        code:
          header +
          `export const proxy = restate.service({
  name: "proxy",
  handlers: {
    forward: async (ctx: restate.Context, req: { id: string; body: Uint8Array }) => {
      ctx.genericSend({ service: "audit", method: "log", parameter: req.body, idempotencyKey: req.id });
      return ctx.genericCall({ service: "target", method: "run", parameter: req.body, idempotencyKey: req.id });
    },
  },
});`,
        errors: [
          { messageId: "idempotencyKeyInHandler", line: 6, data: { call: "ctx.genericSend" }, suggestions: [{ messageId: "removeKey", output: header + `export const proxy = restate.service({
  name: "proxy",
  handlers: {
    forward: async (ctx: restate.Context, req: { id: string; body: Uint8Array }) => {
      ctx.genericSend({ service: "audit", method: "log", parameter: req.body });
      return ctx.genericCall({ service: "target", method: "run", parameter: req.body, idempotencyKey: req.id });
    },
  },
});` }] },
          { messageId: "idempotencyKeyInHandler", line: 7, data: { call: "ctx.genericCall" }, suggestions: [{ messageId: "removeKey", output: header + `export const proxy = restate.service({
  name: "proxy",
  handlers: {
    forward: async (ctx: restate.Context, req: { id: string; body: Uint8Array }) => {
      ctx.genericSend({ service: "audit", method: "log", parameter: req.body, idempotencyKey: req.id });
      return ctx.genericCall({ service: "target", method: "run", parameter: req.body });
    },
  },
});` }] },
        ],
      },
      {
        name: "options in a local const, a helper taking the context, Opts.from",
        code:
          header +
          payments +
          `async function pay(c: restate.Context, id: string) {
  const opts = restate.rpc.opts<number, number>({ idempotencyKey: id });
  await c.serviceClient(payments).charge(1, opts);
  await c.serviceClient(payments).charge(2, restate.Opts.from({ idempotencyKey: id + "2" }));
}
export const orders = restate.service({ name: "orders", handlers: { place: async (ctx: restate.Context) => pay(ctx, "x") } });`,
        errors: [
          { messageId: "idempotencyKeyInHandler", line: 4, suggestions: [{ messageId: "removeKey", output: header + payments + `async function pay(c: restate.Context, id: string) {
  const opts = restate.rpc.opts<number, number>({});
  await c.serviceClient(payments).charge(1, opts);
  await c.serviceClient(payments).charge(2, restate.Opts.from({ idempotencyKey: id + "2" }));
}
export const orders = restate.service({ name: "orders", handlers: { place: async (ctx: restate.Context) => pay(ctx, "x") } });` }] },
          { messageId: "idempotencyKeyInHandler", line: 6, suggestions: [{ messageId: "removeKey", output: header + payments + `async function pay(c: restate.Context, id: string) {
  const opts = restate.rpc.opts<number, number>({ idempotencyKey: id });
  await c.serviceClient(payments).charge(1, opts);
  await c.serviceClient(payments).charge(2, restate.Opts.from({}));
}
export const orders = restate.service({ name: "orders", handlers: { place: async (ctx: restate.Context) => pay(ctx, "x") } });` }] },
        ],
      },
    ],
  });
}
