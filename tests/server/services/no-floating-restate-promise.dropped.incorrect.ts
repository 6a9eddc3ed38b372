// restate/no-floating-restate-promise, INCORRECT forms (docs/rules/no-floating-restate-promise.md), run on a
// real server by tests/server/no-floating-restate-promise.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export const target = restate.service({
  name: "nfrpTarget",
  handlers: {
    notify: async (ctx: restate.Context, who: string) => {
      record(`nfrp notify ${who}`);
      return `notified ${who}`;
    },
  },
});

export const orders = restate.service({
  name: "nfrpIncorrect",
  handlers: {
    // An async callback passed to forEach: forEach drops the promises, the handler returns at once.
    chargeAll: async (ctx: restate.Context, items: string[]) => {
      items.forEach(async (item) => { // ← restate/no-floating-restate-promise
        await ctx.run(`charge ${item}`, () => record(`nfrp charge incorrect ${item}`));
      });
      return "done";
    },
    // A voided run.
    voidRun: async (ctx: restate.Context, id: string) => {
      void ctx.run("audit", () => record(`nfrp audit incorrect ${id}`)); // ← restate/no-floating-restate-promise
      return "done";
    },
    // A voided sleep: nothing waits.
    voidSleep: async (ctx: restate.Context, id: string) => {
      void ctx.sleep(1000); // ← restate/no-floating-restate-promise
      record(`nfrp after sleep incorrect ${id}`);
      return "done";
    },
  },
});

export const services = [target, orders];
