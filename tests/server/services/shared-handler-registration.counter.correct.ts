// restate/shared-handler-registration, CORRECT form (docs/rules/shared-handler-registration.md), run on a
// real server by tests/server/shared-handler-registration.test.ts.
import * as restate from "@restatedev/restate-sdk";

export const counter = restate.object({
  name: "shrCounterCorrect",
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {
      await ctx.sleep(1500);
      ctx.set("count", ((await ctx.get<number>("count")) ?? 0) + n);
    },
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0),
  },
});

export const services = [counter];
