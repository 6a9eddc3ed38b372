// Version 1 of a small app, deployed first (tests/server/compat.test.ts); v2/src/app.ts is the change.
import * as restate from "@restatedev/restate-sdk";
import { record } from "../../../../harness.js";

export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext) => {
      const count = ((await ctx.get<number>("count")) ?? 0) + 1;
      ctx.set("count", count);
      return count;
    },
  },
});

export const reminders = restate.service({
  name: "reminders",
  handlers: {
    remind: async (ctx: restate.Context, to: string) => {
      await ctx.run("remind", () => record(`remind ${to}`));
    },
    ping: async () => "pong",
  },
});

export const mailer = restate.service({
  name: "mailer",
  handlers: {
    schedule: async (ctx: restate.Context, to: string) => {
      ctx.serviceSendClient(reminders).remind(to, restate.rpc.sendOpts({ delay: { seconds: 3 } }));
    },
  },
});

export const pipeline = restate.service({
  name: "pipeline",
  handlers: {
    process: async (ctx: restate.Context, id: string) => {
      await ctx.run("a", () => record(`a ${id}`));
      await ctx.sleep(3000);
      await ctx.run("b", () => record(`b ${id}`));
      return "done";
    },
  },
});

export const services = [counter, reminders, mailer, pipeline];
