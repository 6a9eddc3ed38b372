// Error helpers for compensation-before-action's cross-file tests: plain code, as a services folder's utils/ holds it.
import { TerminalError } from "@restatedev/restate-sdk";

/** A guard: returns only for a TerminalError, rethrows everything else. */
export function rethrowIfNotTerminal(e: unknown): void {
  if (!(e instanceof TerminalError)) throw e;
}

/** The same guard written the other way round. */
export const assertTerminal = (err: unknown) => {
  if (err instanceof TerminalError) return;
  throw err;
};

/** A predicate: true only for a TerminalError. */
export function isTerminal(e: unknown): boolean {
  return e instanceof TerminalError;
}

/** Not a guard: it only logs, every error returns normally. */
export function reportError(e: unknown): void {
  if (!(e instanceof TerminalError)) console.error("transient failure", e);
}
