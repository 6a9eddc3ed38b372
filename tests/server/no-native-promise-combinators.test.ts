/**
 * restate/no-native-promise-combinators on a real restate-server: the fan-out people write,
 * `await Promise.all(items.map(async (item) => { await ctx.run(...); ... }))`, against
 * `RestatePromise.all(items.map((item) => ctx.run(...)))` and a sequential `for...of`.
 * The figures asserted here are the ones in docs/rules/no-native-promise-combinators.md ("What happens at runtime").
 * First, the rule must report exactly the lines marked `← restate/no-native-promise-combinators` in the incorrect
 * service and nothing in the correct one, so the code that misbehaves below is the code the rule flags.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintMarked, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, startRestateServer, startService, stopAll, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correct from "./services/no-native-promise-combinators.fanout.correct.js";
import type * as incorrect from "./services/no-native-promise-combinators.fanout.incorrect.js";

/** Three items whose charges take different times: the first one is the slowest. */
const ITEMS: incorrect.Item[] = [
  { id: "a", ms: 300 },
  { id: "b", ms: 50 },
  { id: "c", ms: 150 },
];

const RULE = "no-native-promise-combinators";

it("the rule flags the incorrect fan-out and not the correct ones", () => {
  for (const form of ["incorrect", "correct"] as const) {
    const file = join(ROOT, "tests", "server", "services", `no-native-promise-combinators.fanout.${form}.ts`);
    const { messages, marked, reported } = lintMarked(file, RULE);
    expect(messages.filter((m) => m.fatal), file).toEqual([]);
    expect(marked.length > 0, file).toBe(form === "incorrect");
    expect(reported, file).toEqual(marked);
  }
});

describe("no-native-promise-combinators on restate-server: a native Promise.all fan-out over async callbacks", () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();

  beforeAll(async () => {
    server = await startRestateServer();
    ingress = clients.connect({ url: server.ingressUrl });
    endpoint = await startService("tests/server/services/no-native-promise-combinators.fanout.endpoint.ts", { LEDGER: ledger.path }, { supervise: true });
    await server.register(endpoint.uri);
  });

  afterAll(async () => {
    await endpoint?.stop();
    await server?.stop();
    await stopAll();
    ledger.remove();
  });

  const charges = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  async function invocation(id: string): Promise<InvocationRow> {
    const rows = await server.query<InvocationRow>(
      `SELECT id, status, retry_count, last_failure, last_failure_error_code, completion_result FROM sys_invocation WHERE id = '${id}'`,
    );
    if (rows.length !== 1) throw new Error(`no invocation ${id}`);
    return rows[0]!;
  }

  it('incorrect: every attempt fails with "awaitNext already pending", the runs never reach the journal as done, and every retry charges the items again', async () => {
    const sent = await ingress.serviceSendClient(ref<typeof incorrect.fanOut>("npcFanOutIncorrect")).chargeAll(ITEMS);
    let row: InvocationRow | undefined;
    await waitUntil(
      "the fan-out to have failed 4 times",
      async () => {
        row = await invocation(sent.invocationId);
        return (row.retry_count ?? 0) >= 4;
      },
      30_000,
      200,
    );
    expect(row!.status).not.toBe("completed");
    expect(row!.last_failure_error_code).toBe("RT0007");
    expect(row!.last_failure).toMatch(/^\[500 Internal\] awaitNext already pending/);
    // The journal holds the three run commands but none of their results: nothing is ever recorded as done.
    const journal = await server.query<{ entry_type: string; name: string | null }>(
      `SELECT entry_type, name FROM sys_journal WHERE id = '${sent.invocationId}' ORDER BY index`,
    );
    expect(journal.map((entry) => entry.entry_type)).not.toContain("Notification: Run");
    expect(journal.filter((entry) => entry.entry_type === "Command: Run").map((entry) => entry.name)).toEqual(["charge a", "charge b", "charge c"]);
    // So every attempt runs the actions again: after 4 failed attempts every item has been charged at least 3 times
    // (an attempt may be cut short before the slowest charge is recorded).
    const counts = ITEMS.map((item) => charges(`npc charge incorrect ${item.id}`).length);
    if (process.env.RULES_TEST_LOG) console.log(`[npc] retry_count=${row!.retry_count} charges=${JSON.stringify(counts)}`);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(3);

    const response = await fetch(`${server.adminUrl}/invocations/${sent.invocationId}/kill`, { method: "PATCH" });
    expect(response.ok).toBe(true);
  }, 40_000);

  it("correct: RestatePromise.all over one run per item completes on the first attempt, each item charged once", async () => {
    const receipts = await ingress.serviceClient(ref<typeof correct.fanOut>("npcFanOutCorrect")).chargeAll(ITEMS);
    expect(receipts).toEqual(["RECEIPT-A", "RECEIPT-B", "RECEIPT-C"]);
    for (const item of ITEMS) expect(charges(`npc charge correct ${item.id}`)).toHaveLength(1);
  });

  it("correct: a sequential for...of completes on the first attempt, each item charged once, in order", async () => {
    const receipts = await ingress.serviceClient(ref<typeof correct.fanOut>("npcFanOutCorrect")).chargeEach(ITEMS);
    expect(receipts).toEqual(["RECEIPT-A", "RECEIPT-B", "RECEIPT-C"]);
    expect(charges("npc charge sequential")).toEqual(["npc charge sequential a", "npc charge sequential b", "npc charge sequential c"]);
  });
});
