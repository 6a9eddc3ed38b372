// Helpers that wait, for no-blocking-in-exclusive-handler's cross-file tests: they take the context and journal their own waits.
import type { ObjectContext, ObjectSharedContext } from "@restatedev/restate-sdk";

/** Sleeps before the next attempt. */
export async function backOff(ctx: ObjectSharedContext, attempt: number): Promise<void> {
  await ctx.sleep(1000 * 2 ** attempt);
}

/** Asks a person and waits for the answer (an awakeable). */
export const waitForApproval = async (ctx: ObjectContext, ask: (id: string) => Promise<void>) => {
  const { id, promise } = ctx.awakeable<boolean>();
  await ctx.run("ask", () => ask(id));
  return await promise;
};

/** Journals a state write: no wait. */
export function remember(ctx: ObjectContext, value: string): void {
  ctx.set("last", value);
}

export class Pacer {
  constructor(private readonly ms: number) {}
  /** Returns the sleep: the caller awaits it. */
  pause(ctx: ObjectContext) {
    return ctx.sleep(this.ms);
  }
}
