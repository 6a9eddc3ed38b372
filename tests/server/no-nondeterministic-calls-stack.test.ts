/**
 * no-nondeterministic-calls and a caught error's `stack` (restatedev/sdk-typescript#656), on a real
 * restate-server. #656 reports that the SDK rebuilds a TerminalError during replay, so that its stack,
 * put into a journaled value, would mismatch. Each handler here catches a TerminalError (thrown inside
 * `ctx.run`, by a called handler, or made by the SDK from a run whose retries ran out), puts
 * `e.stack` into state or a call argument, takes one more journaled step, and then its process dies
 * once (crashOnce), so that Restate replays the journal past that value.
 *
 * What the server shows with SDK 1.17.2: the SDK builds the error from the journaled failure on the
 * first attempt too, so the stack is the same on the first attempt and on the replay (it has no frame
 * of the user's code) and every invocation completes. So the rule does not report a caught error's
 * stack, and this file first checks that it reports nothing in the service file.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintMarked, note, ref, settle, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, startRestateServer, startService, stopAll, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as stack from "./services/no-nondeterministic-calls.stack.js";

const RULE = "no-nondeterministic-calls";
const SERVICES = join(ROOT, "tests", "server", "services", `${RULE}.stack.ts`);

it("the rule reports nothing in the service file (a caught error's stack replays identically)", () => {
  const { messages } = lintMarked(SERVICES, RULE);
  expect(messages).toEqual([]);
});

describe("on restate-server: a caught error's stack in a journaled value survives a replay", () => {
  let server: RestateServer;
  let ingress: clients.Ingress;
  let endpoint: ServiceProcess;
  let crashesSeen = 0;
  const ledger = createLedger();
  const orders = ref<typeof stack.orders>("nndStackOrders");

  beforeAll(async () => {
    server = await startRestateServer();
    ingress = clients.connect({ url: server.ingressUrl });
    // Supervised: a service that kills itself is started again at once, as in production.
    endpoint = await startService(`tests/server/services/${RULE}.stack.endpoint.ts`, { LEDGER: ledger.path }, { supervise: true });
    await server.register(endpoint.uri);
  });

  afterAll(async () => {
    await endpoint?.stop();
    await server?.stop();
    await stopAll();
    ledger.remove();
  });

  const lines = (prefix: string) => ledger.lines().filter((line) => line.startsWith(prefix));

  async function crashAndRestart(): Promise<void> {
    crashesSeen++;
    await endpoint.restartedAfterCrashes(crashesSeen, 30_000);
  }

  async function invocationsOf(target: string): Promise<InvocationRow[]> {
    return server.query<InvocationRow>(`SELECT id, target, status, retry_count, last_failure, completion_result FROM sys_invocation WHERE target = '${target}'`);
  }

  async function stateOf(key: string, name: string): Promise<unknown> {
    const rows = await server.query<{ value_utf8: string }>(
      `SELECT value_utf8 FROM state WHERE service_name = 'nndStackOrders' AND service_key = '${key}' AND key = '${name}'`,
    );
    return rows.length === 1 ? JSON.parse(rows[0]!.value_utf8) : undefined;
  }

  /** The stacks the handler saw on the first attempt and on the replay (JSON-encoded in the ledger). */
  function stacksSeen(prefix: string): string[] {
    return lines(prefix).map((line) => JSON.parse(line.slice(prefix.length + 1)) as string);
  }

  async function completesAfterCrash(handler: "pay" | "payRemote" | "payRetried" | "payMessage", key: string): Promise<void> {
    const call = settle(ingress.objectClient(orders, key)[handler]("4242"));
    await crashAndRestart();
    expect(await call).toEqual({ value: undefined });
    const [row] = await invocationsOf(`nndStackOrders/${key}/${handler}`);
    note(`[${RULE} stack] ${handler}: ${row!.status} ${row!.completion_result} retry_count=${row!.retry_count} last_failure=${JSON.stringify(row!.last_failure)}`);
    expect(row!.completion_result).toBe("success");
    expect(lines(`nnd-stack notify ${handler} ${key}`)).toHaveLength(1);
  }

  it("a TerminalError thrown inside ctx.run, its stack written with ctx.set: the same stack on replay, the invocation completes", async () => {
    await completesAfterCrash("pay", "o1");
    const stacks = stacksSeen("nnd-stack pay o1");
    note(`[${RULE} stack] pay saw: ${JSON.stringify(stacks[0])}`);
    expect(stacks).toHaveLength(2); // the first attempt and the replay after the crash
    expect(stacks[1]).toBe(stacks[0]);
    // Built by the SDK from the journaled failure, even on the first attempt: no frame of the action that threw.
    expect(stacks[0]).toMatch(/^TerminalError: card 4242 declined\n\s+at /);
    expect(stacks[0]).not.toContain("no-nondeterministic-calls.stack.ts");
    expect(await stateOf("o1", "lastError")).toBe(stacks[0]);
  });

  it("#656's shape: a called handler's TerminalError, its stack in a call argument: the same on replay, the callee runs once", async () => {
    await completesAfterCrash("payRemote", "o2");
    const stacks = stacksSeen("nnd-stack payRemote o2");
    expect(stacks).toHaveLength(2);
    expect(stacks[1]).toBe(stacks[0]);
    expect(stacks[0]).toMatch(/^TerminalError: card 4242 declined\n/);
    expect(lines("nnd-stack audit")).toEqual([`nnd-stack audit ${JSON.stringify(stacks[0])}`]);
  });

  it("a plain Error from a run whose retries ran out, its stack in a template written to state: the same on replay", async () => {
    await completesAfterCrash("payRetried", "o3");
    const stacks = stacksSeen("nnd-stack payRetried o3");
    expect(stacks).toHaveLength(2);
    expect(stacks[1]).toBe(stacks[0]);
    expect(stacks[0]).toMatch(/^TerminalError: gateway down for 4242\n/);
    expect(await stateOf("o3", "lastError")).toBe(`failed: ${stacks[0]}`);
  });

  it("e.message written with ctx.set: completes after the crash", async () => {
    await completesAfterCrash("payMessage", "o4");
    expect(await stateOf("o4", "lastError")).toBe("card 4242 declined");
  });
});
