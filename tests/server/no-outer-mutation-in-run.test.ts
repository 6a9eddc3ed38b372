/**
 * restate/no-outer-mutation-in-run on a real restate-server: the rule page's two incorrect examples — a
 * `sent.push(address)` inside each mail's `ctx.run` action, and `order.status = "paid"` inside the payment's
 * action followed by a `ctx.sleep` — against their correct forms (the push after the run; the status returned
 * by the run). Each service kills its own process once after its journaled steps (`crashOnce`, supervised, so
 * the process is started again at once); Restate retries the invocation and replays the journal, where the
 * actions do not run again.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-outer-mutation-in-run` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref } from "./evidence.js";
import { createLedger, ROOT, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-outer-mutation-in-run.replay.correct.js";
import type * as incorrectForm from "./services/no-outer-mutation-in-run.replay.incorrect.js";

const RULE = "no-outer-mutation-in-run";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.replay.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path }, { supervise: true })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  /** The state of one object key, as `{ key: value }` (values parsed from JSON). */
  async function state(object: string, key: string): Promise<Record<string, unknown>> {
    const rows = await server.query<{ key: string; value_utf8: string }>(`SELECT key, value_utf8 FROM state WHERE service_name = '${object}' AND service_key = '${key}'`);
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value_utf8)]));
  }

  const mailers = {
    incorrect: ref<typeof incorrectForm.mailer>("nomrMailerIncorrect"),
    correct: ref<typeof correctForm.mailer>("nomrMailerCorrect"),
  };
  const orders = {
    incorrect: ref<typeof incorrectForm.orders>("nomrOrdersIncorrect"),
    correct: ref<typeof correctForm.orders>("nomrOrdersCorrect"),
  };

  it("incorrect: sent.push inside the run — after the replay the handler returns [], though every mail went out once", async () => {
    const sent = await ingress.serviceClient(mailers.incorrect).send(["a", "b", "c"]);
    note(`[${RULE}] incorrect mailer returned ${JSON.stringify(sent)}; ledger ${JSON.stringify(lines("nomr mail incorrect"))}`);
    expect(lines("crash nomr-mailer-incorrect")).toHaveLength(1);
    expect(lines("nomr mail incorrect")).toEqual(["nomr mail incorrect a", "nomr mail incorrect b", "nomr mail incorrect c"]);
    expect(sent).toEqual([]);
  });

  it("correct: sent.push after the run — after the replay the handler returns every address, each mailed once", async () => {
    const sent = await ingress.serviceClient(mailers.correct).send(["a", "b", "c"]);
    expect(lines("crash nomr-mailer-correct")).toHaveLength(1);
    expect(lines("nomr mail correct")).toEqual(["nomr mail correct a", "nomr mail correct b", "nomr mail correct c"]);
    expect(sent).toEqual(["a", "b", "c"]);
  });

  it('incorrect: order.status = "paid" inside the run — after the sleep and the replay the status is the input\'s again: charged, but the order is never stored', async () => {
    await ingress.objectClient(orders.incorrect, "o1").pay({ id: "o1", status: "new" });
    const stored = await state("nomrOrdersIncorrect", "o1");
    note(`[${RULE}] incorrect orders: state ${JSON.stringify(stored)}; ledger ${JSON.stringify(lines("nomr charge incorrect"))}`);
    expect(lines("crash nomr-orders-incorrect")).toHaveLength(1);
    expect(lines("nomr charge incorrect")).toEqual(["nomr charge incorrect o1"]);
    expect(stored).toEqual({});
  });

  it("correct: the status returned by the run — after the sleep and the replay the paid order is stored", async () => {
    await ingress.objectClient(orders.correct, "o1").pay({ id: "o1", status: "new" });
    expect(lines("crash nomr-orders-correct")).toHaveLength(1);
    expect(lines("nomr charge correct")).toEqual(["nomr charge correct o1"]);
    expect(await state("nomrOrdersCorrect", "o1")).toEqual({ order: { id: "o1", status: "paid" } });
  });
});
