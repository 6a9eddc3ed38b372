// restate/no-context-in-run, CORRECT forms (docs/rules/no-context-in-run.md), run on a
// real server by tests/server/rules.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { crashOnce, record } from "./rule-support.js";

const db = {
  async save(key: string, items: string[]) {
    record(`ncr db.save correct ${key} ${JSON.stringify(items)}`);
  },
};

export const cart = restate.object({
  name: "ncrCartCorrect",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: string) => {
      const items = [...((await ctx.get<string[]>("items")) ?? []), item];
      await ctx.run("save", () => db.save(ctx.key, items));
      crashOnce(`ncr-add-correct-${ctx.key}`);
      ctx.set("items", items);
    },
    stamp: async (ctx: restate.ObjectContext, label: string) => {
      const now = await ctx.date.now();
      await ctx.run("stamp", () => record(`ncr stamp correct ${ctx.key} ${label}`));
      crashOnce(`ncr-stamp-correct-${ctx.key}`);
      ctx.set("stampedAt", now);
      return now;
    },
    audit: async (ctx: restate.ObjectContext, entry: string) => {
      await ctx.run("write entry", () => record(`ncr audit correct ${ctx.key} ${entry}`));
      crashOnce(`ncr-audit-correct-${ctx.key}`);
      ctx.set("lastEntry", entry);
    },
  },
});

export const services = [cart];
