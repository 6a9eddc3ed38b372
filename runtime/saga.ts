/**
 * Sagas for Restate handlers: every compensation is registered before its
 * action, by construction, and compensations run only on a terminal failure.
 */
import { TerminalError, type Context } from "@restatedev/restate-sdk";

/** One step of a {@link Saga}: an action and the compensation that undoes it. */
export interface SagaStep<T> {
  /** Shown in errors and logs. */
  name?: string;
  /**
   * The action. Receives the step's id: a deterministic uuid drawn from
   * `ctx.rand` BEFORE the action runs (the same on every replay), so the
   * action can use it as an idempotency key and the compensation can find
   * what the action created.
   */
  action: (id: string) => PromiseLike<T>;
  /**
   * Undoes the action. Registered before the action runs and receives the same
   * id; must be safe to run when the action never took effect. Must be
   * journaled: a `ctx.run` closure or a call to another service.
   */
  compensate: (id: string) => PromiseLike<unknown>;
}

interface Registered {
  readonly name: string;
  readonly id: string;
  readonly compensate: (id: string) => PromiseLike<unknown>;
}

/**
 * Whether `error` is a Restate `TerminalError` (or one of its subclasses,
 * `CancelledError` and `TimeoutError`).
 *
 * `instanceof` against the SDK this module loaded decides in the normal case.
 * When a program ends up with two copies of the SDK (an ES module copy and a
 * CommonJS copy, the "dual package hazard"), the error may come from the other
 * copy: the prototype chain is then checked for a class named `TerminalError`,
 * so that a terminal failure is never mistaken for a retryable one (which
 * would skip the compensations while the SDK still ends the invocation).
 */
export function isTerminalError(error: unknown): boolean {
  if (error instanceof TerminalError) return true;
  if (typeof error !== "object" || error === null) return false;
  for (let proto: unknown = Object.getPrototypeOf(error); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === "function" && ctor.name === "TerminalError") return true;
  }
  return false;
}

/**
 * A saga: a list of compensations, each registered before the action it
 * undoes, run in reverse order when the saga fails terminally.
 *
 * Use it through {@link runSaga}, or directly:
 *
 * ```ts
 * const saga = new Saga(ctx);
 * try {
 *   await saga.step({ action: (id) => ..., compensate: (id) => ... });
 * } catch (e) {
 *   if (e instanceof restate.TerminalError) await saga.compensate();
 *   throw e;
 * }
 * ```
 *
 * Every step draws one uuid from `ctx.rand` (deterministic on replay), even
 * when the action and compensation ignore it.
 */
export class Saga {
  readonly #ctx: Context;
  readonly #pending: Registered[] = [];

  /** @param ctx any Restate context (service, virtual object or workflow handler). */
  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  /**
   * Registers `step.compensate`, then runs `step.action` and returns its result.
   * If the action fails (terminally or not) the compensation stays registered.
   */
  step<T>(step: SagaStep<T>): Promise<T>;
  /**
   * Registers `compensate`, then runs `action` and returns its result.
   * If the action fails (terminally or not) the compensation stays registered.
   */
  step<T>(action: () => PromiseLike<T>, compensate: () => PromiseLike<unknown>): Promise<T>;
  async step<T>(
    stepOrAction: SagaStep<T> | (() => PromiseLike<T>),
    compensate?: () => PromiseLike<unknown>,
  ): Promise<T> {
    let step: SagaStep<T>;
    if (typeof stepOrAction === "function") {
      if (typeof compensate !== "function") {
        throw new TypeError("Saga.step(action, compensate): the compensation is missing; a saga step needs both");
      }
      step = { action: stepOrAction, compensate };
    } else {
      if (typeof stepOrAction?.action !== "function" || typeof stepOrAction.compensate !== "function") {
        throw new TypeError("Saga.step({ action, compensate }): both action and compensate must be functions");
      }
      step = stepOrAction;
    }
    const id = this.#ctx.rand.uuidv4();
    const name = step.name ?? `step ${this.#pending.length + 1}`;
    this.#pending.push({ name, id, compensate: step.compensate });
    return await step.action(id);
  }

  /**
   * Runs the registered compensations in reverse order, each exactly once. A
   * compensation that fails is NOT skipped: the failure is rethrown as a
   * retryable error so Restate retries the invocation (completed compensations
   * replay from the journal; the failed one runs again). Errors that are
   * already retryable are rethrown untouched. Calling it again after it
   * completed does nothing.
   */
  async compensate(): Promise<void> {
    while (this.#pending.length > 0) {
      const last = this.#pending[this.#pending.length - 1]!;
      try {
        await last.compensate(last.id);
      } catch (error) {
        if (!isTerminalError(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(
          `restate-guard Saga: compensation "${last.name}" failed terminally (${message}); ` +
            "it is never skipped, so the invocation is retried. A journaled terminal failure replays as the same failure: " +
            "fix the compensation so it cannot fail terminally, then cancel or restart the invocation.",
          { cause: error },
        );
      }
      this.#pending.pop();
    }
  }
}

/**
 * Runs `body` with a fresh {@link Saga}: on a `TerminalError`, compensates in
 * reverse and rethrows the original error; any other error is rethrown
 * untouched (Restate retries it) without compensating.
 *
 * Only errors that reach `body`'s caller as a `TerminalError` trigger the
 * compensations: a domain error that the service's `asTerminalError` option
 * would turn terminal must be thrown inside a `ctx.run` (which converts it) or
 * thrown as a `TerminalError` directly.
 */
export async function runSaga<T>(ctx: Context, body: (saga: Saga) => Promise<T>): Promise<T> {
  const saga = new Saga(ctx);
  try {
    return await body(saga);
  } catch (error) {
    if (isTerminalError(error)) await saga.compensate();
    throw error;
  }
}
