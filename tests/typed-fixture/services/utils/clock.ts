// Plain time and id helpers, as a services folder's utils/ holds them: no Restate import.
import { randomUUID } from "node:crypto";

export function nowMillis(): number {
  return Date.now();
}

export const isoNow = () => new Date().toISOString();

export function newOrderId(prefix: string): string {
  const id = randomUUID();
  return `${prefix}-${id}`;
}

/** Reads the clock for a log line only: what it returns does not depend on it. */
export function logTiming(label: string, startedAt: number): number {
  console.log(label, Date.now() - startedAt);
  return startedAt;
}

export class IdFactory {
  next(): string {
    return randomUUID();
  }
}
