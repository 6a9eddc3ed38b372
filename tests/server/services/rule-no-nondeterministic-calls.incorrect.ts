// restate/no-nondeterministic-calls, INCORRECT forms (docs/rules/no-nondeterministic-calls.md),
// run on a real server by tests/server/rules.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

export const scores = restate.object({
  name: "nndScoresIncorrect",
  handlers: {
    store: async (ctx: restate.ObjectContext, value: number) => {
      record(`nnd store incorrect ${ctx.key} ${value}`);
      ctx.set("score", value);
    },
  },
});

export const cart = restate.object({
  name: "nndCartIncorrect",
  handlers: {
    // The docs example: a clock read in a state write.
    addItem: async (ctx: restate.ObjectContext, item: string) => {
      const items = (await ctx.get<string[]>("items")) ?? [];
      ctx.set("items", [...items, item]);
      ctx.set("updatedAt", Date.now()); // ← restate/no-nondeterministic-calls
      await ctx.run("notify shop", () => record(`nnd notify incorrect ${ctx.key} ${item}`));
      crashOnce(`nnd-addItem-incorrect-${ctx.key}`);
    },
  },
});

export const dice = restate.service({
  name: "nndDiceIncorrect",
  handlers: {
    // A random number as a call argument.
    roll: async (ctx: restate.Context, player: string) => {
      const value = Math.random(); // ← restate/no-nondeterministic-calls
      record(`nnd roll incorrect ${player} ${value}`);
      await ctx.objectClient(scores, player).store(value);
      crashOnce(`nnd-roll-incorrect-${player}`);
      return value;
    },
  },
});

// Through a helper (as in Restate's state-machine payments example): a plain function
// returns a random opening balance, and the handler writes it to state.
function initialBalance(): number {
  return Math.floor(Math.random() * 100_000 + 100_000);
}

export const accounts = restate.object({
  name: "nndAccountsIncorrect",
  handlers: {
    deposit: async (ctx: restate.ObjectContext, amount: number) => {
      const balance = (await ctx.get<number>("balance")) ?? initialBalance(); // ← restate/no-nondeterministic-calls
      record(`nnd deposit incorrect ${ctx.key} ${balance}`);
      ctx.set("balance", balance + amount);
      await ctx.run("notify bank", () => record(`nnd bank incorrect ${ctx.key}`));
      crashOnce(`nnd-deposit-incorrect-${ctx.key}`);
    },
  },
});

export const services = [scores, cart, dice, accounts];
