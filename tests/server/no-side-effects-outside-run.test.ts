/**
 * restate/no-side-effects-outside-run against a real restate-server: HTTP requests made with `fetch` in
 * durable code outside `ctx.run` (the rule page's examples), and the same requests inside `ctx.run`.
 * The test runs the HTTP API itself (loopback): each request is a ledger line and gets a new number
 * in its answer, so a repeated request is counted and shows in the value the handler goes on with.
 *
 * Two ways a handler runs again: the process dies after a journaled step and Restate retries the
 * invocation on the restarted process (supervised), and a `ctx.sleep` longer than the service's
 * inactivity timeout suspends the invocation, which is replayed when the timer fires.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-side-effects-outside-run` in the incorrect file and nothing in the correct one.
 */
import { appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, note, ref, type InvocationRow } from "./evidence.js";
import { createLedger, freePort, ROOT, startRestateServer, startService, stopAll, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-side-effects-outside-run.replay.correct.js";
import type * as incorrectForm from "./services/no-side-effects-outside-run.replay.incorrect.js";

const RULE = "no-side-effects-outside-run";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.replay.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  let api: Server;
  let crashesSeen = 0;
  const ledger = createLedger();
  const greeterIncorrect = ref<typeof incorrectForm.greeter>("nsorGreeterIncorrect");
  const greeterCorrect = ref<typeof correctForm.greeter>("nsorGreeterCorrect");
  const pricingIncorrect = ref<typeof incorrectForm.pricing>("nsorPricingIncorrect");
  const pricingCorrect = ref<typeof correctForm.pricing>("nsorPricingCorrect");
  const pricingHeld = ref<typeof incorrectForm.pricingHeld>("nsorPricingHeld");

  beforeAll(async () => {
    // The outside world: every request is one ledger line, and the n-th request to a path answers n.
    const counts = new Map<string, number>();
    api = createServer((request, response) => {
      const path = request.url ?? "/";
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      appendFileSync(ledger.path, `nsor api ${path} ${n}\n`);
      const [, kind, arg] = path.split("/");
      response.end(kind === "greet" ? `Hello ${arg} #${n}` : String(n));
    });
    const apiPort = await freePort();
    await new Promise<void>((resolve) => api.listen(apiPort, "127.0.0.1", resolve));
    server = await startRestateServer();
    ingress = clients.connect({ url: server.ingressUrl });
    // Supervised: a service that kills itself is started again at once, as in production.
    endpoint = await startService(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path, API_URL: `http://127.0.0.1:${apiPort}` }, { supervise: true });
    await server.register(endpoint.uri);
  });

  afterAll(async () => {
    await endpoint?.stop();
    await server?.stop();
    await stopAll();
    await new Promise((resolve) => api?.close(resolve));
    ledger.remove();
  });

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  async function crashAndRestart(): Promise<void> {
    crashesSeen++;
    await endpoint.restartedAfterCrashes(crashesSeen, 30_000);
  }

  async function invocationOf(target: string): Promise<InvocationRow> {
    const rows = await server.query<InvocationRow>(`SELECT id, target, status, retry_count, last_failure, completion_result FROM sys_invocation WHERE target = '${target}'`);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  it("incorrect: fetch before ctx.run, then a crash — the request is sent again on the retry, and the handler returns a greeting other than the one it stored", async () => {
    const call = ingress.serviceClient(greeterIncorrect).greet("ann");
    await crashAndRestart();
    const greeting = await call;
    const row = await invocationOf("nsorGreeterIncorrect/greet");
    note(`[${RULE}] greet incorrect: returned ${JSON.stringify(greeting)}; ledger ${JSON.stringify(lines("nsor"))}`);
    expect(row.completion_result).toBe("success");
    expect(lines("nsor api /greet/ann")).toEqual(["nsor api /greet/ann 1", "nsor api /greet/ann 2"]);
    // The run is replayed from the journal, not executed again: the store saw the first answer only.
    expect(lines("nsor store incorrect")).toEqual(["nsor store incorrect ann: Hello ann #1"]);
    expect(greeting).toBe("Hello ann #2");
  });

  it("correct: fetch inside ctx.run, then a crash — one request, and the handler returns the greeting it stored", async () => {
    const call = ingress.serviceClient(greeterCorrect).greet("bob");
    await crashAndRestart();
    expect(await call).toBe("Hello bob #1");
    expect(lines("nsor api /greet/bob")).toEqual(["nsor api /greet/bob 1"]);
    expect(lines("nsor store correct")).toEqual(["nsor store correct bob: Hello bob #1"]);
    expect((await invocationOf("nsorGreeterCorrect/greet")).completion_result).toBe("success");
  });

  it("incorrect: a helper's fetch before a ctx.sleep that suspends — the rate is fetched again on the replay and the quote uses the second answer", async () => {
    expect(await ingress.serviceClient(pricingIncorrect).quote(100)).toBe(200);
    expect(lines("nsor api /fx/EUR")).toEqual(["nsor api /fx/EUR 1", "nsor api /fx/EUR 2"]);
  });

  it("correct: the helper called inside ctx.run before the same sleep — one request, the quote uses the journaled rate", async () => {
    expect(await ingress.serviceClient(pricingCorrect).quote(100)).toBe(100);
    expect(lines("nsor api /fx/USD")).toEqual(["nsor api /fx/USD 1"]);
  });

  it("incorrect, but the sleep does not suspend (default inactivity timeout): the handler is not replayed and the rate is fetched once", async () => {
    expect(await ingress.serviceClient(pricingHeld).quote(100)).toBe(100);
    expect(lines("nsor api /fx/GBP")).toEqual(["nsor api /fx/GBP 1"]);
  });
});
