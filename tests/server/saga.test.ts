/**
 * restate-guard's runSaga on a real restate-server, driven through the real ingress client: terminal failures at
 * each step, the service process SIGKILLed mid-saga and restarted, a compensation that fails twice, a cancelled
 * invocation, and non-terminal errors. Every side effect is counted in the ledger (written inside ctx.run actions).
 *
 * One server for the file; one service process per scenario (registered as a new deployment of `trips`).
 */
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLedger,
  startRestateServer,
  startService,
  stopAll,
  waitUntil,
  type RestateServer,
  type ServiceProcess,
} from "./harness.js";
import type { StepName, TripRequest, Trips } from "./services/saga.js";

const STEPS: StepName[] = ["flight", "hotel", "car", "insurance"];

describe("Saga on a real Restate server", () => {
  let server: RestateServer;
  const ledger = createLedger();
  const timings: string[] = [];

  beforeAll(async () => {
    const start = Date.now();
    server = await startRestateServer();
    timings.push(`server start: ${Date.now() - start} ms`);
  });
  afterAll(async () => {
    await server?.stop();
    await stopAll();
    ledger.remove();
    if (timings.length > 0) console.log(`saga server timings:\n  ${timings.join("\n  ")}`);
  });

  /** Starts a fresh service process, registers it, runs the scenario, stops the process. */
  async function scenario(name: string, run: (service: ServiceProcess) => Promise<void>): Promise<void> {
    const start = Date.now();
    const service = await startService("tests/server/services/saga.ts", { LEDGER: ledger.path });
    try {
      await server.register(service.uri);
      const ready = Date.now();
      await run(service);
      timings.push(`${name}: service start+register ${ready - start} ms, scenario ${Date.now() - ready} ms`);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- service output ---\n${service.output()}`, { cause: error });
    } finally {
      await service.stop();
    }
  }

  async function book(req: TripRequest): Promise<{ bookings: string[] }> {
    const ingress = clients.connect({ url: server.ingressUrl });
    return await ingress.serviceClient<Trips>({ name: "trips" }).book(req, clients.rpc.opts({ idempotencyKey: req.trip }));
  }

  /** The trip's ledger lines without the trip prefix. */
  function lines(trip: string): string[] {
    return ledger
      .lines()
      .filter((line) => line.startsWith(`${trip} `))
      .map((line) => line.slice(trip.length + 1));
  }

  /** The trip's ledger lines without the step ids ("do hotel"), after checking each step kept one id throughout. */
  function withIds(trip: string): string[] {
    const ids = new Map<string, string>();
    return lines(trip).map((line) => {
      const match = /^(do|undo) (\w+) ([0-9a-f-]{36})$/.exec(line);
      if (!match) return line;
      const [, verb, step, id] = match;
      if (ids.has(step!)) expect(ids.get(step!), `${step} keeps its id`).toBe(id);
      else ids.set(step!, id!);
      return `${verb} ${step}`;
    });
  }

  /**
   * What the server recorded for the trip's invocation: its status, and its journal as "<run name>: <result>" per
   * ctx.run (transient failures are not journaled) and "output: <result>". Plus the attempts the service logged.
   */
  async function observed(trip: string, service: ServiceProcess): Promise<{ status: string; journal: string[]; attempts: number }> {
    const [row] = await server.query<{ id: string; status: string }>(
      `SELECT id, status FROM sys_invocation WHERE idempotency_key = '${trip}'`,
    );
    const entries = await server.query<{ entry_type: string; name: string | null; entry_lite_json: string }>(
      `SELECT index, entry_type, name, entry_lite_json FROM sys_journal WHERE id = '${row!.id}' ORDER BY index`,
    );
    const runs = new Map<number, string>();
    const journal: string[] = [];
    for (const entry of entries) {
      const lite = JSON.parse(entry.entry_lite_json) as {
        Command?: { Run?: { completion_id: number; name: string }; Output?: { result: string } };
        Notification?: { id?: { CompletionId?: number }; result?: string };
      };
      if (lite.Command?.Run) runs.set(lite.Command.Run.completion_id, lite.Command.Run.name);
      else if (lite.Command?.Output) journal.push(`output: ${lite.Command.Output.result}`);
      else if (entry.entry_type === "Notification: Run") journal.push(`${runs.get(lite.Notification!.id!.CompletionId!)}: ${lite.Notification!.result}`);
    }
    const attempts = service.output().split("\n").filter((line) => line.includes(row!.id) && /(Starting|Replaying) invocation/.test(line)).length;
    return { status: row!.status, journal, attempts };
  }

  /** The journal of a trip that ran steps `done` and failed at `failing` (all compensations in reverse). */
  function failedJournal(failing: StepName): string[] {
    const k = STEPS.indexOf(failing) + 1;
    return [
      ...STEPS.slice(0, k - 1).map((s) => `book ${s}: Success`),
      `book ${failing}: Failure`,
      ...STEPS.slice(0, k)
        .reverse()
        .map((s) => `cancel ${s}: Success`),
      "output: Failure",
    ];
  }

  /** Awaits a call expected to fail and returns its error. */
  async function failure(call: Promise<unknown>): Promise<Error & { status?: number }> {
    try {
      await call;
    } catch (error) {
      return error as Error & { status?: number };
    }
    throw new Error("the call succeeded");
  }

  it("completes without compensating when every step succeeds", async () => {
    await scenario("success", async (service) => {
      const result = await book({ trip: "ok" });
      expect(result.bookings.map((b) => b.split(":")[0])).toEqual(STEPS);
      expect(withIds("ok")).toEqual(["do flight", "do hotel", "do car", "do insurance"]);
      expect(await observed("ok", service)).toEqual({
        status: "completed",
        journal: [...STEPS.map((s) => `book ${s}: Success`), "output: Success"],
        attempts: 1,
      });
    });
  });

  describe.each([1, 2, 3])("a terminal failure at step %i of 4", (k) => {
    it(`runs exactly its ${k} compensation(s), in reverse, once each, and ends with the original error`, async () => {
      const trip = `fail-${k}`;
      const failing = STEPS[k - 1]!;
      await scenario(`terminal failure at step ${k}`, async (service) => {
        const error = await failure(book({ trip, failAt: failing }));
        expect(error.message).toContain(`${failing} unavailable`);
        expect(error.status).toBe(409); // the TerminalError's errorCode reaches the ingress caller
        expect(withIds(trip)).toEqual([
          ...STEPS.slice(0, k - 1).map((s) => `do ${s}`),
          // The failing step's compensation runs too: it was registered before its action.
          ...STEPS.slice(0, k)
            .reverse()
            .map((s) => `undo ${s}`),
        ]);
        expect(await observed(trip, service)).toEqual({ status: "completed", journal: failedJournal(failing), attempts: 1 });
      });
    });
  });

  describe.each([
    {
      where: "between an action and the next step",
      crashAt: "after-do-hotel",
      expected: ["do flight", "do hotel", "crash after-do-hotel", "do car", "undo insurance", "undo car", "undo hotel", "undo flight"],
    },
    {
      where: "in the middle of the compensations",
      crashAt: "after-undo-car",
      expected: ["do flight", "do hotel", "do car", "undo insurance", "undo car", "crash after-undo-car", "undo hotel", "undo flight"],
    },
  ] as const)("a SIGKILL of the service process $where", ({ crashAt, expected }) => {
    it("loses nothing and runs nothing twice once the process is back", async () => {
      const trip = `crash-${crashAt}`;
      await scenario(`SIGKILL at ${crashAt}`, async (service) => {
        const call = failure(book({ trip, failAt: "insurance", crashAt }));
        expect(await service.exited()).toBeNull(); // killed by a signal
        const killedAt = Date.now();
        await service.restart();
        const restartedAt = Date.now();
        const error = await call;
        timings.push(`SIGKILL at ${crashAt}: restart took ${restartedAt - killedAt} ms; the saga finished ${Date.now() - restartedAt} ms later`);
        expect(error.message).toContain("insurance unavailable");
        expect(error.status).toBe(409);
        // The step ids (ctx.rand) are the same before and after the crash: withIds checks it.
        expect(withIds(trip)).toEqual(expected);
        const { status, journal, attempts } = await observed(trip, service);
        expect({ status, journal }).toEqual({ status: "completed", journal: failedJournal("insurance") });
        expect(attempts).toBe(2); // the attempt that died and the one that replayed and finished
      });
    });
  });

  it("retries a failing compensation until it runs, without rerunning the compensations before it", async () => {
    const trip = "flaky-compensation";
    await scenario("compensation fails twice", async (service) => {
      const error = await failure(book({ trip, failAt: "insurance", flakyCompensation: "car" }));
      expect(error.message).toContain("insurance unavailable");
      expect(withIds(trip)).toEqual([
        "do flight",
        "do hotel",
        "do car",
        "undo insurance",
        "failed undo car",
        "failed undo car",
        "undo car",
        "undo hotel",
        "undo flight",
      ]);
      // The two failed attempts of "cancel car" left nothing in the journal; each retry replayed "cancel insurance".
      expect(await observed(trip, service)).toEqual({ status: "completed", journal: failedJournal("insurance"), attempts: 3 });
    });
  });

  it("compensates when the invocation is cancelled mid-saga (CancelledError is a TerminalError)", async () => {
    const trip = "cancelled";
    await scenario("cancelled while waiting at 'car'", async (service) => {
      const call = failure(book({ trip, waitAt: "car" }));
      // The hotel is booked (journaled), then the car's action waits on an awakeable: the invocation stays running
      // (the SDK does not suspend it until the inactivity timeout).
      await waitUntil("the hotel booking", async () => lines(trip).some((line) => line.startsWith("do hotel ")));
      await new Promise((r) => setTimeout(r, 300));
      const [{ id } = { id: "" }] = await server.query<{ id: string }>(
        `SELECT id FROM sys_invocation WHERE idempotency_key = '${trip}' AND status IN ('running', 'suspended')`,
      );
      expect(id).toMatch(/^inv_/);
      const response = await fetch(`${server.adminUrl}/invocations/${id}/cancel`, { method: "PATCH" });
      expect(response.ok, await response.text()).toBe(true);
      const error = await call;
      expect(error.status).toBe(409);
      expect(error.message).toMatch(/cancel/i);
      expect(withIds(trip)).toEqual(["do flight", "do hotel", "undo car", "undo hotel", "undo flight"]);
      const { status, journal } = await observed(trip, service);
      expect(status).toBe("completed");
      expect(journal).toEqual([
        "book flight: Success",
        "book hotel: Success",
        "cancel car: Success",
        "cancel hotel: Success",
        "cancel flight: Success",
        "output: Failure",
      ]);
    });
  });

  describe.each([
    ["inside its ctx.run (the SDK fails the attempt)", "flakyAction", "failed do hotel"],
    ["in durable code (runSaga sees it and rethrows it untouched)", "flakyActionOutsideRun", "failed do hotel (outside run)"],
  ] as const)("a non-terminal error %s", (_where, option, failedLine) => {
    it("is retried by Restate and nothing is compensated", async () => {
      const trip = `flaky-${option}`;
      await scenario(`plain Error ${option}`, async (service) => {
        const result = await book({ trip, [option]: "hotel" });
        expect(result.bookings).toHaveLength(4);
        expect(withIds(trip)).toEqual(["do flight", failedLine, "do hotel", "do car", "do insurance"]);
        expect(await observed(trip, service)).toEqual({
          status: "completed",
          journal: [...STEPS.map((s) => `book ${s}: Success`), "output: Success"],
          attempts: 2,
        });
      });
    });
  });
});
