// restate/no-idempotency-key-in-handler, INCORRECT form (docs/rules/no-idempotency-key-in-handler.md), run on a
// real server by tests/server/no-idempotency-key-in-handler.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, nextCount, record } from "./rule-support.js";

/** Stands in for a payment provider: each execution is one real charge, numbered across processes. */
export const payments = restate.service({
  name: "nikPayments",
  handlers: {
    charge: async (ctx: restate.Context, amount: number) => {
      const receipt = await ctx.run("charge", () => {
        const n = nextCount("charge");
        record(`nik charge ${amount} #${n}`);
        return `receipt #${n} for ${amount}`;
      });
      return receipt;
    },
  },
});

export const orders = restate.service({
  name: "nikOrdersIncorrect",
  handlers: {
    // The page's example, with the process killed once right after the call returned.
    place: async (ctx: restate.Context, order: { id: string; amount: number }) => {
      const receipt = await ctx.serviceClient(payments).charge(order.amount, restate.rpc.opts({ idempotencyKey: order.id })); // ← restate/no-idempotency-key-in-handler
      crashOnce(`nik incorrect ${order.id}`);
      return receipt;
    },
  },
});

export const services = [payments, orders];
