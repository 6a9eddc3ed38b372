/**
 * Test-only helpers for the rule scenarios in tests/server/rules.test.ts.
 *
 * Everything is keyed by files next to the ledger (`LEDGER`), so it survives a
 * process restart: a crash point fires exactly once, a counter keeps counting.
 * None of this is Restate code: it stands in for the outside world (a process
 * that dies, an API whose answers change between calls).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { record } from "../harness.js";

export { record };

function stateFile(name: string): string {
  const ledger = process.env.LEDGER;
  if (!ledger) throw new Error("LEDGER is not set");
  return join(dirname(ledger), name.replace(/[^\w.-]/g, "_"));
}

/** True the first time it is called with `point` (in any process of the test run), false afterwards. */
export function firstTime(point: string): boolean {
  const marker = stateFile(`once-${point}`);
  if (existsSync(marker)) return false;
  writeFileSync(marker, "");
  return true;
}

/**
 * The process dies here, once: SIGKILL, as in an OOM kill or a node being
 * replaced. Restate then retries the invocation on the restarted process,
 * replaying its journal. Put it after an awaited journaled step (a run or a
 * call), so that everything before it is known to be in the journal.
 */
export function crashOnce(point: string): void {
  if (!firstTime(`crash-${point}`)) return;
  record(`crash ${point}`);
  process.kill(process.pid, "SIGKILL");
}

/** 0, 1, 2, ... across processes: how often `name` was counted before. */
export function nextCount(name: string): number {
  const file = stateFile(`count-${name}`);
  const n = existsSync(file) ? Number(readFileSync(file, "utf8")) : 0;
  writeFileSync(file, String(n + 1));
  return n;
}

let thisProcess: number | undefined;
/** 0 for the first process that asks, 1 for the next one (after a restart), ...: stands in for anything that differs per process. */
export function processNumber(): number {
  thisProcess ??= nextCount("process");
  return thisProcess;
}
