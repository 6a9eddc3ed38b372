/** Durable dates for Restate handlers. */
import type { Context } from "@restatedev/restate-sdk";

/**
 * A `Date` for "now" that is the same on every replay: `new Date(await ctx.date.now())`.
 *
 * `ctx.date.now()` is journaled by the SDK (it is a `ctx.run`), so the value
 * is recorded on the first execution and replayed afterwards. Call it in
 * durable code (the handler body), never inside a `ctx.run` action.
 *
 * @example
 * const placedAt = await durableDate(ctx);
 * ctx.set("order", { ...order, placedAt: placedAt.toISOString() });
 */
export async function durableDate(ctx: Context): Promise<Date> {
  return new Date(await ctx.date.now());
}
