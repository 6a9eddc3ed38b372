// Plain timing helpers, as a services folder's utils/ holds them: no Restate import.
import { setTimeout as sleep } from "node:timers/promises";

export async function backoff(attempt: number): Promise<void> {
  await sleep(100 * 2 ** attempt);
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Poller {
  async waitUntil(check: () => boolean): Promise<void> {
    while (!check()) await pause(50);
  }
}
