// restate/no-map-iteration-with-context-calls, CORRECT forms (docs/rules/no-map-iteration-with-context-calls.md),
// run on a real server by tests/server/rules.test.ts.
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
    record(`map reserve correct ${sku} ${quoteId}`);
  },
  async allocate(sku: string, quoteId: string) {
    record(`map allocate correct ${sku} ${quoteId}`);
    return `slot-${sku}`;
  },
};

export const inventory = restate.service({
  name: "mapInventoryCorrect",
  handlers: {
    reserve: async (ctx: restate.Context, skus: string[]) => {
      const reservations = new Map<string, string>();
      await Promise.all(skus.map((sku) => quote(sku).then((id) => reservations.set(sku, id))));
      // Sorted by key: the same order on every replay, whatever order the quotes came back in.
      for (const [sku, quoteId] of [...reservations.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        await ctx.run(`reserve ${sku}`, () => warehouse.reserve(sku, quoteId));
        crashOnce("map-reserve-correct");
      }
    },
    allocate: async (ctx: restate.Context, skus: string[]) => {
      const quotes = new Map<string, string>();
      await Promise.all(skus.map((sku) => quote(sku).then((id) => quotes.set(sku, id))));
      const slots: Record<string, string> = {};
      for (const [sku, quoteId] of [...quotes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        slots[sku] = await ctx.run(() => warehouse.allocate(sku, quoteId));
        crashOnce("map-allocate-correct");
      }
      return slots;
    },
  },
});

export const inbox = restate.object({
  name: "mapInboxCorrect",
  handlers: {
    post: async (ctx: restate.ObjectContext, msg: { url: string; text: string }) => {
      record(`map post correct ${ctx.key} ${msg.text}`);
    },
  },
});

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
  name: "mapFeedCorrect",
  handlers: {
    publish: async (ctx: restate.ObjectContext, text: string) => {
      loadSubscribers();
      for (const [id, url] of [...subscribers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        ctx.objectSendClient(inbox, id).post({ url, text });
      }
      await ctx.run("published", () => record(`map published correct ${ctx.key} ${text}`));
      crashOnce(`map-publish-correct-${ctx.key}`);
    },
  },
});

export const services = [inventory, inbox, feed];
