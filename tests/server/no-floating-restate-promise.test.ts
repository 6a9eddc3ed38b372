/**
 * restate/no-floating-restate-promise against a real restate-server: Restate work whose promise
 * is dropped — by `forEach` (an async callback doing `await ctx.run(...)`) or by `void` — and
 * the correct forms (a `for...of` loop with `await`, `RestatePromise.all`, `await ctx.run`).
 * A voided request-response call and a send both reach their callee: the rule allows them.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-floating-restate-promise` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-floating-restate-promise.dropped.correct.js";
import type * as incorrectForm from "./services/no-floating-restate-promise.dropped.incorrect.js";

const RULE = "no-floating-restate-promise";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.dropped.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  const incorrect = ref<typeof incorrectForm.orders>("nfrpIncorrect");
  const correct = ref<typeof correctForm.orders>("nfrpCorrect");

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  /** The journal of one invocation: `[entry type, name]` in order. */
  async function journal(id: string): Promise<[string, string | null][]> {
    const rows = await server.query<{ index: number; entry_type: string; name: string | null }>(`SELECT index, entry_type, name FROM sys_journal WHERE id = '${id}' ORDER BY index`);
    return rows.map((row) => [row.entry_type, row.name]);
  }

  async function completed(id: string): Promise<InvocationRow> {
    let row: InvocationRow | undefined;
    await waitUntil(`invocation ${id} to complete`, async () => {
      [row] = await server.query<InvocationRow>(`SELECT id, target, status, completion_result FROM sys_invocation WHERE id = '${id}'`);
      return row?.status === "completed";
    });
    return row!;
  }

  /** Calls a handler through a send (to learn its invocation id), waits for it, and gives its journal. */
  async function invoke(send: () => Promise<{ invocationId: string }>): Promise<{ row: InvocationRow; journal: [string, string | null][] }> {
    const { invocationId } = await send();
    const row = await completed(invocationId);
    return { row, journal: await journal(invocationId) };
  }

  const pause = () => new Promise((resolve) => setTimeout(resolve, 1000));

  it("incorrect: forEach(async (item) => { await ctx.run(...) }) — the runs are journaled, their actions never execute, the invocation succeeds", async () => {
    const { row, journal: entries } = await invoke(() => ingress.serviceSendClient(incorrect).chargeAll(["a", "b", "c"]));
    expect(row.completion_result).toBe("success");
    // Each callback created its run before its first await; nothing awaited them, so no run produced a result.
    expect(entries).toEqual([
      ["Command: Input", ""],
      ["Command: Run", "charge a"],
      ["Command: Run", "charge b"],
      ["Command: Run", "charge c"],
      ["Command: Output", ""],
    ]);
    await pause();
    expect(lines("nfrp charge incorrect")).toEqual([]);
  });

  it("correct: for...of with await, and RestatePromise.all over the runs — every action executes once and its result is journaled", async () => {
    const sequential = await invoke(() => ingress.serviceSendClient(correct).chargeAll(["a", "b", "c"]));
    expect(sequential.row.completion_result).toBe("success");
    expect(sequential.journal.filter(([type]) => type === "Notification: Run")).toHaveLength(3);
    expect(lines("nfrp charge correct")).toEqual(["nfrp charge correct a", "nfrp charge correct b", "nfrp charge correct c"]);
    const together = await invoke(() => ingress.serviceSendClient(correct).chargeAllAtOnce(["a", "b", "c"]));
    expect(together.row.completion_result).toBe("success");
    expect(lines("nfrp charge at once correct").sort()).toEqual(["nfrp charge at once correct a", "nfrp charge at once correct b", "nfrp charge at once correct c"]);
  });

  it("incorrect: void ctx.run(...) — the run is journaled, its action never executes, the invocation succeeds", async () => {
    const { row, journal: entries } = await invoke(() => ingress.serviceSendClient(incorrect).voidRun("r1"));
    expect(row.completion_result).toBe("success");
    expect(entries).toEqual([
      ["Command: Input", ""],
      ["Command: Run", "audit"],
      ["Command: Output", ""],
    ]);
    await pause();
    expect(lines("nfrp audit incorrect")).toEqual([]);
  });

  it("correct: await ctx.run(...) — the action executes and its result is journaled", async () => {
    const { row, journal: entries } = await invoke(() => ingress.serviceSendClient(correct).awaitRun("r1"));
    expect(row.completion_result).toBe("success");
    expect(entries.map(([type]) => type)).toEqual(["Command: Input", "Command: Run", "Notification: Run", "Command: Output"]);
    expect(lines("nfrp audit correct")).toEqual(["nfrp audit correct r1"]);
  });

  it("incorrect: void ctx.sleep(1000) waits for nothing; correct: await ctx.sleep(1000) waits", async () => {
    let started = Date.now();
    expect(await ingress.serviceClient(incorrect).voidSleep("s1")).toBe("done");
    const voided = Date.now() - started;
    started = Date.now();
    expect(await ingress.serviceClient(correct).awaitSleep("s1")).toBe("done");
    const awaited = Date.now() - started;
    expect(voided).toBeLessThan(900);
    expect(awaited).toBeGreaterThanOrEqual(1000);
    expect(lines("nfrp after sleep")).toEqual(["nfrp after sleep incorrect s1", "nfrp after sleep correct s1"]);
  });

  it("allowed: a voided request-response call and a send both reach their callee", async () => {
    const voided = await invoke(() => ingress.serviceSendClient(correct).voidCall("c1"));
    expect(voided.journal.map(([type]) => type)).toEqual(["Command: Input", "Command: Call", "Notification: CallInvocationId", "Command: Output"]);
    const sent = await invoke(() => ingress.serviceSendClient(correct).send("x"));
    expect(sent.journal.map(([type]) => type)).toEqual(["Command: Input", "Command: OneWayCall", "Notification: CallInvocationId", "Command: Output"]);
    await waitUntil("both callees to run", async () => lines("nfrp notify").length === 2);
    expect(lines("nfrp notify").sort()).toEqual(["nfrp notify correct send x", "nfrp notify correct void call c1"]);
  });
});
