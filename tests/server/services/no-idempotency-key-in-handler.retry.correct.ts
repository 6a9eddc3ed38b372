// restate/no-idempotency-key-in-handler, CORRECT form (docs/rules/no-idempotency-key-in-handler.md), run on a
// real server by tests/server/no-idempotency-key-in-handler.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce } from "./rule-support.js";
import { payments } from "./no-idempotency-key-in-handler.retry.incorrect.js";

export const orders = restate.service({
  name: "nikOrdersCorrect",
  handlers: {
    // No key: the journaled call is what makes the retry safe.
    place: async (ctx: restate.Context, order: { id: string; amount: number }) => {
      const receipt = await ctx.serviceClient(payments).charge(order.amount);
      crashOnce(`nik correct ${order.id}`);
      return receipt;
    },
  },
});

export const services = [orders];
