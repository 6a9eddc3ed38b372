/** Delayed messages from a virtual object to itself. */
import { rpc } from "@restatedev/restate-sdk";
import type {
  Duration,
  InvocationHandle,
  ObjectContext,
  ObjectSharedContext,
  VirtualObject,
  VirtualObjectDefinitionFrom,
} from "@restatedev/restate-sdk";

/**
 * One method per handler of the virtual object `D`: each takes the handler's
 * input (nothing for a handler without input; no options argument) and sends a
 * delayed one-way message to that handler of the same object and key,
 * returning the send's `InvocationHandle`.
 */
export type DelayedSelfClient<D> = {
  [K in keyof VirtualObject<D> as VirtualObject<D>[K] extends never ? never : K]: VirtualObject<D>[K] extends (
    ctx: any,
    ...args: infer P
  ) => unknown
    ? (...args: P) => InvocationHandle
    : never;
};

/**
 * A client that sends delayed messages to a handler of the same virtual
 * object and key as the current handler: the durable way to "wait, then do
 * something" without holding the object's lock.
 *
 * `scheduleSelf(ctx, cart, { hours: 1 }).expireCart()` is
 * `ctx.objectSendClient(cart, ctx.key).expireCart(undefined, rpc.sendOpts({ delay: { hours: 1 } }))`.
 *
 * The send is journaled: it happens once, even if the handler is replayed.
 * The current handler returns immediately and releases the key; the target
 * handler runs no earlier than `delay` from now (later if the object is busy or
 * the service is down), as a new invocation with its own lock.
 *
 * @param ctx the context of a handler of the object (exclusive or shared, with typed state or not)
 * @param object the object's definition (the value returned by `restate.object(...)`),
 *   or `{ name }` typed with the object's handler interface
 * @param delay a Restate `Duration` (`{ minutes: 5 }`) or milliseconds
 */
export function scheduleSelf<D>(
  // `any` state: an ObjectContext<MyState> is not assignable to ObjectContext<UntypedState>.
  ctx: ObjectContext<any> | ObjectSharedContext<any>,
  object: VirtualObjectDefinitionFrom<D>,
  delay: Duration | number,
): DelayedSelfClient<D> {
  const send = ctx.objectSendClient(object, ctx.key) as unknown as Record<
    string,
    (input: unknown, opts: ReturnType<typeof rpc.sendOpts>) => InvocationHandle
  >;
  return new Proxy({} as DelayedSelfClient<D>, {
    get(_target, handler) {
      // Not a handler: keeps `await scheduleSelf(...)` and inspection from sending messages.
      if (typeof handler !== "string" || handler === "then") return undefined;
      return (...args: unknown[]): InvocationHandle => send[handler]!(args[0], rpc.sendOpts({ delay }));
    },
  });
}
