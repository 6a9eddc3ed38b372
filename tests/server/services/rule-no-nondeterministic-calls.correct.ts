// restate/no-nondeterministic-calls, CORRECT forms (docs/rules/no-nondeterministic-calls.md),
// run on a real server by tests/server/rules.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

export const scores = restate.object({
  name: "nndScoresCorrect",
  handlers: {
    store: async (ctx: restate.ObjectContext, value: number) => {
      record(`nnd store correct ${ctx.key} ${value}`);
      ctx.set("score", value);
    },
  },
});

export const cart = restate.object({
  name: "nndCartCorrect",
  handlers: {
    addItem: async (ctx: restate.ObjectContext, item: string) => {
      const items = (await ctx.get<string[]>("items")) ?? [];
      ctx.set("items", [...items, item]);
      ctx.set("updatedAt", await ctx.date.now());
      await ctx.run("notify shop", () => record(`nnd notify correct ${ctx.key} ${item}`));
      crashOnce(`nnd-addItem-correct-${ctx.key}`);
    },
  },
});

export const dice = restate.service({
  name: "nndDiceCorrect",
  handlers: {
    roll: async (ctx: restate.Context, player: string) => {
      const value = ctx.rand.random();
      record(`nnd roll correct ${player} ${value}`);
      await ctx.objectClient(scores, player).store(value);
      crashOnce(`nnd-roll-correct-${player}`);
      return value;
    },
  },
});

export const services = [scores, cart, dice];
