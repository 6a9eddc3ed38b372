// restate/no-self-deadlock, INCORRECT forms (docs/rules/no-self-deadlock.md), run on a real server by
// tests/server/no-self-deadlock.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";

export const counter = restate.object({
  name: "nsdCounterIncorrect",
  handlers: {
    increment: async (ctx: restate.ObjectContext) => {
      // Queued behind the lock `increment` holds while it waits: never returns.
      const current = await ctx.objectClient(counter, ctx.key).get(); // ← restate/no-self-deadlock
      ctx.set("count", current + 1);
    },
    get: async (ctx: restate.ObjectContext) => (await ctx.get<number>("count")) ?? 0,
  },
});

export const approvals = restate.object({
  name: "nsdApprovalsIncorrect",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      // Only `approve` can read the id, and it cannot run until `request` ends.
      ctx.set("approved", await approval.promise); // ← restate/no-self-deadlock
    },
    approve: async (ctx: restate.ObjectContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    },
  },
});

export const services = [counter, approvals];
