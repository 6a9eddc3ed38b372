// restate/no-console-in-handler, INCORRECT form (docs/rules/no-console-in-handler.md), run on a real server by
// tests/server/no-console-in-handler.test.ts. Lines the rule must report end in "← restate/...".
// A short inactivity timeout makes the wait for the confirmation suspend the workflow, so that it is
// replayed when the confirmation arrives (as any wait longer than the server's inactivity timeout is).
import * as restate from "@restatedev/restate-sdk";
import { record } from "./rule-support.js";

export const signup = restate.workflow({
  name: "ncihSignupIncorrect",
  options: { inactivityTimeout: 100 },
  handlers: {
    run: async (ctx: restate.WorkflowContext, email: string) => {
      console.log(`ncih incorrect: sending confirmation to ${email}`); // ← restate/no-console-in-handler
      await ctx.run("send", () => record(`ncih mail incorrect ${email}`));
      // Suspends until the user clicks: the line above is printed again afterwards.
      const by = await ctx.promise<string>("confirmed").get();
      console.log(`ncih incorrect: ${email} confirmed by ${by}`); // ← restate/no-console-in-handler
      return by;
    },
    confirm: async (ctx: restate.WorkflowSharedContext, by: string) => {
      await ctx.promise<string>("confirmed").resolve(by);
    },
  },
});

export const services = [signup];
