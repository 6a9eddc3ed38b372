/**
 * Every rule against a real restate-server: for each rule, a service written in
 * the rule's INCORRECT form and one in its CORRECT form (tests/server/services/
 * rule-<id>.incorrect.ts / .correct.ts, modelled on docs/rules/<id>.md) run on
 * restate-server, and the test asserts the observable difference.
 *
 * Replays are forced deterministically: a service kills its own process
 * (SIGKILL) once at a named point, guarded by a marker file next to the ledger
 * (`crashOnce`), always after an awaited journaled step, so the journal is known
 * to hold everything before it. The test waits for the exit and restarts the
 * process; Restate then retries the invocation and replays its journal.
 *
 * First, each service file is linted with its rule: the rule must report exactly
 * the lines marked `← restate/<id>` in the incorrect file and nothing in the
 * correct one, so the code that misbehaves below is the code the rule flags.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintMarked, note, ref, settle, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, startRestateServer, startService, stopAll, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as blockCorrect from "./services/rule-no-blocking-in-exclusive-handler.correct.js";
import type * as blockIncorrect from "./services/rule-no-blocking-in-exclusive-handler.incorrect.js";
import type * as sagaCorrect from "./services/rule-compensation-before-action.correct.js";
import type * as sagaIncorrect from "./services/rule-compensation-before-action.incorrect.js";
import type * as ingressCorrect from "./services/rule-no-ingress-client-in-handler.correct.js";
import type * as ingressIncorrect from "./services/rule-no-ingress-client-in-handler.incorrect.js";
import type * as mapCorrect from "./services/rule-no-map-iteration-with-context-calls.correct.js";
import type * as mapIncorrect from "./services/rule-no-map-iteration-with-context-calls.incorrect.js";
import type * as ncrCorrect from "./services/rule-no-context-in-run.correct.js";
import type * as ncrIncorrect from "./services/rule-no-context-in-run.incorrect.js";
import type * as nndCorrect from "./services/rule-no-nondeterministic-calls.correct.js";
import type * as nndIncorrect from "./services/rule-no-nondeterministic-calls.incorrect.js";

const RULES = [
  "no-context-in-run",
  "no-nondeterministic-calls",
  "no-blocking-in-exclusive-handler",
  "no-ingress-client-in-handler",
  "no-map-iteration-with-context-calls",
  "compensation-before-action",
] as const;
type RuleId = (typeof RULES)[number];

const serviceFile = (id: RuleId, form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `rule-${id}.${form}.ts`);

// ---- static check: the rule flags exactly the incorrect code ------------------------------

describe("each rule flags the incorrect service and not the correct one", () => {
  for (const id of RULES) {
    it(id, () => {
      for (const form of ["incorrect", "correct"] as const) {
        const file = serviceFile(id, form);
        const { messages, marked, reported } = lintMarked(file, id);
        expect(messages.filter((m) => m.fatal), file).toEqual([]);
        if (form === "incorrect") expect(marked.length, file).toBeGreaterThan(0);
        else expect(marked, file).toEqual([]);
        expect(reported, file).toEqual(marked);
      }
    });
  }
});

// ---- the runtime ------------------------------------------------------------------------------

describe("on restate-server: the incorrect form misbehaves, the correct form does not", () => {
  let server: RestateServer;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  const endpoints = new Map<RuleId, ServiceProcess>();

  beforeAll(async () => {
    server = await startRestateServer();
    ingress = clients.connect({ url: server.ingressUrl });
    const started = await Promise.all(
      RULES.map((id) =>
        // Supervised: a service that kills itself is started again at once, as in production.
        startService("tests/server/services/rule-endpoint.ts", { RULE: id, LEDGER: ledger.path, INGRESS_URL: server.ingressUrl }, { supervise: true }),
      ),
    );
    for (const [i, id] of RULES.entries()) {
      endpoints.set(id, started[i]!);
      await server.register(started[i]!.uri);
    }
  });

  afterAll(async () => {
    for (const endpoint of endpoints.values()) await endpoint.stop();
    await server?.stop();
    await stopAll();
    ledger.remove();
  });

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  const COLUMNS = "id, target, status, retry_count, last_failure, last_failure_error_code, completion_result, completion_failure";

  async function invocation(id: string): Promise<InvocationRow> {
    const rows = await server.query<InvocationRow>(`SELECT ${COLUMNS} FROM sys_invocation WHERE id = '${id}'`);
    if (rows.length !== 1) throw new Error(`no invocation ${id}`);
    return rows[0]!;
  }

  /** The invocations of one handler (`service/handler`, or `object/key/handler`). */
  const invocationsOf = (target: string) => server.query<InvocationRow>(`SELECT ${COLUMNS} FROM sys_invocation WHERE target = '${target}'`);

  /** How many of each endpoint's crashes the tests have waited for so far. */
  const crashesSeen = new Map<RuleId, number>();

  /** Waits for the endpoint's next planned self-kill and for the supervisor to have it serving again. */
  async function crashAndRestart(id: RuleId): Promise<void> {
    const endpoint = endpoints.get(id)!;
    const expected = (crashesSeen.get(id) ?? 0) + 1;
    crashesSeen.set(id, expected);
    try {
      await endpoint.restartedAfterCrashes(expected, 30_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}: the ${id} endpoint did not crash and come back:\n${endpoint.output().slice(-3000)}`);
    }
  }

  /** Waits until the invocation has failed with a journal mismatch at least `retries` times. */
  async function stuckOnJournalMismatch(invocationId: string, retries = 3): Promise<InvocationRow> {
    let row: InvocationRow | undefined;
    await waitUntil(
      `invocation ${invocationId} to fail ${retries}× with a journal mismatch`,
      async () => {
        row = await invocation(invocationId);
        return (row.retry_count ?? 0) >= retries && (row.last_failure ?? "").startsWith("[570 Journal mismatch]");
      },
      30_000,
      200,
    );
    note(`[stuck] ${row!.target} ${row!.status} retry_count=${row!.retry_count} ${row!.last_failure_error_code} ${JSON.stringify(row!.last_failure)}`);
    expect(row!.last_failure_error_code).toBe("RT0016");
    expect(["backing-off", "running"]).toContain(row!.status);
    return row!;
  }

  /** Stops an invocation that would retry forever (admin API kill). */
  async function kill(invocationId: string): Promise<void> {
    const response = await fetch(`${server.adminUrl}/invocations/${invocationId}/kill`, { method: "PATCH" });
    expect(response.ok).toBe(true);
    await waitUntil(`invocation ${invocationId} to be killed`, async () => (await invocation(invocationId)).status === "completed");
  }

  async function completed(invocationId: string): Promise<InvocationRow> {
    await waitUntil(`invocation ${invocationId} to complete`, async () => (await invocation(invocationId)).status === "completed");
    return invocation(invocationId);
  }

  /** The SDK's log lines of one attempt: `[invocation id] WARN: ...` followed by the error. */
  function loggedError(id: RuleId, invocationId: string, message: string): boolean {
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`\\[${escape(invocationId)}\\] WARN: [^\\n]*\\n\\s*Error: ${escape(message)}`).test(endpoints.get(id)!.output());
  }

  describe("no-context-in-run", () => {
    const rule = "no-context-in-run";
    const incorrect = ref<typeof ncrIncorrect.cart>("ncrCartIncorrect");
    const correct = ref<typeof ncrCorrect.cart>("ncrCartCorrect");

    it("incorrect: ctx.get inside ctx.run works once, then every replay is a journal mismatch (570) and the key stays blocked", async () => {
      const first = await ingress.objectSendClient(incorrect, "k1").add("apple");
      await crashAndRestart(rule);
      const stuck = await stuckOnJournalMismatch(first.invocationId);
      expect(stuck.last_failure).toContain("'get state'");
      // The action ran once, before the crash; the replays fail before doing anything new.
      expect(lines("ncr db.save incorrect k1")).toEqual([`ncr db.save incorrect k1 ["apple"]`]);

      // A second call for the same key waits behind the failing one…
      const second = await ingress.objectSendClient(incorrect, "k1").add("pear");
      await waitUntil("three more failed retries", async () => ((await invocation(first.invocationId)).retry_count ?? 0) >= (stuck.retry_count ?? 0) + 3, 30_000, 200);
      const queued = await invocation(second.invocationId);
      note(`[no-context-in-run] add: second call for k1 is '${queued.status}' while the first has failed ${(await invocation(first.invocationId)).retry_count} times`);
      expect(queued.status).toBe("pending");
      expect(lines("ncr db.save incorrect k1")).toHaveLength(1);
      // …until someone kills the stuck invocation by hand.
      await kill(first.invocationId);
      expect((await completed(second.invocationId)).completion_result).toBe("success");
      expect(lines("ncr db.save incorrect k1")).toEqual([`ncr db.save incorrect k1 ["apple"]`, `ncr db.save incorrect k1 ["pear"]`]);
    });

    it("incorrect: ctx.date.now() or a nested ctx.run inside ctx.run never completes: 'awaitNext already pending', then 570 on every retry", async () => {
      const calls = [
        ["stamp", "k2", () => ingress.objectSendClient(incorrect, "k2").stamp("first")],
        ["audit", "k3", () => ingress.objectSendClient(incorrect, "k3").audit("login")],
      ] as const;
      // One at a time: each has a crash point after its run, in case the first attempt gets past it.
      for (const [runName, key, call] of calls) {
        const crashLine = `crash ncr-${runName}-incorrect-${key}`;
        const sent = await call();
        const stuck = await stuckOnJournalMismatch(sent.invocationId);
        // The supervisor restarts the endpoint whenever it dies, so whether and when the
        // first attempt reached the crash point does not race with the test: the ledger says.
        const crashed = lines(crashLine).length > 0;
        if (crashed) await crashAndRestart(rule);
        const awaitNextPending = loggedError(rule, sent.invocationId, "awaitNext already pending");
        note(`[no-context-in-run] ${runName}: ${crashed ? "first attempt completed the run, replay after the crash" : "first attempt failed"}; awaitNext already pending logged: ${awaitNextPending}; retry_count ${stuck.retry_count}`);
        if (!crashed) {
          // The first attempt failed inside the action; every retry fails to replay the run's await.
          expect(awaitNextPending).toBe(true);
          expect(stuck.last_failure).toContain("'await' could not be replayed");
          expect(stuck.last_failure).toContain(`run [${runName}]`);
          expect(lines(`ncr ${runName} incorrect ${key}`)).toEqual(runName === "audit" ? [`ncr audit incorrect ${key} login`] : []);
        }
        await kill(sent.invocationId);
      }
    });

    it("correct: state read before the run, the clock read before it, runs one after another: all survive a crash and replay", async () => {
      const add = settle(ingress.objectClient(correct, "k1").add("apple"));
      await crashAndRestart(rule);
      expect(await add).toEqual({ value: undefined });
      await ingress.objectClient(correct, "k1").add("pear");
      expect(lines("ncr db.save correct k1")).toEqual([`ncr db.save correct k1 ["apple"]`, `ncr db.save correct k1 ["apple","pear"]`]);
      const stamp = settle(ingress.objectClient(correct, "k2").stamp("first"));
      await crashAndRestart(rule);
      expect(typeof (await stamp).value).toBe("number");
      const audit = settle(ingress.objectClient(correct, "k3").audit("login"));
      await crashAndRestart(rule);
      expect(await audit).toEqual({ value: undefined });
      expect(lines("ncr stamp correct k2")).toEqual(["ncr stamp correct k2 first"]);
      expect(lines("ncr audit correct k3")).toEqual(["ncr audit correct k3 login"]);
    });
  });

  describe("no-nondeterministic-calls", () => {
    const rule = "no-nondeterministic-calls";

    it("incorrect: ctx.set('updatedAt', Date.now()) is a journal mismatch (570) once the handler replays", async () => {
      const sent = await ingress.objectSendClient(ref<typeof nndIncorrect.cart>("nndCartIncorrect"), "c1").addItem("apple");
      await crashAndRestart(rule);
      const stuck = await stuckOnJournalMismatch(sent.invocationId);
      expect(stuck.last_failure).toMatch(/'set state'/);
      expect(lines("nnd notify incorrect c1")).toEqual(["nnd notify incorrect c1 apple"]);
      await kill(sent.invocationId);
    });

    it("incorrect: Math.random() as a call argument differs on replay: journal mismatch (570)", async () => {
      const sent = await ingress.serviceSendClient(ref<typeof nndIncorrect.dice>("nndDiceIncorrect")).roll("p1");
      await crashAndRestart(rule);
      const stuck = await stuckOnJournalMismatch(sent.invocationId);
      expect(stuck.last_failure).toContain("'call'");
      const rolls = lines("nnd roll incorrect p1").map((line) => line.split(" ").pop());
      note(`[no-nondeterministic-calls] incorrect roll: ${rolls.length} attempts drew ${rolls.join(", ")}`);
      expect(new Set(rolls).size).toBe(rolls.length); // a new number on every attempt
      expect(lines("nnd store incorrect p1")).toEqual([`nnd store incorrect p1 ${rolls[0]}`]);
      expect(stuck.last_failure).toContain(`parameter: '${rolls[0]}' != `);
      await kill(sent.invocationId);
    });

    it("incorrect, through a helper: a random opening balance from a plain helper, written to state, is a journal mismatch (570) on replay", async () => {
      const sent = await ingress.objectSendClient(ref<typeof nndIncorrect.accounts>("nndAccountsIncorrect"), "a1").deposit(10);
      await crashAndRestart(rule);
      const stuck = await stuckOnJournalMismatch(sent.invocationId);
      expect(stuck.last_failure).toMatch(/'set state'/);
      const balances = lines("nnd deposit incorrect a1").map((line) => line.split(" ").pop());
      expect(new Set(balances).size).toBe(balances.length); // a new opening balance on every attempt
      expect(lines("nnd bank incorrect a1")).toEqual(["nnd bank incorrect a1"]);
      await kill(sent.invocationId);
    });

    it("correct: ctx.date.now() and ctx.rand.random() replay the same values; both invocations complete", async () => {
      const addItem = settle(ingress.objectClient(ref<typeof nndCorrect.cart>("nndCartCorrect"), "c1").addItem("apple"));
      await crashAndRestart(rule);
      expect(await addItem).toEqual({ value: undefined });
      expect(lines("nnd notify correct c1")).toEqual(["nnd notify correct c1 apple"]);

      const roll = settle(ingress.serviceClient(ref<typeof nndCorrect.dice>("nndDiceCorrect")).roll("p1"));
      await crashAndRestart(rule);
      const { value } = await roll;
      expect(typeof value).toBe("number");
      note(`[no-nondeterministic-calls] correct roll: ${lines("nnd roll correct p1").join(" | ")}`);
      expect(lines("nnd roll correct p1")).toEqual([`nnd roll correct p1 ${value}`, `nnd roll correct p1 ${value}`]);
      expect(lines("nnd store correct p1")).toEqual([`nnd store correct p1 ${value}`]);

      const deposit = settle(ingress.objectClient(ref<typeof nndCorrect.accounts>("nndAccountsCorrect"), "a1").deposit(10));
      await crashAndRestart(rule);
      expect(await deposit).toEqual({ value: undefined });
      const balances = lines("nnd deposit correct a1");
      expect(balances).toHaveLength(2);
      expect(new Set(balances).size).toBe(1); // the same opening balance on replay
    });

    it("not reported: a clock value from a helper that only sets a message's delay differs on replay, and the invocation still completes", async () => {
      const schedule = settle(ingress.serviceClient(ref<typeof nndCorrect.reminders>("nndRemindersCorrect")).schedule(Date.now() + 3_600_000));
      await crashAndRestart(rule);
      expect(await schedule).toEqual({ value: "scheduled" });
      expect(lines("nnd remember correct")).toEqual(["nnd remember correct"]);
    });
  });

  describe("no-blocking-in-exclusive-handler", () => {
    const WINDOW_MS = 3_000;
    const timed = async <T>(call: () => PromiseLike<T>) => {
      const start = Date.now();
      const value = await call();
      return { value, ms: Date.now() - start, end: Date.now() };
    };
    const expiredAt = (line: string) => Number(line.split("at=")[1]);

    it("incorrect: while addTicket sleeps, checkout for the same cart waits the whole window; another cart is not affected", async () => {
      const cart = ref<typeof blockIncorrect.cart>("blockCartIncorrect");
      const sentAt = Date.now();
      await ingress.objectSendClient(cart, "A").addTicket("t1");
      await waitUntil("addTicket to start", async () => lines("block addTicket incorrect A t1").length === 1);
      const [same, other] = await Promise.all([timed(() => ingress.objectClient(cart, "A").checkout()), timed(() => ingress.objectClient(cart, "B").checkout())]);
      expect(same.end - sentAt).toBeGreaterThanOrEqual(WINDOW_MS);
      expect(other.ms).toBeLessThan(1_500);
      // By the time checkout ran, the reservation had expired: the customer could not check out within it.
      expect(same.value).toEqual([]);
      const [expired] = lines("block expire incorrect A t1");
      expect(expiredAt(expired!)).toBeLessThanOrEqual(same.end);
      note(`[no-blocking] incorrect: checkout(A) took ${same.ms} ms (${same.end - sentAt} ms after addTicket was sent), checkout(B) ${other.ms} ms`);
    });

    it("correct: with a delayed self-send, checkout returns at once and the expiry still runs after the window", async () => {
      const cart = ref<typeof blockCorrect.cart>("blockCartCorrect");
      const sentAt = Date.now();
      await ingress.objectClient(cart, "A").addTicket("t1");
      const checkout = await timed(() => ingress.objectClient(cart, "A").checkout());
      expect(checkout.value).toEqual(["t1"]);
      expect(checkout.end - sentAt).toBeLessThan(1_500);
      await waitUntil("the delayed expireTicket", async () => lines("block expire correct A t1").length === 1, 15_000);
      const firedAfter = expiredAt(lines("block expire correct A t1")[0]!) - sentAt;
      expect(firedAfter).toBeGreaterThanOrEqual(WINDOW_MS - 100);
      note(`[no-blocking] correct: checkout(A) done ${checkout.end - sentAt} ms after addTicket was sent; expireTicket ran ${firedAfter} ms after`);
    });
  });

  describe("no-ingress-client-in-handler", () => {
    const rule = "no-ingress-client-in-handler";

    it("incorrect: the ingress call is made again on replay: the order ships twice", async () => {
      const checkout = settle(ingress.objectClient(ref<typeof ingressIncorrect.cart>("ingCartIncorrect"), "cart1").checkout("o1"));
      await crashAndRestart(rule);
      expect(await checkout).toEqual({ value: "label-o1" });
      expect(lines("ing ship incorrect o1")).toEqual(["ing ship incorrect o1", "ing ship incorrect o1"]);
      expect(lines("ing email incorrect o1")).toHaveLength(1);
      note(`[no-ingress-client-in-handler] incorrect: ${lines("ing ").join(" | ")}`);
      expect(await invocationsOf("ingShippingIncorrect/ship")).toHaveLength(2);
    });

    it("correct: through ctx.serviceClient the call is journaled: it ships once", async () => {
      const checkout = settle(ingress.objectClient(ref<typeof ingressCorrect.cart>("ingCartCorrect"), "cart1").checkout("o1"));
      await crashAndRestart(rule);
      expect(await checkout).toEqual({ value: "label-o1" });
      expect(lines("ing ship correct o1")).toEqual(["ing ship correct o1"]);
      expect(lines("ing email correct o1")).toHaveLength(1);
      expect(await invocationsOf("ingShippingCorrect/ship")).toHaveLength(1);
    });
  });

  describe("no-map-iteration-with-context-calls", () => {
    const rule = "no-map-iteration-with-context-calls";

    it("incorrect: a Map filled in quote-completion order is visited in another order on replay: journal mismatch (570)", async () => {
      const sent = await ingress.serviceSendClient(ref<typeof mapIncorrect.inventory>("mapInventoryIncorrect")).reserve(["a", "b", "c"]);
      await crashAndRestart(rule);
      const stuck = await stuckOnJournalMismatch(sent.invocationId);
      const [, before, after] = /name: reserve (\w) != reserve (\w)/.exec(stuck.last_failure!) ?? [];
      expect(before).toBeDefined();
      expect(after).not.toBe(before);
      // One reservation went through before the crash; every replay stops at the mismatch.
      expect(lines("map reserve incorrect")).toEqual([`map reserve incorrect ${before} quote-${before}`]);
      await kill(sent.invocationId);
    });

    it("incorrect: with unnamed runs nothing is compared: the invocation completes, one SKU reserved twice, one never, its slot taken from another", async () => {
      const allocate = settle(ingress.serviceClient(ref<typeof mapIncorrect.inventory>("mapInventoryIncorrect")).allocate(["a", "b", "c"]));
      await crashAndRestart(rule);
      const { value: slots } = await allocate;
      const allocated = lines("map allocate incorrect").map((line) => line.split(" ")[3]!);
      note(`[map] incorrect allocate: returned ${JSON.stringify(slots)}; allocated ${allocated.join(", ")}`);
      // First attempt: p, then the crash. Replay, in the other order r, q, p: r gets p's recorded slot, q and p run.
      const [p, q, again] = allocated;
      expect(allocated).toHaveLength(3);
      expect(again).toBe(p);
      const r = ["a", "b", "c"].find((sku) => sku !== p && sku !== q)!;
      expect(slots).toEqual({ [p!]: `slot-${p}`, [q!]: `slot-${q}`, [r]: `slot-${p}` });
    });

    it("incorrect: a per-process registry Map sends to other keys first on replay: journal mismatch (570)", async () => {
      const sent = await ingress.objectSendClient(ref<typeof mapIncorrect.feed>("mapFeedIncorrect"), "news").publish("hello");
      await crashAndRestart(rule);
      const stuck = await stuckOnJournalMismatch(sent.invocationId);
      expect(stuck.last_failure).toContain("'one way call/send'");
      expect(stuck.last_failure).toMatch(/key: (\w+) != (?!\1)\w+/);
      await waitUntil("the three posts", async () => lines("map post incorrect").length === 3);
      note(`[map] incorrect publish: ${lines("map ").filter((l) => l.includes("incorrect")).join(" | ")}`);
      expect(lines("map published incorrect news")).toHaveLength(1);
      await kill(sent.invocationId);
    });

    it("correct: iterating a sorted copy gives the journal's order on replay: both complete, each key once", async () => {
      const reserve = settle(ingress.serviceClient(ref<typeof mapCorrect.inventory>("mapInventoryCorrect")).reserve(["a", "b", "c"]));
      await crashAndRestart(rule);
      expect(await reserve).toEqual({ value: undefined });
      expect(lines("map reserve correct")).toEqual(["map reserve correct a quote-a", "map reserve correct b quote-b", "map reserve correct c quote-c"]);

      const allocate = settle(ingress.serviceClient(ref<typeof mapCorrect.inventory>("mapInventoryCorrect")).allocate(["a", "b", "c"]));
      await crashAndRestart(rule);
      expect(await allocate).toEqual({ value: { a: "slot-a", b: "slot-b", c: "slot-c" } });
      expect(lines("map allocate correct")).toEqual(["map allocate correct a quote-a", "map allocate correct b quote-b", "map allocate correct c quote-c"]);

      const publish = settle(ingress.objectClient(ref<typeof mapCorrect.feed>("mapFeedCorrect"), "news").publish("hello"));
      await crashAndRestart(rule);
      expect(await publish).toEqual({ value: undefined });
      await waitUntil("the three posts", async () => lines("map post correct").length === 3);
      expect(lines("map post correct").sort()).toEqual(["map post correct alice hello", "map post correct bob hello", "map post correct carol hello"]);
    });
  });

  describe("compensation-before-action", () => {
    it("incorrect: a step that fails terminally after taking effect is never compensated when the push comes after it", async () => {
      const result = await settle(ingress.serviceClient(ref<typeof sagaIncorrect.trips>("sagaTripsIncorrect")).book("c1"));
      expect(result.error?.message).toContain("flight booking timed out");
      expect(lines("saga flight")).toEqual(["saga flight booked incorrect c1"]);
      const [row] = await invocationsOf("sagaTripsIncorrect/book");
      note(`[saga] incorrect book: ingress error ${JSON.stringify(result.error?.message)}; ${row!.status} ${row!.completion_result} ${row!.completion_failure}`);
      expect(row!.completion_result).toBe("failure");
    });

    it("correct: pushed before the step, the compensation runs", async () => {
      const result = await settle(ingress.serviceClient(ref<typeof sagaCorrect.trips>("sagaTripsCorrect")).book("c1"));
      expect(result.error?.message).toContain("flight booking timed out");
      expect(lines("saga flight")).toEqual(["saga flight booked incorrect c1", "saga flight booked correct c1", "saga flight cancelled correct c1"]);
      const [row] = await invocationsOf("sagaTripsCorrect/book");
      expect(row!.completion_result).toBe("failure");
    });

    it("incorrect: a catch that swallows a plain Error completes with { success: false } after one attempt, never retried", async () => {
      const signup = ingress.workflowClient(ref<typeof sagaIncorrect.signup>("sagaSignupIncorrect"), "u1");
      const submitted = await signup.workflowSubmit("ada@example.com");
      expect(await signup.workflowAttach()).toEqual({ success: false });
      const row = await invocation(submitted.invocationId);
      note(`[saga] incorrect signup: ${row.status} ${row.completion_result} retry_count=${row.retry_count}`);
      expect(row.completion_result).toBe("success");
      expect(lines("saga signup attempt incorrect u1")).toHaveLength(1);
      expect(lines("saga user created incorrect u1")).toHaveLength(1);
      expect(lines("saga user deleted incorrect u1")).toEqual([]);
    });

    it("correct: rethrowing the plain Error lets Restate retry, and the retry succeeds", async () => {
      const signup = ingress.workflowClient(ref<typeof sagaCorrect.signup>("sagaSignupCorrect"), "u1");
      const submitted = await signup.workflowSubmit("ada@example.com");
      expect(await signup.workflowAttach()).toEqual({ success: true });
      const row = await invocation(submitted.invocationId);
      note(`[saga] correct signup: ${row.status} ${row.completion_result} retry_count=${row.retry_count}`);
      expect(lines("saga signup attempt correct u1")).toHaveLength(2);
      expect(lines("saga user created correct u1")).toHaveLength(1);
      expect(lines("saga user deleted correct u1")).toEqual([]);
    });
  });
});
