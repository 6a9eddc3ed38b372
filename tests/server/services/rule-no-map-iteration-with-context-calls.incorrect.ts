// restate/no-map-iteration-with-context-calls, INCORRECT forms (docs/rules/no-map-iteration-with-context-calls.md),
// run on a real server by tests/server/rules.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, processNumber, record } from "./rule-support.js";

/** A pricing API outside Restate: which quote comes back first depends on the process (its load, its cache). */
function quote(sku: string): Promise<string> {
  const rank = sku.charCodeAt(0) - 96; // a = 1, b = 2, ...
  const ms = processNumber() % 2 === 0 ? rank * 15 : (10 - rank) * 15;
  return new Promise((resolve) => setTimeout(() => resolve(`quote-${sku}`), ms));
}

const warehouse = {
  async reserve(sku: string, quoteId: string) {
    record(`map reserve incorrect ${sku} ${quoteId}`);
  },
  async allocate(sku: string, quoteId: string) {
    record(`map allocate incorrect ${sku} ${quoteId}`);
    return `slot-${sku}`;
  },
};

export const inventory = restate.service({
  name: "mapInventoryIncorrect",
  handlers: {
    // The docs example: the Map's insertion order is the quotes' completion order.
    reserve: async (ctx: restate.Context, skus: string[]) => {
      const reservations = new Map<string, string>();
      await Promise.all(skus.map((sku) => quote(sku).then((id) => reservations.set(sku, id))));
      for (const [sku, quoteId] of reservations) { // ← restate/no-map-iteration-with-context-calls
        await ctx.run(`reserve ${sku}`, () => warehouse.reserve(sku, quoteId));
        crashOnce("map-reserve-incorrect");
      }
    },
    // The same loop with unnamed runs: the replay has no name to compare, only positions.
    allocate: async (ctx: restate.Context, skus: string[]) => {
      const quotes = new Map<string, string>();
      await Promise.all(skus.map((sku) => quote(sku).then((id) => quotes.set(sku, id))));
      const slots: Record<string, string> = {};
      for (const [sku, quoteId] of quotes) { // ← restate/no-map-iteration-with-context-calls
        slots[sku] = await ctx.run(() => warehouse.allocate(sku, quoteId));
        crashOnce("map-allocate-incorrect");
      }
      return slots;
    },
  },
});

export const inbox = restate.object({
  name: "mapInboxIncorrect",
  handlers: {
    post: async (ctx: restate.ObjectContext, msg: { url: string; text: string }) => {
      record(`map post incorrect ${ctx.key} ${msg.text}`);
    },
  },
});

// A per-process registry: another process replaying the invocation has the entries in another order.
const subscribers = new Map<string, string>();
function subscribe(id: string, url: string) {
  subscribers.set(id, url);
}
function loadSubscribers() {
  if (subscribers.size > 0) return;
  const ids = processNumber() % 2 === 0 ? ["alice", "bob", "carol"] : ["carol", "bob", "alice"];
  for (const id of ids) subscribe(id, `https://hooks.example/${id}`);
}

export const feed = restate.object({
  name: "mapFeedIncorrect",
  handlers: {
    publish: async (ctx: restate.ObjectContext, text: string) => {
      loadSubscribers();
      subscribers.forEach((url, id) => ctx.objectSendClient(inbox, id).post({ url, text })); // ← restate/no-map-iteration-with-context-calls
      await ctx.run("published", () => record(`map published incorrect ${ctx.key} ${text}`));
      crashOnce(`map-publish-incorrect-${ctx.key}`);
    },
  },
});

export const services = [inventory, inbox, feed];
