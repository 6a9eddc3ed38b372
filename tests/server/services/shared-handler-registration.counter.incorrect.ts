// restate/shared-handler-registration, INCORRECT form (docs/rules/shared-handler-registration.md), run on a
// real server by tests/server/shared-handler-registration.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";

export const counter = restate.object({
  name: "shrCounterIncorrect",
  handlers: {
    // The page's counter; `add` waits (a durable sleep) before it writes, so it holds the key for a while.
    add: async (ctx: restate.ObjectContext, n: number) => {
      await ctx.sleep(1500);
      ctx.set("count", ((await ctx.get<number>("count")) ?? 0) + n);
    },
    // Registered EXCLUSIVE: waits for every `add` on this key.
    get: async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0, // ← restate/shared-handler-registration
  },
});

export const services = [counter];
