/**
 * Type-level tests for scheduleSelf, checked by `tsc -p tsconfig.json` and by
 * schedule-self.test.ts (which compiles this file and expects no errors, so an
 * unused `@ts-expect-error` fails too). Never executed.
 */
import * as restate from "@restatedev/restate-sdk";
import { expectTypeOf } from "vitest";
import { scheduleSelf, type DelayedSelfClient } from "../../runtime/index.js";

interface Item {
  sku: string;
  qty: number;
}

const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: Item): Promise<number> => {
      const items = (await ctx.get<Item[]>("items")) ?? [];
      ctx.set("items", [...items, item]);
      scheduleSelf(ctx, cart, { hours: 1 }).expire();
      return items.length + 1;
    },
    expire: async (ctx: restate.ObjectContext): Promise<void> => {
      ctx.clearAll();
    },
    remind: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, message: string): Promise<string> => {
      // A shared handler can schedule too (ctx.key is there).
      scheduleSelf(ctx, cart, 5_000).remind(message);
      return message;
    }),
    sync: restate.handlers.object.exclusive({}, async (_ctx: restate.ObjectContext, input: { force: boolean }) => input.force),
  },
});

type Cart = typeof cart;

declare const ctx: restate.ObjectContext;
declare const shared: restate.ObjectSharedContext;
declare const workflowCtx: restate.WorkflowContext;
declare const serviceCtx: restate.Context;
declare const typedState: restate.ObjectContext<{ items: Item[] }>;
declare const typedShared: restate.ObjectSharedContext<{ items: Item[] }>;

const later = scheduleSelf(ctx, cart, { minutes: 5 });

// One method per handler, typed from the definition: the input only, returning the send's handle.
expectTypeOf(later).toEqualTypeOf<DelayedSelfClient<Cart>>();
expectTypeOf(later.add).parameters.toEqualTypeOf<[item: Item]>();
expectTypeOf(later.add).returns.toEqualTypeOf<restate.InvocationHandle>();
expectTypeOf(later.expire).parameters.toEqualTypeOf<[]>();
expectTypeOf(later.remind).parameters.toEqualTypeOf<[message: string]>();
expectTypeOf(later.sync).parameters.toEqualTypeOf<[input: { force: boolean }]>();
expectTypeOf<keyof typeof later>().toEqualTypeOf<"add" | "expire" | "remind" | "sync">();

later.add({ sku: "A-1", qty: 2 });
later.expire();
scheduleSelf(shared, cart, 1_000).remind("hello");
scheduleSelf(workflowCtx, cart, { days: 1 }).expire(); // a workflow context is an object context too
scheduleSelf(typedState, cart, 1).expire(); // contexts with typed state
scheduleSelf(typedShared, cart, 1).remind("x");

// A handler interface instead of the definition, as for ctx.objectSendClient<Api>({ name }).
type CartApi = Pick<Cart extends restate.VirtualObjectDefinition<"cart", infer M> ? M : never, "add" | "expire">;
expectTypeOf(scheduleSelf<CartApi>(ctx, { name: "cart" }, 10).add).parameters.toEqualTypeOf<[item: Item]>();

// ---- type errors ----

// @ts-expect-error no such handler
later.expir();
// @ts-expect-error wrong input type
later.add({ sku: 1, qty: 2 });
// @ts-expect-error missing input
later.add();
// @ts-expect-error input for a handler that takes none
later.expire("now");
// @ts-expect-error no options argument: the delay is the options
later.add({ sku: "A-1", qty: 1 }, restate.rpc.sendOpts({ delay: 5 }));
// @ts-expect-error a service context has no key: scheduleSelf is for virtual objects
scheduleSelf(serviceCtx, cart, 1_000);
// @ts-expect-error the delay is a Duration or milliseconds
scheduleSelf(ctx, cart, "5 minutes");
// @ts-expect-error not a handler of the interface given
scheduleSelf<CartApi>(ctx, { name: "cart" }, 10).remind("x");
