// restate/no-native-timers, CORRECT form (docs/rules/no-native-timers.md), run on a real server by
// tests/server/no-native-timers.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";
import type { Reminder } from "./no-native-timers.remind.incorrect.js";

/** Stands in for the outside world: one ledger line per mail sent, with the time it was sent. */
const mailer = { send: (to: string) => record(`nnt send correct ${to} ${Date.now()}`) };

export const reminders = restate.service({
  name: "nntRemindersCorrect",
  handlers: {
    remind: async (ctx: restate.Context, req: Reminder) => {
      // A probe (not Restate code): when each execution of the handler starts (or replays) its wait.
      record(`nnt wait correct ${req.to} ${Date.now()}`);
      await ctx.sleep(req.inMs);
      await ctx.run("send", () => mailer.send(req.to));
      return "sent";
    },
  },
});

export const services = [reminders];
