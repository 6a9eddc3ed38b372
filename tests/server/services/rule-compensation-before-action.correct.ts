// restate/compensation-before-action, CORRECT forms (docs/rules/compensation-before-action.md),
// run on a real server by tests/server/rules.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { firstTime, record } from "./rule-support.js";

/** A booking API whose answer times out after the booking went through. */
const flights = {
  async book(customerId: string) {
    record(`saga flight booked correct ${customerId}`);
    throw new restate.TerminalError("flight booking timed out");
  },
  async cancel(customerId: string) {
    record(`saga flight cancelled correct ${customerId}`);
  },
};
const hotels = {
  async book(customerId: string) {
    record(`saga hotel booked correct ${customerId}`);
  },
  async cancel(customerId: string) {
    record(`saga hotel cancelled correct ${customerId}`);
  },
};

export const trips = restate.service({
  name: "sagaTripsCorrect",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flights.cancel(customerId)));
        await ctx.run("Book flight", () => flights.book(customerId));

        compensations.push(() => ctx.run("Cancel hotel", () => hotels.cancel(customerId)));
        await ctx.run("Book hotel", () => hotels.book(customerId));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        throw e;
      }
    },
  },
});

const users = {
  async create(id: string, email: string) {
    record(`saga user created correct ${id} ${email}`);
  },
  async remove(id: string) {
    record(`saga user deleted correct ${id}`);
  },
};

/** Handler code that fails once, the way a bug or a flaky dependency does (not a TerminalError). */
function checkDomain(email: string) {
  if (firstTime(`saga-domain-correct-${email}`)) throw new Error(`DNS lookup for ${email.split("@")[1]} failed`);
}

export const signup = restate.workflow({
  name: "sagaSignupCorrect",
  handlers: {
    run: async (ctx: restate.WorkflowContext, email: string) => {
      record(`saga signup attempt correct ${ctx.key}`);
      const compensations = [];
      try {
        compensations.push(() => ctx.run("delete user", () => users.remove(ctx.key)));
        await ctx.run("create user", () => users.create(ctx.key, email.trim()));
        checkDomain(email);
      } catch (e) {
        if (!(e instanceof restate.TerminalError)) throw e; // let Restate retry
        for (const compensation of compensations.reverse()) await compensation();
        return { success: false };
      }
      return { success: true };
    },
  },
});

export const services = [trips, signup];
