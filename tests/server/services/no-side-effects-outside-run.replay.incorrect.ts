// restate/no-side-effects-outside-run, INCORRECT forms (docs/rules/no-side-effects-outside-run.md), run on a
// real server by tests/server/no-side-effects-outside-run.test.ts. Lines the rule must report end in "← restate/...".
// API_URL is a small HTTP API the test runs; it answers each request with a new number, so that a repeated
// request is both counted and visible in the value.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

const API = process.env.API_URL;

async function store(name: string, greeting: string): Promise<void> {
  record(`nsor store incorrect ${name}: ${greeting}`);
}

// The page's first example; the process dies once after the stored greeting, and Restate retries.
export const greeter = restate.service({
  name: "nsorGreeterIncorrect",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      const res = await fetch(`${API}/greet/${name}`); // ← restate/no-side-effects-outside-run
      const greeting = await res.text();
      await ctx.run("store greeting", () => store(name, greeting));
      crashOnce(`nsor-greet-incorrect-${name}`);
      return greeting;
    },
  },
});

async function getFxRate(currency: string): Promise<number> {
  const res = await fetch(`${API}/fx/${currency}`);
  return Number(await res.text());
}

// The page's third example; a short inactivity timeout makes the sleep suspend the invocation, so that
// it is replayed when the timer fires (as any sleep longer than the server's inactivity timeout is).
export const pricing = restate.service({
  name: "nsorPricingIncorrect",
  options: { inactivityTimeout: 100 },
  handlers: {
    quote: async (ctx: restate.Context, amount: number) => {
      const rate = await getFxRate("EUR"); // ← restate/no-side-effects-outside-run
      await ctx.sleep(1000);
      return amount * rate;
    },
  },
});

// The same handler with the server's default inactivity timeout (one minute): the sleep does not suspend.
export const pricingHeld = restate.service({
  name: "nsorPricingHeld",
  handlers: {
    quote: async (ctx: restate.Context, amount: number) => {
      const rate = await getFxRate("GBP"); // ← restate/no-side-effects-outside-run
      await ctx.sleep(1000);
      return amount * rate;
    },
  },
});

export const services = [greeter, pricing, pricingHeld];
