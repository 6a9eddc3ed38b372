// restate/no-module-state-in-handler, CORRECT forms (docs/rules/no-module-state-in-handler.md), run on a real
// server by tests/server/no-module-state-in-handler.test.ts: the balance in Restate state, the visitor count
// from a store outside the process, read inside ctx.run.
import * as restate from "@restatedev/restate-sdk";
import { nextCount } from "./rule-support.js";

export const account = restate.object({
  name: "nmshAccountCorrect",
  handlers: {
    deposit: async (ctx: restate.ObjectContext, amount: number) => {
      const balance = ((await ctx.get<number>("balance")) ?? 0) + amount;
      ctx.set("balance", balance);
      return balance;
    },
  },
});

interface Db {
  increment(key: string): Promise<number>;
}

// Stands in for a database: a counter kept in a file next to the ledger, shared by every process.
function connect(): Db {
  return { increment: async (key: string) => nextCount(`nmsh-${key}`) + 1 };
}

let db: Db | undefined;

export const greeter = restate.service({
  name: "nmshGreeterCorrect",
  options: { inactivityTimeout: 100 },
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      db ??= connect();
      const visitors = await ctx.run("count", () => db!.increment("visitors"));
      await ctx.sleep(500);
      return `Hello ${name}, you are visitor ${visitors}`;
    },
  },
});

export const services = [account, greeter];
