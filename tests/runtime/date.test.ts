/** durableDate(): a Date built from the journaled ctx.date.now(). */
import type { Context } from "@restatedev/restate-sdk";
import { describe, expect, it } from "vitest";
import { durableDate } from "../../runtime/index.js";

describe("durableDate", () => {
  it("returns new Date(await ctx.date.now()) and asks the context exactly once", async () => {
    let calls = 0;
    const ctx = { date: { now: async () => (calls++, 1_700_000_000_123) } } as unknown as Context;
    const date = await durableDate(ctx);
    expect(date).toBeInstanceOf(Date);
    expect(date.getTime()).toBe(1_700_000_000_123);
    expect(date.toISOString()).toBe("2023-11-14T22:13:20.123Z");
    expect(calls).toBe(1);
  });

  it("propagates a failure of ctx.date.now() untouched", async () => {
    const error = new Error("suspended");
    const ctx = { date: { now: () => Promise.reject(error) } } as unknown as Context;
    await expect(durableDate(ctx)).rejects.toBe(error);
  });
});
