// A virtual object using scheduleSelf and durableDate, for tests/runtime/helpers.server.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { durableDate, scheduleSelf } from "../../../runtime/index.js";
import { record } from "../../server/harness.js";

/** Counts calls per name in a file next to the ledger, across attempts. */
function attempt(name: string): number {
  const path = join(dirname(process.env.LEDGER!), `attempts-${name}`);
  const n = (existsSync(path) ? Number(readFileSync(path, "utf8")) : 0) + 1;
  writeFileSync(path, String(n));
  return n;
}

export const reminders = restate.object({
  name: "reminders",
  handlers: {
    /** Schedules deliver(message) on the same key after delayMs, and returns at once (the key is free meanwhile). */
    remind: async (ctx: restate.ObjectContext, req: { message: string; delayMs: number }): Promise<string> => {
      const handle = scheduleSelf(ctx, reminders, req.delayMs).deliver(req.message);
      return await handle.invocationId;
    },
    /** The blocking alternative the lint rule warns about: sleeps while holding the key. */
    remindBlocking: async (ctx: restate.ObjectContext, req: { message: string; delayMs: number }): Promise<void> => {
      await ctx.sleep(req.delayMs);
      await ctx.run("deliver", () => record(`deliver ${ctx.key} ${req.message} ${Date.now()}`));
    },
    deliver: async (ctx: restate.ObjectContext, message: string): Promise<void> => {
      await ctx.run("deliver", () => record(`deliver ${ctx.key} ${message} ${Date.now()}`));
    },
    /** An exclusive handler: it waits whenever another exclusive handler holds the key. */
    ping: async (ctx: restate.ObjectContext): Promise<string> => `pong ${ctx.key}`,
    /** Takes durableDate, records it, then fails once (a plain Error: retried) so that the retry replays the date. */
    stamp: async (ctx: restate.ObjectContext): Promise<string> => {
      const date = await durableDate(ctx);
      await ctx.run("record", () => record(`stamp ${ctx.key} ${date.toISOString()}`));
      if (attempt(`stamp-${ctx.key}`) === 1) throw new Error("fail once after the date was journaled");
      return date.toISOString();
    },
  },
});

export type Reminders = typeof reminders;

if (process.env.PORT) restate.serve({ services: [reminders], port: Number(process.env.PORT) });
