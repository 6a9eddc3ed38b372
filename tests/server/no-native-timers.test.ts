/**
 * restate/no-native-timers on a real restate-server: the rule page's reminder, which waits with
 * `await new Promise((resolve) => setTimeout(resolve, ms))` before sending, against the same handler
 * with `await ctx.sleep(ms)`. The process serving both is killed in the middle of the wait (as a
 * deploy or an OOM kill would) and started again by its supervisor; Restate retries the invocation.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-native-timers` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-native-timers.remind.correct.js";
import type * as incorrectForm from "./services/no-native-timers.remind.incorrect.js";

const RULE = "no-native-timers";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.remind.${form}.ts`);

/** The reminder's wait, and when (after the wait started) the process is killed. */
const WAIT_MS = 3000;
const KILL_AFTER_MS = 1000;

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  let kills = 0;

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path }, { supervise: true })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  /** The times (ms since the epoch) on the ledger lines starting with `prefix`. */
  const times = (prefix: string) =>
    ledger
      .lines()
      .filter((line) => line.startsWith(`${prefix} `))
      .map((line) => Number(line.slice(prefix.length + 1)));

  /**
   * Sends a reminder, kills the service process KILL_AFTER_MS into the wait, and waits for the
   * mail: how long after the first wait started it was sent, how many times a wait started, and
   * the invocation's journal.
   */
  async function remindThroughAKill(form: "incorrect" | "correct", to: string) {
    const service = ref<typeof incorrectForm.reminders | typeof correctForm.reminders>(form === "incorrect" ? "nntRemindersIncorrect" : "nntRemindersCorrect");
    const { invocationId } = await ingress.serviceSendClient(service).remind({ to, inMs: WAIT_MS });
    await waitUntil("the wait to start", async () => times(`nnt wait ${form} ${to}`).length === 1, 10_000, 20);
    const [started] = times(`nnt wait ${form} ${to}`);
    await new Promise((resolve) => setTimeout(resolve, started! + KILL_AFTER_MS - Date.now()));
    await endpoint.kill("SIGKILL");
    const killedAt = Date.now();
    await endpoint.restartedAfterCrashes(++kills);
    note(`[${RULE}] ${form}: killed ${killedAt - started!} ms into the wait, serving again after ${Date.now() - killedAt} ms`);
    await waitUntil("the mail to be sent", async () => times(`nnt send ${form} ${to}`).length > 0, 20_000, 20);
    let row: InvocationRow | undefined;
    await waitUntil("the invocation to complete", async () => {
      [row] = await server.query<InvocationRow>(`SELECT id, status, completion_result FROM sys_invocation WHERE id = '${invocationId}'`);
      return row?.status === "completed";
    });
    const journal = await server.query<{ entry_type: string; name: string | null }>(`SELECT entry_type, name FROM sys_journal WHERE id = '${invocationId}' ORDER BY index`);
    const waits = times(`nnt wait ${form} ${to}`);
    const sends = times(`nnt send ${form} ${to}`);
    const elapsed = sends[0]! - started!;
    note(`[${RULE}] ${form}: executions of the handler ${waits.length}, mails ${sends.length}, mail sent ${elapsed} ms after the wait began; journal ${journal.map((e) => e.entry_type).join(", ")}`);
    return { row: row!, waits, sends, elapsed, journal: journal.map((e) => e.entry_type), killedAt: killedAt - started! };
  }

  it("incorrect: setTimeout — the kill loses the elapsed part of the wait; the retry waits the whole time again", async () => {
    const { row, waits, sends, elapsed, journal, killedAt } = await remindThroughAKill("incorrect", "ann");
    expect(row.completion_result).toBe("success");
    // Nothing about the wait is journaled: Restate knows only the input and the run.
    expect(journal).not.toContain("Command: Sleep");
    expect(journal).toEqual(["Command: Input", "Command: Run", "Notification: Run", "Command: Output"]);
    // The retry started a new timer from zero, after the kill: the mail went out a whole wait after the kill.
    expect(waits).toHaveLength(2);
    expect(waits[1]! - waits[0]!).toBeGreaterThanOrEqual(killedAt);
    expect(sends).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(killedAt + WAIT_MS);
  });

  it("correct: ctx.sleep — the sleep is journaled with its wake-up time; the retry resumes it and the mail goes out on time", async () => {
    const { row, waits, sends, elapsed, journal } = await remindThroughAKill("correct", "bob");
    expect(row.completion_result).toBe("success");
    expect(journal).toEqual(["Command: Input", "Command: Sleep", "Notification: Sleep", "Command: Run", "Notification: Run", "Command: Output"]);
    // The handler ran twice (the replay), but the wait was not restarted: the mail went out once,
    // at the time the first execution asked for, not a whole wait after the kill.
    expect(waits).toHaveLength(2);
    expect(sends).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS);
    expect(elapsed).toBeLessThan(KILL_AFTER_MS + WAIT_MS);
  });
});
