// restate/no-outer-mutation-in-run, CORRECT forms (docs/rules/no-outer-mutation-in-run.md), run on a real server
// by tests/server/no-outer-mutation-in-run.test.ts.
// `crashOnce` kills the process once at that point (after awaited journaled steps), so Restate replays the journal.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

/** Stand-ins for the outside world: one ledger line per real side effect. */
const smtp = { send: async (address: string) => record(`nomr mail correct ${address}`) };
const psp = { charge: async (id: string) => record(`nomr charge correct ${id}`) };

export const mailer = restate.service({
  name: "nomrMailerCorrect",
  handlers: {
    send: async (ctx: restate.Context, to: string[]) => {
      const sent: string[] = [];
      for (const address of to) {
        await ctx.run(`mail ${address}`, () => smtp.send(address));
        sent.push(address);
      }
      crashOnce(`nomr-mailer-correct-${to.join(",")}`);
      return sent;
    },
  },
});

export const orders = restate.object({
  name: "nomrOrdersCorrect",
  handlers: {
    pay: async (ctx: restate.ObjectContext, order: { id: string; status: string }) => {
      const status = await ctx.run("pay", async () => {
        await psp.charge(order.id);
        return "paid";
      });
      await ctx.sleep(1000);
      crashOnce(`nomr-orders-correct-${ctx.key}`);
      if (status === "paid") ctx.set("order", { ...order, status });
    },
  },
});

export const services = [mailer, orders];
