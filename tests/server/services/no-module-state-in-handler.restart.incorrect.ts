// restate/no-module-state-in-handler, INCORRECT forms (docs/rules/no-module-state-in-handler.md), run on a
// real server by tests/server/no-module-state-in-handler.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";

// The page's first example: balances kept in the process.
const balances = new Map<string, number>();

export const account = restate.object({
  name: "nmshAccountIncorrect",
  handlers: {
    deposit: async (ctx: restate.ObjectContext, amount: number) => {
      const balance = (balances.get(ctx.key) ?? 0) + amount;
      balances.set(ctx.key, balance); // ← restate/no-module-state-in-handler
      return balance;
    },
  },
});

// The page's second example, with a sleep before the answer. A short inactivity timeout makes the sleep
// suspend the invocation, so that it is replayed when the timer fires (as any sleep longer than the
// server's inactivity timeout is).
let visitors = 0;

export const greeter = restate.service({
  name: "nmshGreeterIncorrect",
  options: { inactivityTimeout: 100 },
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      visitors++; // ← restate/no-module-state-in-handler
      await ctx.sleep(500);
      return `Hello ${name}, you are visitor ${visitors}`;
    },
  },
});

export const services = [account, greeter];
