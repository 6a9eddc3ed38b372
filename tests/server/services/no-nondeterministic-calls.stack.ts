// restate/no-nondeterministic-calls and a caught error's `stack` (restatedev/sdk-typescript#656), run on a real
// server by tests/server/no-nondeterministic-calls-stack.test.ts. The rule reports nothing here: with SDK 1.17.2
// the stack of an error the SDK delivers is built by the SDK on the first attempt and on every replay alike.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

export const payments = restate.service({
  name: "nndStackPayments",
  handlers: {
    charge: async (_ctx: restate.Context, card: string): Promise<string> => {
      throw new restate.TerminalError(`card ${card} declined`);
    },
  },
});

interface ErrorReport {
  name: string;
  message: string;
  stack?: string;
}

export const audit = restate.service({
  name: "nndStackAudit",
  handlers: {
    onError: async (_ctx: restate.Context, report: ErrorReport) => {
      record(`nnd-stack audit ${JSON.stringify(report.stack ?? report.message)}`);
    },
  },
});

export const orders = restate.object({
  name: "nndStackOrders",
  handlers: {
    // A TerminalError thrown inside ctx.run: its stack goes into state.
    pay: async (ctx: restate.ObjectContext, card: string) => {
      try {
        await ctx.run("charge", () => {
          throw new restate.TerminalError(`card ${card} declined`);
        });
      } catch (e) {
        const err = e as Error;
        record(`nnd-stack pay ${ctx.key} ${JSON.stringify(err.stack)}`);
        ctx.set("lastError", err.stack);
      }
      await ctx.run("notify", () => record(`nnd-stack notify pay ${ctx.key}`));
      crashOnce(`nnd-stack-pay-${ctx.key}`);
    },
    // The shape of #656: a called handler fails terminally, and its name, message and stack go
    // into the argument of a call to another handler.
    payRemote: async (ctx: restate.ObjectContext, card: string) => {
      try {
        await ctx.serviceClient(payments).charge(card);
      } catch (e) {
        const err = e as Error;
        record(`nnd-stack payRemote ${ctx.key} ${JSON.stringify(err.stack)}`);
        await ctx.serviceClient(audit).onError({ name: err.name, message: err.message, stack: err.stack });
      }
      await ctx.run("notify", () => record(`nnd-stack notify payRemote ${ctx.key}`));
      crashOnce(`nnd-stack-payRemote-${ctx.key}`);
    },
    // A plain Error from a run whose retries are exhausted: the SDK turns it into a TerminalError.
    payRetried: async (ctx: restate.ObjectContext, card: string) => {
      try {
        await ctx.run("charge", () => {
          throw new Error(`gateway down for ${card}`);
        }, { maxRetryAttempts: 1, initialRetryInterval: { milliseconds: 10 } });
      } catch (e) {
        const err = e as Error;
        record(`nnd-stack payRetried ${ctx.key} ${JSON.stringify(err.stack)}`);
        ctx.set("lastError", `failed: ${err.stack}`);
      }
      await ctx.run("notify", () => record(`nnd-stack notify payRetried ${ctx.key}`));
      crashOnce(`nnd-stack-payRetried-${ctx.key}`);
    },
    // The form the issue recommends: only the message, which the journal holds.
    payMessage: async (ctx: restate.ObjectContext, card: string) => {
      try {
        await ctx.run("charge", () => {
          throw new restate.TerminalError(`card ${card} declined`);
        });
      } catch (e) {
        ctx.set("lastError", (e as Error).message);
      }
      await ctx.run("notify", () => record(`nnd-stack notify payMessage ${ctx.key}`));
      crashOnce(`nnd-stack-payMessage-${ctx.key}`);
    },
  },
});

export const services = [payments, audit, orders];
