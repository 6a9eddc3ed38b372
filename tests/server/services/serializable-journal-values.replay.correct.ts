// restate/serializable-journal-values, CORRECT forms (docs/rules/serializable-journal-values.md), run on a
// real server by tests/server/serializable-journal-values.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export const subscriptions = restate.object({
  name: "sjvSubscriptionsCorrect",
  handlers: {
    // A number (epoch milliseconds) survives JSON.
    renew: async (ctx: restate.ObjectContext) => {
      const renewedAt = await ctx.run("renew", async () => {
        record(`sjv renew correct ${ctx.key}`);
        return Date.now();
      });
      ctx.set("nextRenewal", renewedAt + 30 * 24 * 3600 * 1000);
      return renewedAt;
    },
  },
});

export const inventory = restate.object({
  name: "sjvInventoryCorrect",
  handlers: {
    // A plain object in state, a string quantity in the result.
    reserve: async (ctx: restate.ObjectContext, sku: string) => {
      const reserved = new Map(Object.entries((await ctx.get<Record<string, number>>("reserved")) ?? {}));
      reserved.set(sku, (reserved.get(sku) ?? 0) + 1);
      ctx.set("reserved", Object.fromEntries(reserved));
      return { sku, quantity: String(reserved.get(sku)) };
    },
    reserved: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => (await ctx.get<Record<string, number>>("reserved")) ?? null),
  },
});

export const services = [subscriptions, inventory];
