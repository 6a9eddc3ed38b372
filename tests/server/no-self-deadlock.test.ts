/**
 * restate/no-self-deadlock on a real restate-server: the rule page's counter, whose exclusive `increment`
 * awaits `ctx.objectClient(counter, ctx.key).get()` (an exclusive handler of its own object and key), and its
 * approvals object, whose exclusive `request` awaits an awakeable whose id only the exclusive `approve` can
 * read — against the correct forms (the logic called directly plus a send; `get` and `approve` shared).
 * A second call to the same key shows that the key stays blocked; killing the caller through the admin API
 * is the only way out.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-self-deadlock` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-self-deadlock.self-call.correct.js";
import type * as incorrectForm from "./services/no-self-deadlock.self-call.incorrect.js";

const RULE = "no-self-deadlock";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.self-call.${form}.ts`);

/** What `sys_invocation.status` says of an invocation that waits: on its open stream, or suspended. */
const WAITING = ["running", "suspended"];

/** How long a deadlocked key is watched before the test calls it stuck. */
const WATCH_MS = 3000;

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The invocations of one object key, by handler: `{ handler: [status, ...] }` in creation order. */
  async function statuses(object: string, key: string): Promise<Record<string, string[]>> {
    const rows = await server.query<InvocationRow & { target_handler_name: string }>(
      `SELECT id, status, target_handler_name FROM sys_invocation WHERE target_service_name = '${object}' AND target_service_key = '${key}' ORDER BY created_at`,
    );
    const byHandler: Record<string, string[]> = {};
    for (const row of rows) (byHandler[row.target_handler_name] ??= []).push(row.status);
    return byHandler;
  }

  async function kill(invocationId: string): Promise<void> {
    const response = await fetch(`${server.adminUrl}/invocations/${invocationId}/kill`, { method: "PATCH" });
    expect(response.ok).toBe(true);
  }

  async function stateOf(object: string, key: string): Promise<Record<string, unknown>> {
    const rows = await server.query<{ key: string; value_utf8: string }>(`SELECT key, value_utf8 FROM state WHERE service_name = '${object}' AND service_key = '${key}'`);
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value_utf8)]));
  }

  it("incorrect: increment awaiting its own exclusive get — the caller waits, the callee stays queued behind it, and so does the next call to the key", async () => {
    const counter = ref<typeof incorrectForm.counter>("nsdCounterIncorrect");
    const { invocationId } = await ingress.objectSendClient(counter, "k1").increment();
    await waitUntil("the self call to be queued", async () => (await statuses("nsdCounterIncorrect", "k1")).get?.length === 1);
    // A second caller of the same key, a while later.
    await ingress.objectSendClient(counter, "k1").get();
    await pause(WATCH_MS);
    const stuck = await statuses("nsdCounterIncorrect", "k1");
    note(`[${RULE}] counter after ${WATCH_MS} ms: ${JSON.stringify(stuck)}`);
    // The caller waits (its stream still open: it would suspend at the server's inactivity timeout), never completes;
    // the self call and the second caller are both pending behind its lock.
    expect(stuck.increment).toHaveLength(1);
    expect(WAITING).toContain(stuck.increment![0]);
    expect(stuck.get).toEqual(["pending", "pending"]);
    // Nothing detects it; killing the caller releases the key, and the queued calls run.
    await kill(invocationId);
    await waitUntil("the queued calls to run", async () => {
      const after = await statuses("nsdCounterIncorrect", "k1");
      return after.get?.every((status) => status === "completed") === true;
    });
    expect(await stateOf("nsdCounterIncorrect", "k1")).toEqual({});
  });

  it("correct: increment reads the count directly and sends the log — it completes, the log runs after it, get (shared) reads 1", async () => {
    const counter = ref<typeof correctForm.counter>("nsdCounterCorrect");
    expect(await ingress.objectClient(counter, "k1").increment()).toBe(1);
    expect(await ingress.objectClient(counter, "k1").get()).toBe(1);
    await waitUntil("the sent log to run", async () => ledger.lines().includes("nsd log k1 incremented"));
  });

  it("incorrect: request awaiting an awakeable only the exclusive approve can resolve — approve stays queued, the request never completes", async () => {
    const approvals = ref<typeof incorrectForm.approvals>("nsdApprovalsIncorrect");
    const { invocationId } = await ingress.objectSendClient(approvals, "a1").request();
    await waitUntil("the request to wait", async () => (await stateOf("nsdApprovalsIncorrect", "a1")).pending !== undefined);
    await ingress.objectSendClient(approvals, "a1").approve();
    await pause(WATCH_MS);
    const stuck = await statuses("nsdApprovalsIncorrect", "a1");
    note(`[${RULE}] approvals after ${WATCH_MS} ms: ${JSON.stringify(stuck)}`);
    expect(stuck.request).toHaveLength(1);
    expect(WAITING).toContain(stuck.request![0]);
    expect(stuck.approve).toEqual(["pending"]);
    await kill(invocationId);
    await waitUntil("approve to run once the request is killed", async () => (await statuses("nsdApprovalsIncorrect", "a1")).approve?.[0] === "completed");
    expect(await stateOf("nsdApprovalsIncorrect", "a1")).not.toHaveProperty("approved");
  });

  it("correct: approve is shared — it runs while request holds the lock, resolves the awakeable, and request completes", async () => {
    const approvals = ref<typeof correctForm.approvals>("nsdApprovalsCorrect");
    const { invocationId } = await ingress.objectSendClient(approvals, "a1").request();
    await waitUntil("the request to wait", async () => (await stateOf("nsdApprovalsCorrect", "a1")).pending !== undefined);
    await ingress.objectClient(approvals, "a1").approve();
    await waitUntil("the request to complete", async () => (await statuses("nsdApprovalsCorrect", "a1")).request?.[0] === "completed");
    expect(await stateOf("nsdApprovalsCorrect", "a1")).toMatchObject({ approved: true });
    note(`[${RULE}] approvals correct: request ${invocationId} completed`);
  });
});
