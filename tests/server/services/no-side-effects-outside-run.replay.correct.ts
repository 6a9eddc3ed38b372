// restate/no-side-effects-outside-run, CORRECT forms (docs/rules/no-side-effects-outside-run.md), run on a
// real server by tests/server/no-side-effects-outside-run.test.ts: the same requests, each inside ctx.run.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

const API = process.env.API_URL;

async function store(name: string, greeting: string): Promise<void> {
  record(`nsor store correct ${name}: ${greeting}`);
}

export const greeter = restate.service({
  name: "nsorGreeterCorrect",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      const greeting = await ctx.run("fetch greeting", async () => {
        const res = await fetch(`${API}/greet/${name}`);
        return res.text();
      });
      await ctx.run("store greeting", () => store(name, greeting));
      crashOnce(`nsor-greet-correct-${name}`);
      return greeting;
    },
  },
});

async function getFxRate(currency: string): Promise<number> {
  const res = await fetch(`${API}/fx/${currency}`);
  return Number(await res.text());
}

export const pricing = restate.service({
  name: "nsorPricingCorrect",
  options: { inactivityTimeout: 100 },
  handlers: {
    quote: async (ctx: restate.Context, amount: number) => {
      const rate = await ctx.run("fx rate", () => getFxRate("USD"));
      await ctx.sleep(1000);
      return amount * rate;
    },
  },
});

export const services = [greeter, pricing];
