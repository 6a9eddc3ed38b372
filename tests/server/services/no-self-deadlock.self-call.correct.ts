// restate/no-self-deadlock, CORRECT forms (docs/rules/no-self-deadlock.md), run on a real server by
// tests/server/no-self-deadlock.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

async function readCount(ctx: restate.ObjectSharedContext) {
  return (await ctx.get<number>("count")) ?? 0;
}

export const counter = restate.object({
  name: "nsdCounterCorrect",
  handlers: {
    increment: async (ctx: restate.ObjectContext) => {
      // Call the logic directly...
      const next = (await readCount(ctx)) + 1;
      ctx.set("count", next);
      // ...or send a message: it runs after this handler has released the lock.
      ctx.objectSendClient(counter, ctx.key).log("incremented");
      return next;
    },
    log: async (ctx: restate.ObjectContext, line: string) => {
      record(`nsd log ${ctx.key} ${line}`);
    },
    // A shared handler does not take the lock: awaiting it is fine.
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => readCount(ctx)),
  },
});

export const approvals = restate.object({
  name: "nsdApprovalsCorrect",
  handlers: {
    request: async (ctx: restate.ObjectContext) => {
      const approval = ctx.awakeable<boolean>();
      ctx.set("pending", approval.id);
      ctx.set("approved", await approval.promise);
    },
    // A shared handler runs while `request` holds the lock.
    approve: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const id = await ctx.get<string>("pending");
      if (id) ctx.resolveAwakeable(id, true);
    }),
  },
});

export const services = [counter, approvals];
