// Helpers that take an object's context, kept beside the object's client
// definition, as a services folder holds them (no-self-deadlock's fixture).
import * as restate from "@restatedev/restate-sdk";

export type CartApi = {
  add: (ctx: restate.ObjectContext, item: string) => Promise<void>;
  checkout: (ctx: restate.ObjectContext) => Promise<void>;
};

/** The cart's definition for clients: the object itself is implemented in another module. */
export const Cart: restate.VirtualObjectDefinition<"cart", CartApi> = { name: "cart" };

/** Waits for `add` on the caller's own cart: deadlocks when called from an exclusive cart handler. */
export async function reserve(ctx: restate.ObjectContext, item: string): Promise<void> {
  await ctx.objectClient(Cart, ctx.key).add(item);
}

/** Two levels down: each item through `reserve`. */
export async function reserveAll(ctx: restate.ObjectContext, items: string[]): Promise<void> {
  for (const item of items) await reserve(ctx, item);
}

/** Another cart: another key, another lock. */
export async function reserveFor(ctx: restate.ObjectContext, owner: string, item: string): Promise<void> {
  await ctx.objectClient(Cart, owner).add(item);
}

/** A send does not wait: it runs after the caller releases the lock. */
export function reserveLater(ctx: restate.ObjectContext, item: string): void {
  ctx.objectSendClient(Cart, ctx.key).add(item);
}
