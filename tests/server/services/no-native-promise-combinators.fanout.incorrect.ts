// restate/no-native-promise-combinators, INCORRECT fan-out (docs/rules/no-native-promise-combinators.md "What happens
// at runtime"), run on a real server by tests/server/no-native-promise-combinators.test.ts. Lines the rule must report
// end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export interface Item {
  readonly id: string;
  /** How long the outside world takes to charge it. */
  readonly ms: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const fanOut = restate.service({
  name: "npcFanOutIncorrect",
  handlers: {
    // The shape people write: an async callback per item that awaits a run, under a native Promise.all.
    chargeAll: async (ctx: restate.Context, items: Item[]) => {
      const receipts = await Promise.all( // ← restate/no-native-promise-combinators
        items.map(async (item) => {
          const receipt = await ctx.run(`charge ${item.id}`, async () => {
            await wait(item.ms);
            record(`npc charge incorrect ${item.id}`);
            return `receipt-${item.id}`;
          });
          return receipt.toUpperCase();
        }),
      );
      return receipts;
    },
  },
});

export const services = [fanOut];
