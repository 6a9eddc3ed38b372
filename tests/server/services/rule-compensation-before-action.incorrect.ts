// restate/compensation-before-action, INCORRECT forms (docs/rules/compensation-before-action.md),
// run on a real server by tests/server/rules.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { firstTime, record } from "./rule-support.js";

/** A booking API whose answer times out after the booking went through. */
const flights = {
  async book(customerId: string) {
    record(`saga flight booked incorrect ${customerId}`);
    throw new restate.TerminalError("flight booking timed out");
  },
  async cancel(customerId: string) {
    record(`saga flight cancelled incorrect ${customerId}`);
  },
};
const hotels = {
  async book(customerId: string) {
    record(`saga hotel booked incorrect ${customerId}`);
  },
  async cancel(customerId: string) {
    record(`saga hotel cancelled incorrect ${customerId}`);
  },
};

export const trips = restate.service({
  name: "sagaTripsIncorrect",
  handlers: {
    // The docs example: each compensation is pushed after its step.
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        await ctx.run("Book flight", () => flights.book(customerId));
        compensations.push(() => ctx.run("Cancel flight", () => flights.cancel(customerId))); // ← restate/compensation-before-action

        await ctx.run("Book hotel", () => hotels.book(customerId));
        compensations.push(() => ctx.run("Cancel hotel", () => hotels.cancel(customerId))); // ← restate/compensation-before-action
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
    record(`saga user created incorrect ${id} ${email}`);
  },
  async remove(id: string) {
    record(`saga user deleted incorrect ${id}`);
  },
};

/** Handler code that fails once, the way a bug or a flaky dependency does (not a TerminalError). */
function checkDomain(email: string) {
  if (firstTime(`saga-domain-incorrect-${email}`)) throw new Error(`DNS lookup for ${email.split("@")[1]} failed`);
}

export const signup = restate.workflow({
  name: "sagaSignupIncorrect",
  handlers: {
    // The docs example: the catch swallows errors that are not terminal.
    run: async (ctx: restate.WorkflowContext, email: string) => {
      record(`saga signup attempt incorrect ${ctx.key}`);
      const compensations = [];
      try {
        compensations.push(() => ctx.run("delete user", () => users.remove(ctx.key)));
        await ctx.run("create user", () => users.create(ctx.key, email.trim()));
        checkDomain(email);
      } catch (e) { // ← restate/compensation-before-action
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        return { success: false };
      }
      return { success: true };
    },
  },
});

export const services = [trips, signup];
