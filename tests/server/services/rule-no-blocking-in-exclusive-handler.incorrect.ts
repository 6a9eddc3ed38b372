// restate/no-blocking-in-exclusive-handler, INCORRECT form (docs/rules/no-blocking-in-exclusive-handler.md),
// run on a real server by tests/server/rules.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export const cart = restate.object({
  name: "blockCartIncorrect",
  handlers: {
    addTicket: async (ctx: restate.ObjectContext, ticket: string) => {
      ctx.set("tickets", [...((await ctx.get<string[]>("tickets")) ?? []), ticket]);
      await ctx.run("log", () => record(`block addTicket incorrect ${ctx.key} ${ticket}`));
      // The reservation window (fifteen minutes in the docs, three seconds here).
      await ctx.sleep({ seconds: 3 }); // ← restate/no-blocking-in-exclusive-handler
      ctx.set("tickets", ((await ctx.get<string[]>("tickets")) ?? []).filter((t) => t !== ticket));
      await ctx.run("log", () => record(`block expire incorrect ${ctx.key} ${ticket} at=${Date.now()}`));
    },
    checkout: async (ctx: restate.ObjectContext) => {
      const tickets = (await ctx.get<string[]>("tickets")) ?? [];
      ctx.clear("tickets");
      return tickets;
    },
  },
});

export const services = [cart];
