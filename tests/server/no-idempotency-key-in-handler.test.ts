/**
 * restate/no-idempotency-key-in-handler on a real restate-server: the rule page's order service calling
 * `payments.charge` with `rpc.opts({ idempotencyKey: order.id })`, against the same call without a key. Each
 * service process kills itself once right after the call returned (supervised, so it is started again and the
 * server retries the invocation): the journaled call is not made again, key or no key. Then a second, different
 * order with the same id shows what the key does: it attaches to the first charge and gets its receipt.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-idempotency-key-in-handler` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref } from "./evidence.js";
import { createLedger, ROOT, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-idempotency-key-in-handler.retry.correct.js";
import type * as incorrectForm from "./services/no-idempotency-key-in-handler.retry.incorrect.js";

const RULE = "no-idempotency-key-in-handler";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.retry.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  const incorrect = ref<typeof incorrectForm.orders>("nikOrdersIncorrect");
  const correct = ref<typeof correctForm.orders>("nikOrdersCorrect");

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path }, { supervise: true })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  /** The charge invocations the server knows of, with the idempotency key each carries. */
  async function charges(): Promise<{ idempotency_key: string | null; status: string }[]> {
    return server.query(`SELECT idempotency_key, status FROM sys_invocation WHERE target_service_name = 'nikPayments' ORDER BY created_at`);
  }

  it("incorrect: with the key, a crash after the call — the retry reuses the journaled call, the charge runs once; the server stores the key", async () => {
    const receipt = await ingress.serviceClient(incorrect).place({ id: "o1", amount: 10 });
    note(`incorrect o1/10: ${receipt}; ledger ${JSON.stringify(ledger.lines())}; charges ${JSON.stringify(await charges())}`);
    expect(lines("crash nik incorrect o1")).toHaveLength(1);
    expect(endpoint.crashes()).toBe(1);
    expect(receipt).toMatch(/^receipt #\d+ for 10$/);
    expect(lines("nik charge 10")).toHaveLength(1);
    expect((await charges()).map((c) => c.idempotency_key)).toContain("o1");
  });

  it("correct: no key, a crash after the call — the retry reuses the journaled call as well, the charge runs once", async () => {
    const before = lines("nik charge 10").length;
    await endpoint.restartedAfterCrashes(1);
    const receipt = await ingress.serviceClient(correct).place({ id: "o1", amount: 10 });
    note(`correct o1/10: ${receipt}; ledger ${JSON.stringify(ledger.lines())}`);
    expect(lines("crash nik correct o1")).toHaveLength(1);
    expect(endpoint.crashes()).toBe(2);
    expect(receipt).toMatch(/^receipt #\d+ for 10$/);
    expect(lines("nik charge 10")).toHaveLength(before + 1);
  });

  it("incorrect: a second order with the same id (another amount) gets the first charge's receipt; the charge does not run. Without the key it runs", async () => {
    await endpoint.restartedAfterCrashes(2);
    const first = lines("nik charge 10")[0]!.replace(/^nik charge 10 /, "");
    const stale = await ingress.serviceClient(incorrect).place({ id: "o1", amount: 25 });
    note(`incorrect o1/25: ${stale}`);
    expect(stale).toBe(`receipt ${first} for 10`);
    expect(lines("nik charge 25")).toEqual([]);
    // No new charge invocation: the call attached to the one that carries the key.
    expect((await charges()).filter((c) => c.idempotency_key === "o1")).toHaveLength(1);
    const fresh = await ingress.serviceClient(correct).place({ id: "o1", amount: 25 });
    note(`correct o1/25: ${fresh}; charges ${JSON.stringify(await charges())}`);
    expect(fresh).toMatch(/^receipt #\d+ for 25$/);
    expect(lines("nik charge 25")).toHaveLength(1);
  });
});
