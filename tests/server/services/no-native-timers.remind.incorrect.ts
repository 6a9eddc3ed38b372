// restate/no-native-timers, INCORRECT form (docs/rules/no-native-timers.md), run on a real server by
// tests/server/no-native-timers.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export interface Reminder {
  readonly to: string;
  readonly inMs: number;
}

/** Stands in for the outside world: one ledger line per mail sent, with the time it was sent. */
const mailer = { send: (to: string) => record(`nnt send incorrect ${to} ${Date.now()}`) };

export const reminders = restate.service({
  name: "nntRemindersIncorrect",
  handlers: {
    remind: async (ctx: restate.Context, req: Reminder) => {
      // A probe (not Restate code): when each execution of the handler starts its wait.
      record(`nnt wait incorrect ${req.to} ${Date.now()}`);
      await new Promise((resolve) => setTimeout(resolve, req.inMs)); // ← restate/no-native-timers
      await ctx.run("send", () => mailer.send(req.to));
      return "sent";
    },
  },
});

export const services = [reminders];
