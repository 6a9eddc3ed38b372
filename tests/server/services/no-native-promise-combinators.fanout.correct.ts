// restate/no-native-promise-combinators, CORRECT fan-outs (docs/rules/no-native-promise-combinators.md), run on a real
// server by tests/server/no-native-promise-combinators.test.ts.
import * as restate from "@restatedev/restate-sdk";
import type { Item } from "./no-native-promise-combinators.fanout.incorrect.js";
import { record } from "./rule-support.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const fanOut = restate.service({
  name: "npcFanOutCorrect",
  handlers: {
    // Each callback is one Restate operation: RestatePromise.all waits on all of them as one step.
    chargeAll: async (ctx: restate.Context, items: Item[]) => {
      if (items.length === 0) return [];
      const receipts = await restate.RestatePromise.all(
        items.map((item) =>
          ctx.run(`charge ${item.id}`, async () => {
            await wait(item.ms);
            record(`npc charge correct ${item.id}`);
            return `receipt-${item.id}`;
          }),
        ),
      );
      return receipts.map((receipt) => receipt.toUpperCase());
    },
    // More than one operation per item: one item after the other.
    chargeEach: async (ctx: restate.Context, items: Item[]) => {
      const receipts: string[] = [];
      for (const item of items) {
        const receipt = await ctx.run(`charge ${item.id}`, async () => {
          await wait(item.ms);
          record(`npc charge sequential ${item.id}`);
          return `receipt-${item.id}`;
        });
        receipts.push(receipt.toUpperCase());
      }
      return receipts;
    },
  },
});

export const services = [fanOut];
