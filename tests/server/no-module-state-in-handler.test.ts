/**
 * restate/no-module-state-in-handler against a real restate-server: the rule page's examples — a
 * module-level `Map` of balances and a module-level visitor counter changed by handlers — and their
 * correct forms (Restate state; a count read from a store inside `ctx.run`).
 *
 * Two cases: the service process is replaced between calls (killed and started again on the same
 * port, as in a crash, a redeploy or a scale-out), and a `ctx.sleep` longer than the service's
 * inactivity timeout suspends an invocation, which is replayed from the top when the timer fires.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-module-state-in-handler` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref } from "./evidence.js";
import { createLedger, ROOT, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-module-state-in-handler.restart.correct.js";
import type * as incorrectForm from "./services/no-module-state-in-handler.restart.incorrect.js";

const RULE = "no-module-state-in-handler";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.restart.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  // The correct greeter's store (a counter file) lives next to the ledger.
  const ledger = createLedger();
  const accountIncorrect = ref<typeof incorrectForm.account>("nmshAccountIncorrect");
  const accountCorrect = ref<typeof correctForm.account>("nmshAccountCorrect");
  const greeterIncorrect = ref<typeof incorrectForm.greeter>("nmshGreeterIncorrect");
  const greeterCorrect = ref<typeof correctForm.greeter>("nmshGreeterCorrect");

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  it("a Map of balances: after the process is replaced, the incorrect account starts again from 0; Restate state keeps the balance", async () => {
    const deposits = async (amounts: number[]) => {
      const seen: [number, number][] = [];
      for (const amount of amounts) {
        seen.push([
          await ingress.objectClient(accountIncorrect, "acct-1").deposit(amount),
          await ingress.objectClient(accountCorrect, "acct-1").deposit(amount),
        ]);
      }
      return seen;
    };
    expect(await deposits([10, 5])).toEqual([
      [10, 10],
      [15, 15],
    ]);
    await endpoint.kill("SIGKILL");
    await endpoint.restart();
    const after = await deposits([1]);
    note(`[${RULE}] deposit 1 after the restart: incorrect ${after[0]![0]}, correct ${after[0]![1]}`);
    expect(after).toEqual([[1, 16]]);
  });

  it("a module-level counter before a sleep that suspends: the replay counts the one call twice; a count read inside ctx.run is replayed from the journal", async () => {
    const first = await ingress.serviceClient(greeterIncorrect).greet("ann");
    const second = await ingress.serviceClient(greeterIncorrect).greet("bob");
    note(`[${RULE}] incorrect greeter: ${JSON.stringify([first, second])}`);
    expect(first).toBe("Hello ann, you are visitor 2");
    expect(second).toBe("Hello bob, you are visitor 4");
    expect(await ingress.serviceClient(greeterCorrect).greet("ann")).toBe("Hello ann, you are visitor 1");
    expect(await ingress.serviceClient(greeterCorrect).greet("bob")).toBe("Hello bob, you are visitor 2");
  });
});
