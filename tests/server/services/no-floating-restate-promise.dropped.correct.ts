// restate/no-floating-restate-promise, CORRECT forms (docs/rules/no-floating-restate-promise.md), run on a
// real server by tests/server/no-floating-restate-promise.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";
import { target } from "./no-floating-restate-promise.dropped.incorrect.js";

export const orders = restate.service({
  name: "nfrpCorrect",
  handlers: {
    // One run after the other, each awaited.
    chargeAll: async (ctx: restate.Context, items: string[]) => {
      for (const item of items) {
        await ctx.run(`charge ${item}`, () => record(`nfrp charge correct ${item}`));
      }
      return "done";
    },
    // Independent runs, combined with RestatePromise.all.
    chargeAllAtOnce: async (ctx: restate.Context, items: string[]) => {
      await restate.RestatePromise.all(items.map((item) => ctx.run(`charge ${item}`, () => record(`nfrp charge at once correct ${item}`))));
      return "done";
    },
    awaitRun: async (ctx: restate.Context, id: string) => {
      await ctx.run("audit", () => record(`nfrp audit correct ${id}`));
      return "done";
    },
    awaitSleep: async (ctx: restate.Context, id: string) => {
      await ctx.sleep(1000);
      record(`nfrp after sleep correct ${id}`);
      return "done";
    },
    // Not reported: a voided request-response call still reaches its callee (only its result is dropped).
    voidCall: async (ctx: restate.Context, id: string) => {
      void ctx.serviceClient(target).notify(`correct void call ${id}`);
      return "done";
    },
    // Fire-and-forget on purpose: a one-way message.
    send: async (ctx: restate.Context, id: string) => {
      void ctx.serviceSendClient(target).notify(`correct send ${id}`);
      return "done";
    },
  },
});

export const services = [orders];
