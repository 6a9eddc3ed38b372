// restate/serializable-journal-values, INCORRECT forms (docs/rules/serializable-journal-values.md), run on a
// real server by tests/server/serializable-journal-values.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

/** What the handler sees of a journaled value: its type, and its JSON as far as JSON can tell. */
const seen = (value: unknown) => `${typeof value}${value instanceof Date ? " Date" : value instanceof Map ? " Map" : ""} ${JSON.stringify(value)}`;

export const subscriptions = restate.object({
  name: "sjvSubscriptionsIncorrect",
  handlers: {
    // The page's first example: the run returns a Date.
    renew: async (ctx: restate.ObjectContext) => {
      const renewedAt = await ctx.run("renew", async () => {
        record(`sjv renew incorrect ${ctx.key}`);
        return new Date(); // ← restate/serializable-journal-values
      });
      record(`sjv renew sees incorrect ${ctx.key} ${seen(renewedAt)}`);
      ctx.set("nextRenewal", renewedAt.getTime() + 30 * 24 * 3600 * 1000);
    },
  },
});

export const inventory = restate.object({
  name: "sjvInventoryIncorrect",
  handlers: {
    // The page's second example: a Map stored with ctx.set, a bigint returned.
    reserve: async (ctx: restate.ObjectContext, sku: string) => {
      ctx.set("reserved", new Map([[sku, 1]])); // ← restate/serializable-journal-values
      return { sku, quantity: 1n }; // ← restate/serializable-journal-values
    },
    // The Map alone (no bigint): the invocation succeeds.
    reserveMap: async (ctx: restate.ObjectContext, sku: string) => {
      ctx.set("reserved", new Map([[sku, 1]])); // ← restate/serializable-journal-values
      return sku;
    },
    // What a later invocation reads back.
    reserved: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const reserved = await ctx.get("reserved");
      record(`sjv reserved sees incorrect ${ctx.key} ${seen(reserved)}`);
      return reserved ?? null;
    }),
  },
});

export const services = [subscriptions, inventory];
