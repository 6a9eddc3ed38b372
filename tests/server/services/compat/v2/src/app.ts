// Version 2 of the app in ../v1: the state key renamed, `reminders/remind` removed, `pipeline/process` reordered.
import * as restate from "@restatedev/restate-sdk";
import { record } from "../../../../harness.js";

export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext) => {
      const total = ((await ctx.get<number>("total")) ?? 0) + 1;
      ctx.set("total", total);
      return total;
    },
  },
});

export const reminders = restate.service({
  name: "reminders",
  handlers: {
    ping: async () => "pong",
  },
});

export const mailer = restate.service({
  name: "mailer",
  handlers: {
    schedule: async (ctx: restate.Context, to: string) => {
      ctx.serviceSendClient(reminders).ping(restate.rpc.sendOpts({ delay: { seconds: 3 } }));
      ctx.console.info(`nothing to remind ${to} of any more`);
    },
  },
});

export const pipeline = restate.service({
  name: "pipeline",
  handlers: {
    process: async (ctx: restate.Context, id: string) => {
      await ctx.run("b", () => record(`b ${id}`));
      await ctx.sleep(3000);
      await ctx.run("a", () => record(`a ${id}`));
      return "done";
    },
  },
});

export const services = [counter, reminders, mailer, pipeline];
