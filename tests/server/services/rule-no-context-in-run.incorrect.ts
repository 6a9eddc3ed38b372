// restate/no-context-in-run, INCORRECT forms (docs/rules/no-context-in-run.md), run on a
// real server by tests/server/rules.test.ts. Lines the rule must report end in "← restate/...".
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

const db = {
  async save(key: string, items: string[]) {
    record(`ncr db.save incorrect ${key} ${JSON.stringify(items)}`);
  },
};

export const cart = restate.object({
  name: "ncrCartIncorrect",
  handlers: {
    // The docs example: state read inside the run action.
    add: async (ctx: restate.ObjectContext, item: string) => {
      await ctx.run("save", async () => {
        const items = (await ctx.get<string[]>("items")) ?? []; // ← restate/no-context-in-run
        await db.save(ctx.key, [...items, item]);
      });
      crashOnce(`ncr-add-incorrect-${ctx.key}`);
      ctx.set("lastAdded", item);
    },
    // A journaled clock inside the action.
    stamp: async (ctx: restate.ObjectContext, label: string) => {
      const at = await ctx.run("stamp", async () => {
        const now = await ctx.date.now(); // ← restate/no-context-in-run
        record(`ncr stamp incorrect ${ctx.key} ${label}`);
        return now;
      });
      crashOnce(`ncr-stamp-incorrect-${ctx.key}`);
      ctx.set("stampedAt", at);
      return at;
    },
    // A run nested in a run.
    audit: async (ctx: restate.ObjectContext, entry: string) => {
      await ctx.run("audit", async () => {
        await ctx.run("write entry", () => record(`ncr audit incorrect ${ctx.key} ${entry}`)); // ← restate/no-context-in-run
      });
      crashOnce(`ncr-audit-incorrect-${ctx.key}`);
      ctx.set("lastEntry", entry);
    },
  },
});

export const services = [cart];
