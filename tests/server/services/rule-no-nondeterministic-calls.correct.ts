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

// The random opening balance comes from ctx.rand, passed to the helper.
function initialBalance(random: number): number {
  return Math.floor(random * 100_000 + 100_000);
}

export const accounts = restate.object({
  name: "nndAccountsCorrect",
  handlers: {
    deposit: async (ctx: restate.ObjectContext, amount: number) => {
      const balance = (await ctx.get<number>("balance")) ?? initialBalance(ctx.rand.random());
      record(`nnd deposit correct ${ctx.key} ${balance}`);
      ctx.set("balance", balance + amount);
      await ctx.run("notify bank", () => record(`nnd bank correct ${ctx.key}`));
      crashOnce(`nnd-deposit-correct-${ctx.key}`);
    },
  },
});

// Not reported: a clock value that only sets a message's delay. The helper reads Date.now(),
// the delay differs on replay, and Restate does not compare it (the message was journaled
// with the first attempt's delay and is not sent again).
function reminderDelay(at: number): number {
  return Math.max(0, at - Date.now());
}

export const reminders = restate.service({
  name: "nndRemindersCorrect",
  handlers: {
    schedule: async (ctx: restate.Context, at: number) => {
      ctx.serviceSendClient(dice).roll("reminder", restate.rpc.sendOpts({ delay: reminderDelay(at) }));
      await ctx.run("remember", () => record("nnd remember correct"));
      crashOnce("nnd-schedule-correct");
      return "scheduled";
    },
  },
});

export const services = [scores, cart, dice, accounts, reminders];
