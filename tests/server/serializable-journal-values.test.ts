/**
 * restate/serializable-journal-values on a real restate-server: the rule page's two incorrect examples — a
 * `ctx.run` whose action returns a Date (the code after it calls `.getTime()`), and an object handler that
 * stores a Map with `ctx.set` and returns a bigint — against the correct forms (epoch milliseconds; a plain
 * object and a string). The Date case is retried by the server, so the same handler is seen on its first
 * execution and on its replays; the Map is read back by a later invocation.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/serializable-journal-values` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/serializable-journal-values.replay.correct.js";
import type * as incorrectForm from "./services/serializable-journal-values.replay.incorrect.js";

const RULE = "serializable-journal-values";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.replay.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  const subscriptionsIncorrect = ref<typeof incorrectForm.subscriptions>("sjvSubscriptionsIncorrect");
  const inventoryIncorrect = ref<typeof incorrectForm.inventory>("sjvInventoryIncorrect");
  const subscriptionsCorrect = ref<typeof correctForm.subscriptions>("sjvSubscriptionsCorrect");
  const inventoryCorrect = ref<typeof correctForm.inventory>("sjvInventoryCorrect");

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  async function row(id: string): Promise<InvocationRow> {
    const [found] = await server.query<InvocationRow>(
      `SELECT id, status, retry_count, last_failure, completion_result, completion_failure FROM sys_invocation WHERE id = '${id}'`,
    );
    return found!;
  }

  /** Waits until an invocation has failed and been retried `times` times, and gives its row. */
  async function retried(id: string, times: number): Promise<InvocationRow> {
    let found: InvocationRow | undefined;
    await waitUntil(`invocation ${id} to be retried ${times} times`, async () => {
      found = await row(id);
      return (found?.retry_count ?? 0) >= times && found?.last_failure !== null;
    });
    return found!;
  }

  async function kill(id: string): Promise<void> {
    const response = await fetch(`${server.adminUrl}/invocations/${id}/kill`, { method: "PATCH" });
    expect(response.ok).toBe(true);
    await waitUntil(`invocation ${id} to be killed`, async () => (await row(id))?.status === "completed");
  }

  /** The journal of one invocation: `[entry type, name]` in order. */
  async function journal(id: string): Promise<[string, string | null][]> {
    const rows = await server.query<{ index: number; entry_type: string; name: string | null }>(`SELECT index, entry_type, name FROM sys_journal WHERE id = '${id}' ORDER BY index`);
    return rows.map((entry) => [entry.entry_type, entry.name ?? null]);
  }

  async function stateOf(object: string, key: string): Promise<Record<string, string>> {
    const rows = await server.query<{ key: string; value_utf8: string }>(`SELECT key, value_utf8 FROM state WHERE service_name = '${object}' AND service_key = '${key}'`);
    return Object.fromEntries(rows.map((entry) => [entry.key, entry.value_utf8]));
  }

  /** The value a `Notification: Run` entry of an invocation journaled, as text (the serde's bytes). */
  async function runResult(id: string): Promise<string> {
    const [entry] = await server.query<{ entry_json: string }>(`SELECT entry_json FROM sys_journal WHERE id = '${id}' AND entry_type = 'Notification: Run'`);
    const bytes = (JSON.parse(entry!.entry_json) as { Notification: { Completion: { Run: { result: { Success: number[] } } } } }).Notification.Completion.Run.result.Success;
    return Buffer.from(bytes).toString("utf8");
  }

  it("incorrect: a Date returned from ctx.run — journaled as an ISO string; the handler gets that string on its first execution and on every retry, .getTime() throws, the server retries forever", async () => {
    const { invocationId } = await ingress.objectSendClient(subscriptionsIncorrect, "s1").renew();
    const failing = await retried(invocationId, 3);
    note(`renew incorrect: retry_count ${failing.retry_count}, last_failure ${failing.last_failure?.split("\n")[0]}`);
    expect(failing.status).not.toBe("completed");
    expect(failing.last_failure).toContain("renewedAt.getTime is not a function");
    // The run's action ran once; its result is in the journal as JSON: a quoted ISO string.
    expect(await journal(invocationId)).toEqual([
      ["Command: Input", ""],
      ["Command: Run", "renew"],
      ["Notification: Run", null],
    ]);
    const journaled = await runResult(invocationId);
    note(`journaled run result: ${journaled}`);
    expect(journaled).toMatch(/^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    expect(lines("sjv renew incorrect")).toEqual(["sjv renew incorrect s1"]);
    // What `await ctx.run(...)` gave the handler, first execution included: that string, not a Date.
    const seen = lines("sjv renew sees incorrect");
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set([`sjv renew sees incorrect s1 string ${journaled}`]));
    await kill(invocationId);
    expect(await stateOf("sjvSubscriptionsIncorrect", "s1")).toEqual({});
  });

  it("incorrect: a Map stored with ctx.set and a bigint returned — the state holds {} and the bigint result fails every attempt, retried forever", async () => {
    const { invocationId } = await ingress.objectSendClient(inventoryIncorrect, "i1").reserve("apple");
    const failing = await retried(invocationId, 3);
    note(`reserve incorrect: retry_count ${failing.retry_count}, last_failure ${failing.last_failure?.split("\n")[0]}`);
    expect(failing.status).not.toBe("completed");
    expect(failing.last_failure).toContain("Do not know how to serialize a BigInt");
    // The Map went into the journal (and the object's state) as `{}`; no Output was ever written.
    expect(await journal(invocationId)).toEqual([
      ["Command: Input", ""],
      ["Command: SetState", ""],
    ]);
    expect(await stateOf("sjvInventoryIncorrect", "i1")).toEqual({ reserved: "{}" });
    await kill(invocationId);
    // Killed, the invocation never returned; the state it set stays, and a later invocation reads {}.
    expect(await stateOf("sjvInventoryIncorrect", "i1")).toEqual({ reserved: "{}" });
    expect(await ingress.objectClient(inventoryIncorrect, "i1").reserved()).toEqual({});
    // Without the bigint the invocation succeeds, and the Map's entries are silently gone.
    expect(await ingress.objectClient(inventoryIncorrect, "i2").reserveMap("apple")).toBe("apple");
    expect(await stateOf("sjvInventoryIncorrect", "i2")).toEqual({ reserved: "{}" });
    expect(await ingress.objectClient(inventoryIncorrect, "i2").reserved()).toEqual({});
    expect(lines("sjv reserved sees incorrect")).toEqual(["sjv reserved sees incorrect i1 object {}", "sjv reserved sees incorrect i2 object {}"]);
  });

  it("correct: epoch milliseconds from ctx.run, a plain object in state and a string quantity — every call completes with the right value", async () => {
    const before = Date.now();
    const renewedAt = await ingress.objectClient(subscriptionsCorrect, "s1").renew();
    expect(renewedAt).toBeGreaterThanOrEqual(before);
    expect(await stateOf("sjvSubscriptionsCorrect", "s1")).toEqual({ nextRenewal: String(renewedAt + 30 * 24 * 3600 * 1000) });
    expect(lines("sjv renew correct")).toEqual(["sjv renew correct s1"]);
    expect(await ingress.objectClient(inventoryCorrect, "i1").reserve("apple")).toEqual({ sku: "apple", quantity: "1" });
    expect(await ingress.objectClient(inventoryCorrect, "i1").reserve("apple")).toEqual({ sku: "apple", quantity: "2" });
    expect(await ingress.objectClient(inventoryCorrect, "i1").reserved()).toEqual({ apple: 2 });
  });
});
