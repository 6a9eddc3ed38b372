import rule from "../../rules/compensation-before-action.js";
import { describe, expect, it } from "vitest";
import { bothTesters, ruleTester, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;
const clients = `
declare const flightClient: { book(id: string): Promise<string>; cancel(id: string): Promise<void> };
declare const carRentalClient: { book(id: string): Promise<void>; cancel(id: string): Promise<void> };
declare const hotelClient: { book(id: string): Promise<void>; cancel(id: string): Promise<void> };`;

for (const [mode, tester] of bothTesters) {
  tester.run(`compensation-before-action (${mode})`, rule, {
    valid: [
      {
        name: "Restate's booking saga: every compensation pushed before its step, compensated only on TerminalError, rethrown",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(customerId)));
        await ctx.run("Book flight", () => flightClient.book(customerId));

        compensations.push(() => ctx.run("Cancel car", () => carRentalClient.cancel(customerId)));
        await ctx.run("Book car", () => carRentalClient.book(customerId));

        compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(customerId)));
        await ctx.run("Book hotel", () => hotelClient.book(customerId));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) {
            await compensation();
          }
        }
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "Restate's subscription saga: id created first, compensation pushed before the payment, loop body pushes before each step",
        code: `import * as restate from "@restatedev/restate-sdk";
import { Context } from "@restatedev/restate-sdk";
export const subscriptions = restate.service({
  name: "subscriptions",
  handlers: {
    add: async (ctx: Context, req: { userId: string; card: string; plans: string[] }) => {
      const compensations = [];
      try {
        const paymentId = ctx.rand.uuidv4();
        compensations.push(() => ctx.run("undo-pay", () => removeRecurringPayment(paymentId)));
        const payRef = await ctx.run("pay", () => createRecurringPayment(req.card, paymentId));

        for (const plan of req.plans) {
          compensations.push(() => ctx.run(\`undo-\${plan}\`, () => removeSubscription(req.userId, plan)));
          await ctx.run(\`add-\${plan}\`, () => createSubscription(req.userId, plan, payRef));
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) {
            await compensation();
          }
        }
        throw e;
      }
    },
  },
});
declare function createRecurringPayment(card: string, id: string): Promise<string>;
declare function removeRecurringPayment(id: string): Promise<void>;
declare function createSubscription(user: string, plan: string, ref: string): Promise<void>;
declare function removeSubscription(user: string, plan: string): Promise<void>;`,
      },
      {
        name: "Restate's signup saga (workflow, named context import, orTimeout) when the catch rethrows",
        code: `import * as restate from "@restatedev/restate-sdk";
import { WorkflowContext } from "@restatedev/restate-sdk";
export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (ctx: WorkflowContext, user: { name: string }) => {
      const userId = ctx.key;
      const compensations = [];
      try {
        compensations.push(() => ctx.run("delete", () => deleteUser(userId)));
        await ctx.run("create", () => createUser(userId, user));

        compensations.push(() => ctx.run("deactivate", () => deactivateUser(userId)));
        await ctx.run("activate", () => activateUser(userId)).orTimeout({ minutes: 5 });

        compensations.push(() => ctx.run("unsubscribe", () => cancelSubscription(user)));
        await ctx.run("subscribe", () => subscribeToPaidPlan(user));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) {
            await compensation();
          }
        }
        throw e;
      }
      return { success: true };
    },
  },
});
declare function createUser(id: string, u: object): Promise<void>;
declare function deleteUser(id: string): Promise<void>;
declare function activateUser(id: string): Promise<void>;
declare function deactivateUser(id: string): Promise<void>;
declare function subscribeToPaidPlan(u: object): Promise<void>;
declare function cancelSubscription(u: object): Promise<void>;`,
      },
      {
        name: "early rethrow of non-terminal errors, named import under an alias, then compensate and return a result",
        code: `import { service, TerminalError as Terminal, type Context } from "@restatedev/restate-sdk";
export const orders = service({
  name: "orders",
  handlers: {
    async place(context: Context, orderId: string) {
      const undo: (() => Promise<void>)[] = [];
      try {
        undo.push(() => context.run("release stock", () => stock.release(orderId)));
        await context.run("reserve stock", () => stock.reserve(orderId));
        undo.push(() => context.run("refund card", () => payments.refund(orderId)));
        await context.run("charge card", () => payments.charge(orderId));
      } catch (err) {
        if (!(err instanceof Terminal)) throw err;
        while (undo.length > 0) await undo.pop()!();
        return { ok: false };
      }
      return { ok: true };
    },
  },
});
declare const stock: { reserve(id: string): Promise<void>; release(id: string): Promise<void> };
declare const payments: { charge(id: string): Promise<void>; refund(id: string): Promise<void> };`,
      },
      {
        name: "compensate on TerminalError and return a result, rethrow everything else (if/else)",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: Array<() => Promise<unknown>> = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (let i = compensations.length - 1; i >= 0; i--) await compensations[i]();
          return { booked: false, reason: e.message };
        } else {
          throw e;
        }
      }
      return { booked: true };
    },
  },
});` +
          clients,
      },
      {
        name: "unshift with a forward loop, a `const err = e` alias in the guard, method shorthand handler in an object",
        code:
          header +
          `export const account = restate.object({
  name: "account",
  handlers: {
    async transfer(ctx: restate.ObjectContext, amount: number) {
      const compensations: (() => Promise<void>)[] = [];
      try {
        compensations.unshift(() => ctx.run("credit source", () => ledger.credit(ctx.key, amount)));
        await ctx.run("debit source", () => ledger.debit(ctx.key, amount));
      } catch (e) {
        const err = e as Error;
        if (err instanceof restate.TerminalError === false) throw err;
        for (const undo of compensations) await undo();
        throw err;
      }
    },
  },
});
declare const ledger: { debit(k: string, a: number): Promise<void>; credit(k: string, a: number): Promise<void> };`,
      },
      {
        name: "compensations handed to a helper from a guarded catch; the handler is declared elsewhere and referenced",
        code:
          header +
          `async function compensate(all: (() => Promise<void>)[]) { for (const c of all.reverse()) await c(); }
async function reserve(ctx: restate.Context, id: string) {
  const compensations: (() => Promise<void>)[] = [];
  try {
    compensations.push(() => ctx.run("release seat", () => seats.release(id)));
    await ctx.run("hold seat", () => seats.hold(id));
  } catch (e) {
    if (e instanceof restate.TerminalError) await compensate(compensations);
    throw e;
  }
}
export const cinema = restate.service({ name: "cinema", handlers: { reserve } });
declare const seats: { hold(id: string): Promise<void>; release(id: string): Promise<void> };`,
      },
      // ---- through helpers: guards, predicates and runners written as functions ----
      {
        name: "a guard helper in the same file (rethrows unless TerminalError) at the start of the catch: only terminal errors are compensated, the rest rethrown",
        code: `import { service, TerminalError, type Context } from "@restatedev/restate-sdk";
function rethrowIfNotTerminal(e: unknown): void {
  if (!(e instanceof TerminalError)) throw e;
}
export const trips = service({
  name: "trips",
  handlers: {
    book: async (ctx: Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        rethrowIfNotTerminal(e);
        for (const c of compensations.reverse()) await c();
        return { ok: false };
      }
      return { ok: true };
    },
  },
});` + clients,
      },
      {
        name: "a guard helper written the other way round (return on TerminalError, throw otherwise), const arrow, `const err = e` alias inside, then compensate and rethrow",
        code:
          header +
          `const assertTerminal = (error: unknown) => {
  const err = error as Error;
  if (err instanceof restate.TerminalError) return;
  console.error("retrying", err);
  throw err;
};
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        assertTerminal(e);
        for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "an async guard helper awaited first in the catch (its throw is a rejection, and the await rethrows it); it delegates to another guard",
        code:
          header +
          `function check(e: unknown) {
  if (!(e instanceof restate.TerminalError)) throw e;
}
async function ensureTerminal(ctx: restate.Context, e: unknown) {
  check(e);
  ctx.console.warn("compensating", e);
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        await ensureTerminal(ctx, e);
        for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a predicate helper true only for TerminalError (`if (!isTerminal(e)) throw e`, `if (isTerminal(e))`) guards the compensations",
        code: `import { service, TerminalError as TE, type Context } from "@restatedev/restate-sdk";
const isTerminal = (e: unknown) => e instanceof TE;
function isFinal(e: unknown): boolean {
  if (e instanceof TE) return true;
  return false;
}
export const trips = service({
  name: "trips",
  handlers: {
    book: async (ctx: Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (isTerminal(e)) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
    book2: async (ctx: Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (!isFinal(e)) throw e;
        for (const c of compensations.reverse()) await c();
        return "cancelled";
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a compensation runner helper (iterates its parameter in reverse and calls each) behind a guard helper: runs them like the inline loop",
        code:
          header +
          `type Undo = () => Promise<unknown>;
async function runCompensations(list: Undo[]) {
  for (let i = list.length - 1; i >= 0; i--) await list[i]();
}
function rethrowIfNotTerminal(e: unknown) {
  if (!(e instanceof restate.TerminalError)) throw e;
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: Undo[] = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        rethrowIfNotTerminal(e);
        await runCompensations(compensations);
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a helper handed the array that only counts it does not run the compensations: the catch is not a saga's",
        code:
          header +
          `function countOf(list: unknown[]) { return list.length; }
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        return { failed: true, pending: countOf(compensations) };
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a guard helper imported from a relative module: with types its body is checked (it rethrows unless TerminalError); without types it is trusted, like an imported error class (its body is in a file the rule cannot see: precision first)",
        code: `import { service, type Context } from "@restatedev/restate-sdk";
import { rethrowIfNotTerminal } from "./services/utils/errors.js";
export const trips = service({
  name: "trips",
  handlers: {
    book: async (ctx: Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        rethrowIfNotTerminal(e);
        for (const c of compensations.reverse()) await c();
      }
    },
  },
});` + clients,
      },
      {
        name: "a step that needs no compensation (a quote) before the push: the compensation shares `id` with both steps and the flight client only with the step after",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        const price = await ctx.run("Quote flight", () => quote(id));
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id + price));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function quote(id: string): Promise<number>;` +
          clients,
      },
      {
        name: "a state read before the push is not the step the compensation undoes",
        code:
          header +
          `export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext) => {
      const compensations = [];
      try {
        const items = (await ctx.get<string[]>("items")) ?? [];
        compensations.push(() => ctx.run("release inventory", () => inventory.release(items)));
        await ctx.run("reserve inventory", () => inventory.reserve(items));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare const inventory: { reserve(i: string[]): Promise<void>; release(i: string[]): Promise<void> };`,
      },
      {
        name: "a compensation that uses the payment's result is for the step after it (pushed before the subscription)",
        code:
          header +
          `export const subs = restate.service({
  name: "subs",
  handlers: {
    add: async (ctx: restate.Context, userId: string) => {
      const compensations = [];
      try {
        const paymentId = ctx.rand.uuidv4();
        compensations.push(() => ctx.run("refund payment", () => refundPayment(paymentId)));
        const payRef = await ctx.run("take payment", () => takePayment(paymentId));
        compensations.push(() => ctx.run("remove subscription", () => removeSubscription(userId, payRef)));
        await ctx.run("add subscription", () => addSubscription(userId, payRef));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function takePayment(id: string): Promise<string>;
declare function refundPayment(id: string): Promise<void>;
declare function addSubscription(u: string, ref: string): Promise<void>;
declare function removeSubscription(u: string, ref: string): Promise<void>;`,
      },
      {
        name: "a push at the end of an if branch, for the step that follows the branch (it shares the flight client with that step only)",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: { id: string; express: boolean }) => {
      const compensations = [];
      try {
        if (req.express) {
          await ctx.run("check express quota", () => quota(req.id));
          compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(req.id)));
        }
        await ctx.run("Book flight", () => flightClient.book(req.id));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function quota(id: string): Promise<void>;` +
          clients,
      },
      {
        // ctx.key is the context's, and each call is to a different function: nothing shared tells the steps apart.
        name: "undecidable (the compensation shares nothing with either step but the context): not reported",
        code:
          header +
          `export const users = restate.workflow({
  name: "users",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => {
      const compensations = [];
      try {
        await ctx.run("create", () => createUser(ctx.key));
        compensations.push(() => ctx.run("deactivate", () => deactivateUser(ctx.key)));
        await ctx.run("activate", () => activateUser(ctx.key));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function createUser(id: string): Promise<void>;
declare function activateUser(id: string): Promise<void>;
declare function deactivateUser(id: string): Promise<void>;`,
      },
      {
        name: "an ordinary try/catch collecting values in an array is not a saga",
        code:
          header +
          `export const reports = restate.service({
  name: "reports",
  handlers: {
    build: async (ctx: restate.Context, ids: string[]) => {
      const lines: string[] = [];
      try {
        for (const id of ids) {
          const row = await ctx.run("load", () => load(id));
          lines.push(row);
        }
      } catch (e) {
        ctx.console.warn("failed after", lines.length, lines);
        return lines;
      }
      return lines;
    },
  },
});
declare function load(id: string): Promise<string>;`,
      },
      {
        name: "an array named compensations that the catch does not run is not a saga",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: string[] = [];
      try {
        await ctx.run("Book flight", () => flightClient.book(id));
        compensations.push("flight");
      } catch (e) {
        ctx.console.error("booked so far", compensations);
        return { ok: false };
      }
      return { ok: true };
    },
  },
});` +
          clients,
      },
      {
        name: "saga-shaped code outside Restate durable code (no context) is not analysed",
        code:
          header +
          `export async function migrate(steps: { up(): Promise<void>; down(): Promise<void> }[]) {
  const done: (() => Promise<void>)[] = [];
  try {
    for (const step of steps) {
      await step.up();
      done.push(() => step.down());
    }
  } catch (e) {
    for (const d of done.reverse()) await d();
  }
}`,
      },
      {
        name: "restate-guard's runSaga (named import): each saga.step registers its compensation before its action by construction",
        code: `import * as restate from "@restatedev/restate-sdk";
import { runSaga } from "restate-guard-runtime";
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: { customerId: string; amount: number }) => {
      return runSaga(ctx, async (saga) => {
        const flightId = await saga.step({
          name: "flight",
          action: (id) => ctx.run("Book flight", () => flights.book(id, req.customerId)),
          compensate: (id) => ctx.run("Cancel flight", () => flights.cancel(id)),
        });
        await saga.step(
          () => ctx.serviceClient(payments).charge(req),
          () => ctx.serviceClient(payments).refund(req),
        );
        return { flightId };
      });
    },
  },
});
declare const flights: { book(id: string, customer: string): Promise<string>; cancel(id: string): Promise<void> };
declare const payments: restate.ServiceDefinition<"payments", {
  charge(ctx: restate.Context, req: { customerId: string; amount: number }): Promise<void>;
  refund(ctx: restate.Context, req: { customerId: string; amount: number }): Promise<void>;
}>;`,
      },
      {
        name: "new Saga(ctx) under an alias with its own try/catch: compensate() on TerminalError, then rethrow",
        code: `import * as restate from "@restatedev/restate-sdk";
import { Saga as Compensations } from "restate-guard-runtime";
export const subscriptions = restate.service({
  name: "subscriptions",
  handlers: {
    add: async (ctx: restate.Context, req: { userId: string; plans: string[] }) => {
      const saga = new Compensations(ctx);
      try {
        for (const plan of req.plans) {
          await saga.step(
            () => ctx.run(\`add-\${plan}\`, () => createSubscription(req.userId, plan)),
            () => ctx.run(\`undo-\${plan}\`, () => removeSubscription(req.userId, plan)),
          );
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) await saga.compensate();
        throw e;
      }
    },
  },
});
declare function createSubscription(user: string, plan: string): Promise<void>;
declare function removeSubscription(user: string, plan: string): Promise<void>;`,
      },
      {
        name: "a runSaga body (namespace import) with its own try/catches: one swallows an optional step's TerminalError, one only logs ids pushed to an array (not compensations)",
        code: `import * as restate from "@restatedev/restate-sdk";
import * as guard from "restate-guard-runtime";
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      return guard.runSaga(ctx, async (saga) => {
        await saga.step(
          () => ctx.run("Book flight", () => flightClient.book(customerId)),
          () => ctx.run("Cancel flight", () => flightClient.cancel(customerId)),
        );
        let insured = true;
        try {
          // Optional: a rejected insurance does not cancel the trip.
          await saga.step(
            () => ctx.run("Book insurance", () => insurance.book(customerId)),
            () => ctx.run("Cancel insurance", () => insurance.cancel(customerId)),
          );
        } catch (e) {
          if (!(e instanceof restate.TerminalError)) throw e;
          insured = false;
        }
        const bookedIds: string[] = [];
        try {
          await saga.step(
            () => ctx.run("Book hotel", () => hotelClient.book(customerId)),
            () => ctx.run("Cancel hotel", () => hotelClient.cancel(customerId)),
          );
          bookedIds.push(customerId);
        } catch (e) {
          for (const id of bookedIds) ctx.console.log("booked before the failure", id);
          throw e;
        }
        return { insured };
      });
    },
  },
});
declare const insurance: { book(id: string): Promise<void>; cancel(id: string): Promise<void> };` +
          clients,
      },
      {
        name: "runSaga through require() and under an alias, the saga handed to helpers typed with `import type { Saga }`",
        code: `import * as restate from "@restatedev/restate-sdk";
import type { Saga } from "restate-guard-runtime";
const { runSaga: withSaga } = require("restate-guard-runtime");
async function reserveSeat(saga: Saga, ctx: restate.ObjectContext, seat: string) {
  return saga.step({
    name: \`seat \${seat}\`,
    action: (id) => ctx.run("reserve seat", () => seats.reserve(id, seat)),
    compensate: (id) => ctx.run("release seat", () => seats.release(id)),
  });
}
export const show = restate.object({
  name: "show",
  handlers: {
    book: async (ctx: restate.ObjectContext, seatsWanted: string[]) =>
      withSaga(ctx, async (saga: Saga) => {
        const ids = [];
        for (const seat of seatsWanted) ids.push(await reserveSeat(saga, ctx, seat));
        return ids;
      }),
  },
});
declare const seats: { reserve(id: string, seat: string): Promise<string>; release(id: string): Promise<void> };`,
      },
      {
        name: "a local subclass of TerminalError is a valid guard; compensations run in an object shared handler wrapper",
        code:
          header +
          `class BookingRejected extends restate.TerminalError {}
export const desk = restate.object({
  name: "desk",
  handlers: {
    book: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (e instanceof BookingRejected) compensations.reverse().forEach((c) => c());
        throw e;
      }
    }),
  },
});` +
          clients,
      },
      {
        name: "a guard class imported from another module cannot be checked without types, and is trusted",
        code: `import * as restate from "@restatedev/restate-sdk";
import { BookingFailed } from "./errors";
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (e instanceof BookingFailed) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a guard on either of two terminal classes (TerminalError || TimeoutError), namespace import under another alias",
        code: `import * as sdk from "@restatedev/restate-sdk";
export const trips = sdk.service({
  name: "trips",
  handlers: {
    book: async (ctx: sdk.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id)).orTimeout(5000);
      } catch (e) {
        if (e instanceof sdk.TerminalError || e instanceof sdk.TimeoutError) {
          for (const c of [...compensations].reverse()) await c();
        }
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "pushes in a switch case, each before its step",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: { id: string; kind: "flight" | "hotel" }) => {
      const compensations = [];
      try {
        switch (req.kind) {
          case "flight":
            compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(req.id)));
            await ctx.run("Book flight", () => flightClient.book(req.id));
            break;
          case "hotel":
            compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(req.id)));
            await ctx.run("Book hotel", () => hotelClient.book(req.id));
            break;
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a try inside a ctx.run action is not durable code",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      await ctx.run("book all", async () => {
        const undo: (() => Promise<void>)[] = [];
        try {
          await flightClient.book(id);
          undo.push(() => flightClient.cancel(id));
        } catch (e) {
          for (const u of undo.reverse()) await u();
        }
      });
    },
  },
});` +
          clients,
      },
      {
        name: "undecidable (the compensation shares only `id`, which both steps use too): not reported",
        code:
          header +
          `export const checkout = restate.service({
  name: "checkout",
  handlers: {
    pay: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        await ctx.run("charge", () => chargeFee(id));
        compensations.push(() => ctx.run("refund", () => refund(id)));
        await ctx.run("charge", () => charge(id));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function chargeFee(id: string): Promise<void>;
declare function charge(id: string): Promise<void>;
declare function refund(id: string): Promise<void>;`,
      },
      {
        name: "the Restate docs' booking saga through service clients: the cars compensation shares `customerId` with the flights step, `cars` and `customerId` with the cars step, so it is the cars step's",
        code:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string, f: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string, c: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: { customerId: string; flight: string; car: string }) => {
      const { customerId, flight, car } = req;
      const compensations = [];
      try {
        compensations.push(() => ctx.serviceClient(flights).cancel(customerId));
        await ctx.serviceClient(flights).reserve(customerId, flight);
        compensations.push(() => ctx.serviceClient(cars).cancel(customerId));
        await ctx.serviceClient(cars).reserve(customerId, car);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
      },
      {
        name: "names in another language, pushed before its step: `anularCoche` shares `coches` and `reservaId` with the car step, only `reservaId` with the room step",
        code:
          header +
          `export const viajes = restate.service({
  name: "viajes",
  handlers: {
    reservar: async (ctx: restate.Context, reservaId: string) => {
      const compensaciones: (() => Promise<void>)[] = [];
      try {
        compensaciones.push(() => ctx.run("anular", () => habitaciones.anularReserva(reservaId)));
        await ctx.run("reservar", () => habitaciones.reservarHabitacion(reservaId));
        compensaciones.push(() => ctx.run("anular coche", () => coches.anularCoche(reservaId)));
        await ctx.run("alquilar coche", () => coches.alquilarCoche(reservaId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensaciones.reverse()) await c();
        throw e;
      }
    },
  },
});
declare const habitaciones: { reservarHabitacion(id: string): Promise<void>; anularReserva(id: string): Promise<void> };
declare const coches: { alquilarCoche(id: string): Promise<void>; anularCoche(id: string): Promise<void> };`,
      },
      {
        name: "undecidable: `cancelRoom` after `bookRoom` shares no value with it (nor with the payment after): not reported",
        code:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, req: { room: string; card: string }, bookingRef: string) => {
      const compensations = [];
      try {
        await ctx.run("book room", () => bookRoom(req.room));
        compensations.push(() => ctx.run("cancel room", () => cancelRoom(bookingRef)));
        await ctx.run("pay", () => pay(req.card));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function bookRoom(room: string): Promise<void>;
declare function cancelRoom(ref: string): Promise<void>;
declare function pay(card: string): Promise<void>;`,
      },
      {
        name: "undecidable (equal shares): `cancelRoom(id)` after `bookRoom(id)` with `chargeCard(id)` after it: the id does not tell the steps apart, not reported",
        code:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        await ctx.run("book room", () => bookRoom(id));
        compensations.push(() => ctx.run("cancel room", () => cancelRoom(id)));
        await ctx.run("charge", () => chargeCard(id));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function bookRoom(id: string): Promise<void>;
declare function cancelRoom(id: string): Promise<void>;
declare function chargeCard(id: string): Promise<void>;`,
      },
      {
        name: "undecidable (equal shares, names not read): `cancelFlight(id)` between `bookFlight(id)` and `bookHotel(id)`: not reported",
        code:
          header +
          `async function bookTrip(ctx: restate.Context, id: string) {
  const compensations = [];
  try {
    await bookFlight(id);
    compensations.push(() => cancelFlight(id));
    await bookHotel(id);
  } catch (e) {
    if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
    throw e;
  }
}
declare function bookFlight(id: string): Promise<void>;
declare function cancelFlight(id: string): Promise<void>;
declare function bookHotel(id: string): Promise<void>;`,
      },
      {
        name: "an unrelated push (a notification sharing nothing with either step) is not reported: nothing decides which step it is for",
        code:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, req: { roomId: string; cardId: string; email: string }) => {
      const compensations = [];
      try {
        await ctx.run("book room", () => rooms.book(req.roomId));
        compensations.push(() => ctx.run("notify", () => mailer.send(req.email)));
        await ctx.run("charge", () => cards.charge(req.cardId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare const rooms: { book(id: string): Promise<void> };
declare const cards: { charge(id: string): Promise<void> };
declare const mailer: { send(to: string): Promise<void> };`,
      },
      {
        name: "genericCall with literal targets, each compensation pushed before its step: the flights cancel is for the flights reserve",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.genericCall({ service: "flights", method: "cancel", parameter: id }));
        await ctx.genericCall({ service: "flights", method: "reserve", parameter: id });
        compensations.push(() => ctx.genericCall({ service: "cars", method: "cancel", parameter: id }));
        await ctx.genericCall({ service: "cars", method: "reserve", parameter: id });
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
      },
      {
        // TODO: the push is not a statement of its own (`if (ok) compensations.push(...)`), so the order is not checked.
        name: "known gap: a conditional push without a block is not checked for order",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        const ok = await ctx.run("Book flight", () => flightClient.book(id));
        if (ok) compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
      },
      {
        // TODO: converting every error into a TerminalError also stops Restate from retrying; only a missing throw is reported.
        name: "known gap: rethrowing every error as a new TerminalError is accepted",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw new restate.TerminalError("booking failed");
      }
    },
  },
});` +
          clients,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `export async function handler(ctx: { run(n: string, f: () => unknown): Promise<unknown> }) {
  const compensations: (() => unknown)[] = [];
  try {
    await ctx.run("Book flight", () => 1);
    compensations.push(() => ctx.run("Cancel flight", () => 2));
  } catch (e) {
    for (const c of compensations.reverse()) await c();
  }
}`,
      },
    ],
    invalid: [
      // ---- through helpers ----
      {
        name: "a helper that only logs non-terminal errors (never rethrows) is not a guard: compensated on every error",
        code:
          header +
          `function report(e: unknown) {
  if (!(e instanceof restate.TerminalError)) console.error("transient", e);
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        report(e);
        for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 13 }],
      },
      {
        name: "a helper that returns (instead of throwing) for a non-terminal error is not a guard: the catch compensates and swallows it",
        code:
          header +
          `function skipTransient(e: unknown) {
  if (!(e instanceof restate.TerminalError)) return;
  console.info("terminal", e);
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        skipTransient(e);
        for (const c of compensations.reverse()) await c();
      }
    },
  },
});` +
          clients,
        errors: [
          { messageId: "catchDoesNotRethrow", line: 14 },
          { messageId: "compensatesNonTerminal", line: 14 },
        ],
      },
      {
        name: "an async guard helper called without await: its throw is an unhandled rejection, the catch goes on to compensate",
        code:
          header +
          `async function rethrowIfNotTerminal(e: unknown) {
  if (!(e instanceof restate.TerminalError)) throw e;
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        void rethrowIfNotTerminal(e);
        for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 13 }],
      },
      {
        name: "recursion: a helper that only calls itself (mutually) for non-terminal errors proves nothing and is not a guard",
        code:
          header +
          `function a(e: unknown): void {
  if (e instanceof restate.TerminalError) return;
  b(e);
}
function b(e: unknown): void {
  a(e);
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        a(e);
        for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 17 }],
      },
      {
        name: "a predicate helper that is also true for other errors (`instanceof Error`) is not a guard",
        code:
          header +
          `const isFailure = (e: unknown) => e instanceof restate.TerminalError || e instanceof Error;
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (isFailure(e)) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
      },
      {
        name: "a compensation runner helper called on every error: runs the compensations for transient errors too",
        code:
          header +
          `async function runCompensations(list: (() => Promise<unknown>)[]) {
  for (const undo of [...list].reverse()) await undo();
}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        await runCompensations(compensations);
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 13 }],
      },
      {
        name: "every compensation pushed after its step: each one is lost if its step fails terminally after taking effect",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        await ctx.run("Book flight", () => flightClient.book(customerId));
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(customerId)));

        await ctx.run("Book car", () => carRentalClient.book(customerId));
        compensations.push(() => ctx.run("Cancel car", () => carRentalClient.cancel(customerId)));

        await ctx.run("Book hotel", () => hotelClient.book(customerId));
        compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(customerId)));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        throw e;
      }
    },
  },
});` +
          clients,
        output:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(customerId)));
        await ctx.run("Book flight", () => flightClient.book(customerId));

        compensations.push(() => ctx.run("Cancel car", () => carRentalClient.cancel(customerId)));
        await ctx.run("Book car", () => carRentalClient.book(customerId));

        compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(customerId)));
        await ctx.run("Book hotel", () => hotelClient.book(customerId));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [
          { messageId: "registeredAfterAction", line: 9, data: { array: "compensations", action: '`ctx.run("Book flight")`' } },
          { messageId: "registeredAfterAction", line: 12, data: { array: "compensations", action: '`ctx.run("Book car")`' } },
          { messageId: "registeredAfterAction", line: 15, data: { array: "compensations", action: '`ctx.run("Book hotel")`' } },
        ],
      },
      {
        name: "the compensation needs the booking id the step returns: create the id first (no autofix)",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (context: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        const bookingId = await context.run("Book flight", () => flightClient.book(customerId));
        compensations.push(() => context.run("Cancel flight", () => flightClient.cancel(bookingId)));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [
          {
            messageId: "usesActionResult",
            line: 9,
            data: { array: "compensations", variable: "bookingId", action: '`context.run("Book flight")`', ctx: "context" },
          },
        ],
      },
      {
        // Found by tests/fuzz: moving the push would bind the id from before the step.
        name: "a compensation evaluated on the spot (bind) is reported without an autofix: moved before the step it would change",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations: Array<() => Promise<void>> = [];
      let bookingId = "";
      try {
        bookingId = await ctx.run("Book flight", () => flightClient.book(customerId));
        compensations.push(flightClient.cancel.bind(flightClient, bookingId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        output: null,
        errors: [{ messageId: "registeredAfterAction", line: 10 }],
      },
      {
        name: "a compensation held in a variable the step assigns is reported without an autofix: moved, it would push the old value",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations: Array<() => Promise<void>> = [];
      let cancelFlight = async () => {};
      try {
        cancelFlight = cancellerFor(await ctx.run("Book flight", () => flightClient.book(customerId)));
        compensations.push(cancelFlight);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function cancellerFor(bookingId: string): () => Promise<void>;` +
          clients,
        output: null,
        errors: [{ messageId: "registeredAfterAction", line: 10 }],
      },
      {
        name: "inside a loop the push comes after the reservation of each item; comments move with the push",
        code:
          header +
          `export const warehouse = restate.service({
  name: "warehouse",
  handlers: {
    reserve: async (ctx: restate.Context, items: string[]) => {
      const compensations: (() => Promise<void>)[] = [];
      try {
        for (const item of items) {
          // reserve one item
          await ctx.run(\`reserve \${item}\`, () => stock.reserve(item));
          // undo it on failure
          compensations.push(() => ctx.run(\`release \${item}\`, () => stock.release(item))); // idempotent
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare const stock: { reserve(id: string): Promise<void>; release(id: string): Promise<void> };`,
        output:
          header +
          `export const warehouse = restate.service({
  name: "warehouse",
  handlers: {
    reserve: async (ctx: restate.Context, items: string[]) => {
      const compensations: (() => Promise<void>)[] = [];
      try {
        for (const item of items) {
          // undo it on failure
          compensations.push(() => ctx.run(\`release \${item}\`, () => stock.release(item))); // idempotent
          // reserve one item
          await ctx.run(\`reserve \${item}\`, () => stock.reserve(item));
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare const stock: { reserve(id: string): Promise<void>; release(id: string): Promise<void> };`,
        errors: [{ messageId: "registeredAfterAction", line: 12 }],
      },
      {
        name: "service clients through the context: the cancel of the flights service pushed after the flights call",
        code:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    async book(ctx: restate.Context, id: string) {
      const compensations = [];
      try {
        await ctx.serviceClient(flights).reserve(id);
        compensations.push(() => ctx.serviceClient(flights).cancel(id));
        compensations.push(() => ctx.serviceClient(cars).cancel(id));
        await ctx.serviceClient(cars).reserve(id);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        output:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    async book(ctx: restate.Context, id: string) {
      const compensations = [];
      try {
        compensations.push(() => ctx.serviceClient(flights).cancel(id));
        await ctx.serviceClient(flights).reserve(id);
        compensations.push(() => ctx.serviceClient(cars).cancel(id));
        await ctx.serviceClient(cars).reserve(id);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        errors: [{ messageId: "registeredAfterAction", line: 11, data: { array: "compensations", action: "`ctx.serviceClient(flights).reserve(...)`" } }],
      },
      {
        name: "pushed only after checking the step's outcome: moved before the step (the compensation must tolerate a no-op)",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        const seat = await ctx.run("Book flight", () => flightClient.book(id));
        if (!seat) throw new restate.TerminalError("no seat");
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        output:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        const seat = await ctx.run("Book flight", () => flightClient.book(id));
        if (!seat) throw new restate.TerminalError("no seat");
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "registeredAfterAction", line: 10 }],
      },
      {
        name: "the catch returns a result without rethrowing: non-terminal errors are swallowed and never retried",
        code:
          header +
          `export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("delete", () => deleteUser(ctx.key)));
        await ctx.run("create", () => createUser(ctx.key));
      } catch (e) {
        if (e instanceof restate.TerminalError) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        return { success: false };
      }
      return { success: true };
    },
  },
});
declare function createUser(id: string): Promise<void>;
declare function deleteUser(id: string): Promise<void>;`,
        errors: [
          {
            messageId: "catchDoesNotRethrow",
            line: 10,
            column: 16,
            data: { array: "compensations", caught: "`e`", error: "e", terminal: "restate.TerminalError" },
          },
        ],
      },
      {
        name: "the only throw is inside the TerminalError branch: every other error is swallowed",
        code: `import { object, TerminalError, type ObjectContext } from "@restatedev/restate-sdk";
export const cart = object({
  name: "cart",
  handlers: {
    checkout: async (ctx: ObjectContext) => {
      const compensations: (() => Promise<void>)[] = [];
      try {
        compensations.push(() => ctx.run("release inventory", () => inventory.release(ctx.key)));
        await ctx.run("reserve inventory", () => inventory.reserve(ctx.key));
      } catch (error) {
        if (error instanceof TerminalError) {
          for (const c of compensations.reverse()) await c();
          throw error;
        }
      }
    },
  },
});
declare const inventory: { reserve(k: string): Promise<void>; release(k: string): Promise<void> };`,
        errors: [
          { messageId: "catchDoesNotRethrow", line: 10, data: { array: "compensations", caught: "`error`", error: "error", terminal: "TerminalError" } },
        ],
      },
      {
        name: "no guard: a transient error (which Restate would retry) runs every compensation first",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        for (const compensation of compensations.reverse()) {
          await compensation();
        }
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [
          { messageId: "compensatesNonTerminal", line: 10, data: { array: "compensations", error: "e", terminal: "restate.TerminalError" } },
        ],
      },
      {
        name: "no guard and no rethrow, bare catch, compensations popped in a while loop",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch {
        while (compensations.length) {
          const undo = compensations.pop();
          await undo?.();
        }
        return false;
      }
      return true;
    },
  },
});` +
          clients,
        errors: [
          { messageId: "catchDoesNotRethrow", line: 10, column: 9, endColumn: 14 },
          { messageId: "compensatesNonTerminal", line: 10, column: 9, endColumn: 14 },
        ],
      },
      {
        name: "`instanceof Error` is not a guard: every error is an Error",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (e instanceof Error) await Promise.all(compensations.map((c) => c()));
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 10 }],
      },
      {
        name: "another SDK error class (RetryableError) is not a terminal guard",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
        if (e instanceof restate.RetryableError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 10 }],
      },
      {
        name: "a push at the end of an if branch with nothing after it in the try",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: { id: string; hotel: boolean }) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(req.id)));
        await ctx.run("Book flight", () => flightClient.book(req.id));
        if (req.hotel) {
          await ctx.run("Book hotel", () => hotelClient.book(req.id));
          compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(req.id)));
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        output:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: { id: string; hotel: boolean }) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(req.id)));
        await ctx.run("Book flight", () => flightClient.book(req.id));
        if (req.hotel) {
          compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(req.id)));
          await ctx.run("Book hotel", () => hotelClient.book(req.id));
        }
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "registeredAfterAction", line: 12 }],
      },
      {
        name: "handlers.object.exclusive wrapper and a namespace alias: pushed after the step, swallowed, unguarded",
        code: `import * as sdk from "@restatedev/restate-sdk";
export const desk = sdk.object({
  name: "desk",
  handlers: {
    book: sdk.handlers.object.exclusive(async (ctx: sdk.ObjectContext) => {
      const compensations = [];
      try {
        await ctx.run("Book hotel", () => hotelClient.book(ctx.key));
        compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(ctx.key)));
      } catch (err) {
        for (const c of compensations.reverse()) await c();
      }
    }),
  },
});` +
          clients,
        output: `import * as sdk from "@restatedev/restate-sdk";
export const desk = sdk.object({
  name: "desk",
  handlers: {
    book: sdk.handlers.object.exclusive(async (ctx: sdk.ObjectContext) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel hotel", () => hotelClient.cancel(ctx.key)));
        await ctx.run("Book hotel", () => hotelClient.book(ctx.key));
      } catch (err) {
        for (const c of compensations.reverse()) await c();
      }
    }),
  },
});` +
          clients,
        errors: [
          { messageId: "registeredAfterAction", line: 9 },
          { messageId: "catchDoesNotRethrow", line: 10, data: { array: "compensations", caught: "`err`", error: "err", terminal: "sdk.TerminalError" } },
          { messageId: "compensatesNonTerminal", line: 10, data: { array: "compensations", error: "err", terminal: "sdk.TerminalError" } },
        ],
      },
      {
        name: "a destructured catch parameter cannot be guarded",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch ({ message }) {
        for (const c of compensations.reverse()) await c();
        throw new Error(String(message));
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "compensatesNonTerminal", line: 10 }],
      },
      {
        name: "refund pushed after the charge request and before awaiting its awakeable: it shares `amount` with the request and nothing with the awaited awakeable",
        code:
          header +
          `export const checkout = restate.workflow({
  name: "checkout",
  handlers: {
    run: async (ctx: restate.WorkflowContext, amount: number) => {
      const compensations: Array<() => Promise<unknown>> = [];
      try {
        const payment = ctx.awakeable<{ approved: boolean }>();
        await ctx.run("request charge", () => requestCharge(ctx.key, amount, payment.id));
        compensations.push(() => ctx.run("refund", () => refundPayment(ctx.key, amount)));
        const outcome = await payment.promise;
        if (!outcome.approved) throw new restate.TerminalError("declined");
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function requestCharge(id: string, amount: number, callback: string): Promise<void>;
declare function refundPayment(id: string, amount: number): Promise<void>;`,
        output:
          header +
          `export const checkout = restate.workflow({
  name: "checkout",
  handlers: {
    run: async (ctx: restate.WorkflowContext, amount: number) => {
      const compensations: Array<() => Promise<unknown>> = [];
      try {
        const payment = ctx.awakeable<{ approved: boolean }>();
        compensations.push(() => ctx.run("refund", () => refundPayment(ctx.key, amount)));
        await ctx.run("request charge", () => requestCharge(ctx.key, amount, payment.id));
        const outcome = await payment.promise;
        if (!outcome.approved) throw new restate.TerminalError("declined");
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function requestCharge(id: string, amount: number, callback: string): Promise<void>;
declare function refundPayment(id: string, amount: number): Promise<void>;`,
        errors: [{ messageId: "registeredAfterAction", line: 10, data: { array: "compensations", action: '`ctx.run("request charge")`' } }],
      },
      {
        name: "a hand-rolled compensations array inside a runSaga body is still checked: the push after its step is reported",
        code: `import * as restate from "@restatedev/restate-sdk";
import { runSaga } from "restate-guard-runtime";
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) =>
      runSaga(ctx, async (saga) => {
        const compensations = [];
        try {
          await ctx.run("Book car", () => carRentalClient.book(customerId));
          compensations.push(() => ctx.run("Cancel car", () => carRentalClient.cancel(customerId)));
          await saga.step(
            () => ctx.run("Book hotel", () => hotelClient.book(customerId)),
            () => ctx.run("Cancel hotel", () => hotelClient.cancel(customerId)),
          );
        } catch (e) {
          if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
          throw e;
        }
      }),
  },
});` +
          clients,
        output: `import * as restate from "@restatedev/restate-sdk";
import { runSaga } from "restate-guard-runtime";
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) =>
      runSaga(ctx, async (saga) => {
        const compensations = [];
        try {
          compensations.push(() => ctx.run("Cancel car", () => carRentalClient.cancel(customerId)));
          await ctx.run("Book car", () => carRentalClient.book(customerId));
          await saga.step(
            () => ctx.run("Book hotel", () => hotelClient.book(customerId)),
            () => ctx.run("Cancel hotel", () => hotelClient.cancel(customerId)),
          );
        } catch (e) {
          if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
          throw e;
        }
      }),
  },
});` +
          clients,
        errors: [{ messageId: "registeredAfterAction", line: 11, data: { array: "compensations", action: '`ctx.run("Book car")`' } }],
      },
      {
        name: "`undoReservation` pushed after `bookRoom`: it shares the room id with that step and nothing with the payment after it",
        code:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, roomId: string, paymentId: string) => {
      const compensations = [];
      try {
        await ctx.run("book room", () => bookRoom(roomId));
        compensations.push(() => ctx.run("undo", () => undoReservation(roomId)));
        await ctx.run("pay", () => takePayment(paymentId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function bookRoom(id: string): Promise<void>;
declare function undoReservation(id: string): Promise<void>;
declare function takePayment(id: string): Promise<void>;`,
        output:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, roomId: string, paymentId: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("undo", () => undoReservation(roomId)));
        await ctx.run("book room", () => bookRoom(roomId));
        await ctx.run("pay", () => takePayment(paymentId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function bookRoom(id: string): Promise<void>;
declare function undoReservation(id: string): Promise<void>;
declare function takePayment(id: string): Promise<void>;`,
        errors: [{ messageId: "registeredAfterAction", line: 9, data: { array: "compensations", action: '`ctx.run("book room")`' } }],
      },
      {
        name: "names in Spanish: `anularReserva(habitacionId)` pushed after `reservarHabitacion(habitacionId)`, before `cobrarPago(pagoId)`: decided by the shared id",
        code:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    reservar: async (ctx: restate.Context, habitacionId: string, pagoId: string) => {
      const compensaciones: (() => Promise<void>)[] = [];
      try {
        await ctx.run("reservar", () => reservarHabitacion(habitacionId));
        compensaciones.push(() => ctx.run("anular", () => anularReserva(habitacionId)));
        await ctx.run("cobrar", () => cobrarPago(pagoId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensaciones.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function reservarHabitacion(id: string): Promise<void>;
declare function anularReserva(id: string): Promise<void>;
declare function cobrarPago(id: string): Promise<void>;`,
        output:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    reservar: async (ctx: restate.Context, habitacionId: string, pagoId: string) => {
      const compensaciones: (() => Promise<void>)[] = [];
      try {
        compensaciones.push(() => ctx.run("anular", () => anularReserva(habitacionId)));
        await ctx.run("reservar", () => reservarHabitacion(habitacionId));
        await ctx.run("cobrar", () => cobrarPago(pagoId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensaciones.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function reservarHabitacion(id: string): Promise<void>;
declare function anularReserva(id: string): Promise<void>;
declare function cobrarPago(id: string): Promise<void>;`,
        errors: [{ messageId: "registeredAfterAction", line: 9, data: { array: "compensaciones", action: '`ctx.run("reservar")`' } }],
      },
      {
        name: "names in German, a client object: `zimmer.stornieren(gast)` pushed after `zimmer.buchen(gast)`, before `mietwagen.mieten(gast)`: it shares `zimmer` too",
        code:
          header +
          `export const reise = restate.service({
  name: "reise",
  handlers: {
    buchen: async (ctx: restate.Context, gast: string) => {
      const ausgleich: (() => Promise<void>)[] = [];
      try {
        await ctx.run("Zimmer", () => zimmer.buchen(gast));
        ausgleich.push(() => ctx.run("Zimmer stornieren", () => zimmer.stornieren(gast)));
        await ctx.run("Mietwagen", () => mietwagen.mieten(gast));
      } catch (fehler) {
        if (fehler instanceof restate.TerminalError) for (const a of ausgleich.reverse()) await a();
        throw fehler;
      }
    },
  },
});
declare const zimmer: { buchen(g: string): Promise<void>; stornieren(g: string): Promise<void> };
declare const mietwagen: { mieten(g: string): Promise<void>; zurueckgeben(g: string): Promise<void> };`,
        output:
          header +
          `export const reise = restate.service({
  name: "reise",
  handlers: {
    buchen: async (ctx: restate.Context, gast: string) => {
      const ausgleich: (() => Promise<void>)[] = [];
      try {
        ausgleich.push(() => ctx.run("Zimmer stornieren", () => zimmer.stornieren(gast)));
        await ctx.run("Zimmer", () => zimmer.buchen(gast));
        await ctx.run("Mietwagen", () => mietwagen.mieten(gast));
      } catch (fehler) {
        if (fehler instanceof restate.TerminalError) for (const a of ausgleich.reverse()) await a();
        throw fehler;
      }
    },
  },
});
declare const zimmer: { buchen(g: string): Promise<void>; stornieren(g: string): Promise<void> };
declare const mietwagen: { mieten(g: string): Promise<void>; zurueckgeben(g: string): Promise<void> };`,
        errors: [{ messageId: "registeredAfterAction", line: 9, data: { array: "ausgleich", action: '`ctx.run("Zimmer")`' } }],
      },
      {
        name: "a compensation sharing the step's id (drawn from ctx.rand before it): pushed after that step, before an unrelated one",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        const bookingId = ctx.rand.uuidv4();
        await ctx.run("step 1", () => flightClient.book(bookingId));
        compensations.push(() => ctx.run("step 1 undo", () => release(bookingId)));
        await ctx.run("step 2", () => hotelClient.book(customerId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function release(id: string): Promise<void>;` +
          clients,
        output:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string) => {
      const compensations = [];
      try {
        const bookingId = ctx.rand.uuidv4();
        compensations.push(() => ctx.run("step 1 undo", () => release(bookingId)));
        await ctx.run("step 1", () => flightClient.book(bookingId));
        await ctx.run("step 2", () => hotelClient.book(customerId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function release(id: string): Promise<void>;` +
          clients,
        errors: [{ messageId: "registeredAfterAction", line: 10, data: { array: "compensations", action: '`ctx.run("step 1")`' } }],
      },
      {
        name: "a member of the request (`req.roomId`) shared with the step before, only `req` with the step after: it is the room's",
        code:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, req: { roomId: string; cardId: string }) => {
      const compensations = [];
      try {
        await ctx.run("a", () => first(req.roomId));
        compensations.push(() => ctx.run("b", () => second(req.roomId)));
        await ctx.run("c", () => third(req.cardId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function first(id: string): Promise<void>;
declare function second(id: string): Promise<void>;
declare function third(id: string): Promise<void>;`,
        output:
          header +
          `export const hotel = restate.service({
  name: "hotel",
  handlers: {
    book: async (ctx: restate.Context, req: { roomId: string; cardId: string }) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.run("b", () => second(req.roomId)));
        await ctx.run("a", () => first(req.roomId));
        await ctx.run("c", () => third(req.cardId));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});
declare function first(id: string): Promise<void>;
declare function second(id: string): Promise<void>;
declare function third(id: string): Promise<void>;`,
        errors: [{ messageId: "registeredAfterAction", line: 9 }],
      },
      {
        name: "the Restate docs' booking saga with the flights compensation pushed after `flights.reserve` and before `cars.reserve`: it shares `flights` with the step before",
        code:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string, f: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string, c: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string, flight: string, car: string) => {
      const compensations = [];
      try {
        await ctx.serviceClient(flights).reserve(customerId, flight);
        compensations.push(() => ctx.serviceClient(flights).cancel(customerId));
        compensations.push(() => ctx.serviceClient(cars).cancel(customerId));
        await ctx.serviceClient(cars).reserve(customerId, car);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        output:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string, f: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string, c: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, customerId: string, flight: string, car: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.serviceClient(flights).cancel(customerId));
        await ctx.serviceClient(flights).reserve(customerId, flight);
        compensations.push(() => ctx.serviceClient(cars).cancel(customerId));
        await ctx.serviceClient(cars).reserve(customerId, car);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        errors: [{ messageId: "registeredAfterAction", line: 11, data: { array: "compensations", action: "`ctx.serviceClient(flights).reserve(...)`" } }],
      },
      {
        name: "the flights compensation between `flights.reserve` and `cars.reserve`, with the step through a client held in a variable: the variable stands for `flights`",
        code:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const flightsClient = ctx.serviceClient(flights);
      const compensations = [];
      try {
        await flightsClient.reserve(id);
        compensations.push(() => ctx.serviceClient(flights).cancel(id));
        await ctx.serviceClient(cars).reserve(id);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        output:
          header +
          `declare const flights: restate.ServiceDefinition<"flights", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
declare const cars: restate.ServiceDefinition<"cars", { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }>;
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const flightsClient = ctx.serviceClient(flights);
      const compensations = [];
      try {
        compensations.push(() => ctx.serviceClient(flights).cancel(id));
        await flightsClient.reserve(id);
        await ctx.serviceClient(cars).reserve(id);
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        errors: [{ messageId: "registeredAfterAction", line: 12 }],
      },
      {
        name: "genericCall with literal targets: the flights cancel pushed after the flights reserve, before the cars reserve",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        await ctx.genericCall({ service: "flights", method: "reserve", parameter: id });
        compensations.push(() => ctx.genericCall({ service: "flights", method: "cancel", parameter: id }));
        await ctx.genericCall({ service: "cars", method: "reserve", parameter: id });
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        output:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations = [];
      try {
        compensations.push(() => ctx.genericCall({ service: "flights", method: "cancel", parameter: id }));
        await ctx.genericCall({ service: "flights", method: "reserve", parameter: id });
        await ctx.genericCall({ service: "cars", method: "reserve", parameter: id });
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});`,
        errors: [{ messageId: "registeredAfterAction", line: 9 }],
      },
      {
        name: "clients held in class fields (`this.flights`, `this.cars`): the flights cancel pushed after the flights step",
        code:
          header +
          `interface Api { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }
export class Trips {
  constructor(private readonly flights: Api, private readonly cars: Api) {}
  async book(ctx: restate.Context, id: string) {
    const compensations: (() => Promise<void>)[] = [];
    try {
      await ctx.run("reserve", () => this.flights.reserve(id));
      compensations.push(() => ctx.run("cancel", () => this.flights.cancel(id)));
      await ctx.run("reserve", () => this.cars.reserve(id));
    } catch (e) {
      if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
      throw e;
    }
  }
}`,
        output:
          header +
          `interface Api { reserve(id: string): Promise<void>; cancel(id: string): Promise<void> }
export class Trips {
  constructor(private readonly flights: Api, private readonly cars: Api) {}
  async book(ctx: restate.Context, id: string) {
    const compensations: (() => Promise<void>)[] = [];
    try {
      compensations.push(() => ctx.run("cancel", () => this.flights.cancel(id)));
      await ctx.run("reserve", () => this.flights.reserve(id));
      await ctx.run("reserve", () => this.cars.reserve(id));
    } catch (e) {
      if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
      throw e;
    }
  }
}`,
        errors: [{ messageId: "registeredAfterAction", line: 9 }],
      },
      {
        name: "a compensation pushed by name: the local function is looked into (it cancels through the flight client, like the step before)",
        code:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      const undoFlight = () => ctx.run("undo", () => flightClient.cancel(id));
      try {
        await ctx.run("flight", () => flightClient.book(id));
        compensations.push(undoFlight);
        await ctx.run("hotel", () => hotelClient.book(id));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        output:
          header +
          `export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      const undoFlight = () => ctx.run("undo", () => flightClient.cancel(id));
      try {
        compensations.push(undoFlight);
        await ctx.run("flight", () => flightClient.book(id));
        await ctx.run("hotel", () => hotelClient.book(id));
      } catch (e) {
        if (e instanceof restate.TerminalError) for (const c of compensations.reverse()) await c();
        throw e;
      }
    },
  },
});` +
          clients,
        errors: [{ messageId: "registeredAfterAction", line: 10 }],
      },
    ],
  });
}

/** A saga whose catch only hands the compensations to `catchBody` (the push is before its step). */
const loggedSaga = (declarations: string, catchBody: string) =>
  header +
  `${declarations}
export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
${catchBody}
        throw e;
      }
    },
  },
});` +
  clients;

for (const [mode, tester] of bothTesters) {
  tester.run(`compensation-before-action: logging (${mode})`, rule, {
    valid: [
      {
        name: "logging the compensations through the real console or the context's (any alias) does not run them: the catch is not a saga's",
        code: loggedSaga(
          "",
          `        console.log("pending compensations", compensations);
        globalThis.console.error(compensations);
        ctx.console.info(compensations);
        const log = ctx.console;
        log.warn(compensations);
        const { debug } = console;
        debug(compensations);
        for (const compensation of compensations) ctx.console.debug("pending", compensation);`,
        ),
      },
    ],
    invalid: [
      {
        name: "a logger the rule knows nothing about may run what it is handed (`logger.info(compensations)`): the compensations run on every error",
        code: loggedSaga(
          `declare function makeLogger(): { info(...args: unknown[]): void };
const logger = makeLogger();`,
          `        logger.info(compensations);`,
        ),
        errors: [{ messageId: "compensatesNonTerminal", line: 12 }],
      },
      {
        name: "a local named `console` whose `log` calls what it is handed is not the console: the compensations run on every error",
        code: loggedSaga(
          `const console = { log: (all: (() => unknown)[]) => all.forEach((f) => f()) };`,
          `        console.log(compensations);`,
        ),
        errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
      },
    ],
  });
}

typedRuleTester.run("compensation-before-action: logging (typed only)", rule, {
  valid: [
    {
      name: "with types, a receiver typed as the global `Console` only logs: `logger.info(compensations)` does not run them",
      code: loggedSaga(`declare const logger: Console;`, `        logger.info(compensations);`),
    },
  ],
  invalid: [
    {
      name: "with types, a logger of another type (its own interface) may still run what it is handed",
      code: loggedSaga(`declare const logger: { info(...args: unknown[]): void };`, `        logger.info(compensations);`),
      errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
    },
  ],
});

ruleTester.run("compensation-before-action: logging (syntax only)", rule, {
  valid: [],
  invalid: [
    {
      name: "without types, a local `logger` declared as `Console` is not known to be one: it may run what it is handed",
      code: loggedSaga(`declare const logger: Console;`, `        logger.info(compensations);`),
      errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
    },
  ],
});

/** A booking saga whose catch body (and imports) vary: for the cross-file cases. */
const sagaWith = (imports: string, catchBody: string) =>
  `import { service, type Context } from "@restatedev/restate-sdk";
${imports}
export const trips = service({
  name: "trips",
  handlers: {
    book: async (ctx: Context, id: string) => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
        compensations.push(() => ctx.run("Cancel flight", () => flightClient.cancel(id)));
        await ctx.run("Book flight", () => flightClient.book(id));
      } catch (e) {
${catchBody}
      }
    },
  },
});` + clients;

typedRuleTester.run("compensation-before-action across files (typed)", rule, {
  valid: [
    {
      name: "an imported guard helper (`if (!(e instanceof TerminalError)) throw e`), checked in its own file: non-terminal errors are rethrown by it",
      code: sagaWith(
        `import { rethrowIfNotTerminal } from "./services/utils/errors.js";`,
        `        rethrowIfNotTerminal(e);
        for (const c of compensations.reverse()) await c();`,
      ),
    },
    {
      name: "an imported const-arrow guard (`if (err instanceof TerminalError) return; throw err`) through a namespace import",
      code: sagaWith(
        `import * as errors from "./services/utils/errors.js";`,
        `        errors.assertTerminal(e);
        for (const c of compensations.reverse()) await c();
        throw e;`,
      ),
    },
    {
      name: "an imported predicate (`if (!isTerminal(e)) throw e`) before an imported runner that iterates its parameter in reverse",
      code: sagaWith(
        `import { isTerminal } from "./services/utils/errors.js";
import { runCompensations } from "./services/utils/compensations.js";`,
        `        if (!isTerminal(e)) throw e;
        await runCompensations(compensations);
        return "cancelled";`,
      ),
    },
    {
      name: "an imported helper that only reads the array's length runs nothing: the catch is not a saga's",
      code: sagaWith(
        `import { countCompensations } from "./services/utils/compensations.js";`,
        `        return { failed: countCompensations(compensations) };`,
      ),
    },
  ],
  invalid: [
    {
      name: "an imported helper that only logs non-terminal errors is not a guard (seen in its own file): compensated on every error",
      code: sagaWith(
        `import { reportError } from "./services/utils/errors.js";`,
        `        reportError(e);
        for (const c of compensations.reverse()) await c();
        throw e;`,
      ),
      errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
    },
    {
      name: "an imported runner called on every error runs the compensations for transient errors too",
      code: sagaWith(
        `import { runCompensations } from "./services/utils/compensations.js";`,
        `        await runCompensations(compensations);
        throw e;`,
      ),
      errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
    },
  ],
});

ruleTester.run("compensation-before-action across files (syntax only)", rule, {
  valid: [
    {
      name: "known miss without types: a helper imported from a relative module and handed the caught error is trusted as a guard (its body cannot be seen; precision first); with types this one is reported",
      code: sagaWith(
        `import { reportError } from "./services/utils/errors.js";`,
        `        reportError(e);
        for (const c of compensations.reverse()) await c();
        throw e;`,
      ),
    },
    {
      name: "without types an imported predicate (`if (!isTerminal(e)) throw e`) from a relative module is trusted too, and an imported runner counts as running them",
      code: sagaWith(
        `import { isTerminal } from "./services/utils/errors.js";
import { runCompensations } from "./services/utils/compensations.js";`,
        `        if (!isTerminal(e)) throw e;
        await runCompensations(compensations);
        return "cancelled";`,
      ),
    },
  ],
  invalid: [
    {
      name: "without types an imported runner handed the array still counts as running the compensations",
      code: sagaWith(
        `import { runCompensations } from "./services/utils/compensations.js";`,
        `        await runCompensations(compensations);
        throw e;`,
      ),
      errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
    },
    {
      name: "without types a helper imported from a package is not trusted as a guard (only the project's own relative modules are)",
      code: sagaWith(
        `import { captureException } from "@sentry/node";`,
        `        captureException(e);
        for (const c of compensations.reverse()) await c();
        throw e;`,
      ),
      errors: [{ messageId: "compensatesNonTerminal", line: 11 }],
    },
  ],
});

describe("messages point to the runtime helper", () => {
  it("registeredAfterAction and usesActionResult name restate-guard's Saga", () => {
    const messages = rule.meta.messages;
    for (const id of ["registeredAfterAction", "usesActionResult"] as const) {
      expect(messages[id]).toContain("use `Saga` from restate-guard-runtime");
    }
  });
});
