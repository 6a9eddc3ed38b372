// restate/no-ingress-client-in-handler, CORRECT form (docs/rules/no-ingress-client-in-handler.md),
// run on a real server by tests/server/rules.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

export const shipping = restate.service({
  name: "ingShippingCorrect",
  handlers: {
    ship: async (ctx: restate.Context, order: string) => {
      await ctx.run("print label", () => record(`ing ship correct ${order}`));
      return `label-${order}`;
    },
  },
});

export const cart = restate.object({
  name: "ingCartCorrect",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, order: string) => {
      const label = await ctx.serviceClient(shipping).ship(order);
      ctx.set("label", label);
      await ctx.run("email customer", () => record(`ing email correct ${order} ${label}`));
      crashOnce(`ing-checkout-correct-${ctx.key}`);
      return label;
    },
  },
});

export const services = [shipping, cart];
