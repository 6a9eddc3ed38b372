// restate/no-outer-mutation-in-run, INCORRECT forms (docs/rules/no-outer-mutation-in-run.md), run on a real server
// by tests/server/no-outer-mutation-in-run.test.ts. Lines the rule must report end in "← restate/...".
// `crashOnce` kills the process once at that point (after awaited journaled steps), so Restate replays the journal.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

/** Stand-ins for the outside world: one ledger line per real side effect. */
const smtp = { send: async (address: string) => record(`nomr mail incorrect ${address}`) };
const psp = { charge: async (id: string) => record(`nomr charge incorrect ${id}`) };

export const mailer = restate.service({
  name: "nomrMailerIncorrect",
  handlers: {
    send: async (ctx: restate.Context, to: string[]) => {
      const sent: string[] = [];
      for (const address of to) {
        await ctx.run(`mail ${address}`, async () => {
          await smtp.send(address);
          sent.push(address); // ← restate/no-outer-mutation-in-run
        });
      }
      crashOnce(`nomr-mailer-incorrect-${to.join(",")}`);
      return sent;
    },
  },
});

export const orders = restate.object({
  name: "nomrOrdersIncorrect",
  handlers: {
    pay: async (ctx: restate.ObjectContext, order: { id: string; status: string }) => {
      await ctx.run("pay", () => {
        order.status = "paid"; // ← restate/no-outer-mutation-in-run
        return psp.charge(order.id);
      });
      await ctx.sleep(1000);
      crashOnce(`nomr-orders-incorrect-${ctx.key}`);
      if (order.status === "paid") ctx.set("order", order);
    },
  },
});

export const services = [mailer, orders];
