// restate/no-ingress-client-in-handler, INCORRECT form (docs/rules/no-ingress-client-in-handler.md),
// run on a real server by tests/server/rules.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import * as clients from "@restatedev/restate-sdk-clients";
import { crashOnce, record } from "./rule-support.js";

export const shipping = restate.service({
  name: "ingShippingIncorrect",
  handlers: {
    ship: async (ctx: restate.Context, order: string) => {
      await ctx.run("print label", () => record(`ing ship incorrect ${order}`));
      return `label-${order}`;
    },
  },
});

const ingress = clients.connect({ url: process.env.INGRESS_URL ?? "http://localhost:8080" });

export const cart = restate.object({
  name: "ingCartIncorrect",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, order: string) => {
      const label = await ingress.serviceClient(shipping).ship(order); // ← restate/no-ingress-client-in-handler
      ctx.set("label", label);
      await ctx.run("email customer", () => record(`ing email incorrect ${order} ${label}`));
      crashOnce(`ing-checkout-incorrect-${ctx.key}`);
      return label;
    },
  },
});

export const services = [shipping, cart];
