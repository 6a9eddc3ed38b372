// restate/no-blocking-in-exclusive-handler, CORRECT form (docs/rules/no-blocking-in-exclusive-handler.md),
// run on a real server by tests/server/rules.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export const cart = restate.object({
  name: "blockCartCorrect",
  handlers: {
    addTicket: async (ctx: restate.ObjectContext, ticket: string) => {
      ctx.set("tickets", [...((await ctx.get<string[]>("tickets")) ?? []), ticket]);
      await ctx.run("log", () => record(`block addTicket correct ${ctx.key} ${ticket}`));
      // The reservation window as a delayed message to this object and key: the key stays free.
      ctx.objectSendClient(cart, ctx.key).expireTicket(ticket, restate.rpc.sendOpts({ delay: { seconds: 3 } }));
    },
    expireTicket: async (ctx: restate.ObjectContext, ticket: string) => {
      ctx.set("tickets", ((await ctx.get<string[]>("tickets")) ?? []).filter((t) => t !== ticket));
      await ctx.run("log", () => record(`block expire correct ${ctx.key} ${ticket} at=${Date.now()}`));
    },
    checkout: async (ctx: restate.ObjectContext) => {
      const tickets = (await ctx.get<string[]>("tickets")) ?? [];
      ctx.clear("tickets");
      return tickets;
    },
  },
});

export const services = [cart];
