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

export const services = [scores, cart, dice];
