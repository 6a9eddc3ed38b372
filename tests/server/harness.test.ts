/** The integration harness itself: a real restate-server, a real service process, the real ingress client. */
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Greeter } from "./services/greeter.js";
import { createLedger, startRestateServer, startService, stopAll, type RestateServer, type ServiceProcess } from "./harness.js";

describe("integration harness", () => {
  let server: RestateServer;
  let service: ServiceProcess;
  const ledger = createLedger();

  beforeAll(async () => {
    server = await startRestateServer();
    service = await startService("tests/server/services/greeter.ts", { LEDGER: ledger.path });
    await server.register(service.uri);
  });
  afterAll(async () => {
    await service?.stop();
    await server?.stop();
    await stopAll();
    ledger.remove();
  });

  it("invokes a handler through the ingress client and sees its side effect once", async () => {
    const ingress = clients.connect({ url: server.ingressUrl });
    // A type-only import: the service module (which starts a server) is not loaded here.
    const greeting = await ingress.serviceClient<Greeter>({ name: "greeter" }).greet("Ada");
    expect(greeting).toBe("Hello, Ada!");
    expect(ledger.lines()).toEqual(["greet Ada"]);
    const rows = await server.query<{ count: number }>("SELECT count(*) AS count FROM sys_invocation");
    expect(rows.length).toBe(1);
  });
});
