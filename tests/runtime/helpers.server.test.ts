/**
 * scheduleSelf and durableDate on a real restate-server (the saga is in tests/server/saga.test.ts): the delayed
 * self-call arrives once, after the delay, while the key stays free; the durable date is replayed unchanged.
 */
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLedger, startRestateServer, startService, stopAll, waitUntil, type RestateServer, type ServiceProcess } from "../server/harness.js";
import type { Reminders } from "./services/helpers.js";

describe("runtime helpers on a real Restate server", () => {
  let server: RestateServer;
  let service: ServiceProcess;
  const ledger = createLedger();
  const objects = () => clients.connect({ url: server.ingressUrl });
  const deliveries = (key: string) => ledger.lines().filter((line) => line.startsWith(`deliver ${key} `));

  beforeAll(async () => {
    server = await startRestateServer();
    service = await startService("tests/runtime/services/helpers.ts", { LEDGER: ledger.path });
    await server.register(service.uri);
  });
  afterAll(async () => {
    await service?.stop();
    await server?.stop();
    await stopAll();
    ledger.remove();
  });

  it("scheduleSelf: the delayed call to the same key arrives once, after the delay, and the key is free meanwhile", async () => {
    const delayMs = 1_500;
    const start = Date.now();
    const invocationId = await objects().objectClient<Reminders>({ name: "reminders" }, "ada").remind({ message: "hi", delayMs });
    expect(invocationId).toMatch(/^inv_/);
    // The key is not held: an exclusive handler on it answers long before the delay is over.
    expect(await objects().objectClient<Reminders>({ name: "reminders" }, "ada").ping()).toBe("pong ada");
    const pingedAfter = Date.now() - start;
    expect(pingedAfter).toBeLessThan(delayMs);
    await waitUntil("the delayed delivery", async () => deliveries("ada").length > 0, 10_000, 50);
    const [line] = deliveries("ada");
    const deliveredAfter = Number(line!.split(" ")[3]) - start;
    expect(deliveredAfter).toBeGreaterThanOrEqual(delayMs);
    await new Promise((r) => setTimeout(r, 300));
    expect(deliveries("ada")).toHaveLength(1);
    const [row] = await server.query<{ target: string; status: string }>(
      `SELECT target, status FROM sys_invocation WHERE id = '${invocationId}'`,
    );
    expect(row).toEqual({ target: "reminders/ada/deliver", status: "completed" });
    console.log(`scheduleSelf: ping answered after ${pingedAfter} ms, delivery ${deliveredAfter} ms after the call (delay ${delayMs} ms)`);
  });

  it("(contrast) ctx.sleep in an exclusive handler holds the key: a ping waits for the whole delay", async () => {
    const delayMs = 1_000;
    const start = Date.now();
    const blocking = objects().objectClient<Reminders>({ name: "reminders" }, "bob").remindBlocking({ message: "hi", delayMs });
    // Wait until it holds the key (sleeping), then ping.
    await waitUntil("remindBlocking to hold the key", async () => {
      const rows = await server.query(
        "SELECT id FROM sys_invocation WHERE target = 'reminders/bob/remindBlocking' AND status IN ('running', 'suspended')",
      );
      return rows.length === 1;
    }, 5_000, 20);
    expect(await objects().objectClient<Reminders>({ name: "reminders" }, "bob").ping()).toBe("pong bob");
    const pingedAfter = Date.now() - start;
    await blocking;
    expect(pingedAfter).toBeGreaterThanOrEqual(delayMs);
    console.log(`ctx.sleep in an exclusive handler: ping answered after ${pingedAfter} ms`);
  });

  it("durableDate: a retried invocation replays the same date", async () => {
    const before = Date.now();
    const returned = await objects().objectClient<Reminders>({ name: "reminders" }, "cy").stamp();
    const stamps = ledger.lines().filter((line) => line.startsWith("stamp cy "));
    // Recorded once, in the first attempt; the retry replayed both the date and the record.
    expect(stamps).toEqual([`stamp cy ${returned}`]);
    expect(new Date(returned).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(new Date(returned).getTime()).toBeLessThanOrEqual(Date.now());
    expect(service.output()).toContain("fail once after the date was journaled");
  });
});
