// restate/no-console-in-handler, CORRECT form (docs/rules/no-console-in-handler.md), run on a real server by
// tests/server/no-console-in-handler.test.ts: the same workflow logging with ctx.console.
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export const signup = restate.workflow({
  name: "ncihSignupCorrect",
  options: { inactivityTimeout: 100 },
  handlers: {
    run: async (ctx: restate.WorkflowContext, email: string) => {
      ctx.console.log(`ncih correct: sending confirmation to ${email}`);
      await ctx.run("send", async () => {
        // Inside a run action: printed once per attempt, never on replay.
        console.log(`ncih correct: mailing ${email}`);
        record(`ncih mail correct ${email}`);
      });
      const by = await ctx.promise<string>("confirmed").get();
      ctx.console.log(`ncih correct: ${email} confirmed by ${by}`);
      return by;
    },
    confirm: async (ctx: restate.WorkflowSharedContext, by: string) => {
      await ctx.promise<string>("confirmed").resolve(by);
    },
  },
});

export const services = [signup];
