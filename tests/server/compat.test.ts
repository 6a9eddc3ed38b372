/**
 * `restate-guard compat` against a real restate-server: a change predicted breaking breaks what is already running.
 *
 * tests/server/services/compat/v1 is deployed and used: a counter object stores a count, a delayed send to
 * `reminders/remind` is scheduled, and a `pipeline/process` invocation is mid-way (its first `ctx.run` journaled, its
 * sleep pending). Then v2 replaces it in place (the same endpoint, its code changed, re-registered with force):
 * the state key is renamed, `reminders/remind` removed, and `pipeline/process`'s journaled operations reordered.
 * First `compat --in-place` must predict exactly those breaks; then the server must show each one.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";
import { note, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, startRestateServer, startService, stopAll, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as v1 from "./services/compat/v1/src/app.js";

const APP = join(ROOT, "tests", "server", "services", "compat");

it("compat --in-place predicts the breaks of v2 over v1", async () => {
  const result = await runCli(["compat", "--base-dir", "../v1", "--in-place", "--format", "json"], join(APP, "v2"));
  const ids = (JSON.parse(result.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id);
  expect(ids).toEqual([
    "handler-removed:reminders/remind",
    "journal-changed:counter/add",
    "journal-changed:mailer/schedule",
    "journal-changed:pipeline/process",
    "state-key-dropped:counter/count",
  ]);
  expect(result.code).toBe(1);
});

describe("on restate-server: v1 in use, then v2 in place", () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  const dir = mkdtempSync(join(tmpdir(), "restate-guard-compat-version-"));
  const versionFile = join(dir, "version");
  const counter = ref<typeof v1.counter>("counter");
  const mailer = ref<typeof v1.mailer>("mailer");
  const pipeline = ref<typeof v1.pipeline>("pipeline");
  let pipelineInvocation = "";
  const before: Record<string, unknown> = {};

  const COLUMNS = "id, target, status, retry_count, last_failure, last_failure_error_code, completion_result, completion_failure";
  const invocationsOf = (target: string) => server.query<InvocationRow>(`SELECT ${COLUMNS} FROM sys_invocation WHERE target = '${target}'`);

  beforeAll(async () => {
    writeFileSync(versionFile, "v1");
    server = await startRestateServer();
    ingress = clients.connect({ url: server.ingressUrl });
    endpoint = await startService("tests/server/services/compat/endpoint.ts", { LEDGER: ledger.path, VERSION_FILE: versionFile });
    await server.register(endpoint.uri);

    // v1 in use.
    before.first = await ingress.objectClient(counter, "k").add();
    before.second = await ingress.objectClient(counter, "k").add();
    await ingress.serviceClient(mailer).schedule("ann");
    pipelineInvocation = (await ingress.serviceSendClient(pipeline).process("p1")).invocationId;
    await waitUntil("pipeline to journal its first run", async () => ledger.lines().includes("a p1"));

    // v2 in place: the same endpoint, its code changed, re-registered with force.
    await endpoint.kill();
    writeFileSync(versionFile, "v2");
    await endpoint.restart();
    await server.register(endpoint.uri);
  }, 120_000);

  afterAll(async () => {
    await endpoint?.stop();
    await server?.stop();
    await stopAll();
    ledger.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("state-key-dropped: the count stored under the old key is lost to the new code", async () => {
    expect([before.first, before.second]).toEqual([1, 2]);
    expect(await ingress.objectClient(counter, "k").add()).toBe(1);
  });

  it("handler-removed: the delayed send to reminders/remind, scheduled before the change, never runs it", async () => {
    let rows: InvocationRow[] = [];
    await waitUntil(
      "the delayed reminders/remind invocation to fail",
      async () => {
        rows = await invocationsOf("reminders/remind");
        return rows.length === 1 && (rows[0]!.retry_count ?? 0) >= 1;
      },
      30_000,
      200,
    );
    note(`[reminders/remind] ${JSON.stringify(rows[0])}`);
    // Observed (restate-server 1.7, SDK 1.17): the endpoint answers 404 for the handler it no longer has, and Restate
    // retries the invocation for ever.
    expect(rows[0]!.last_failure ?? "").toMatch(/404/);
    expect(ledger.lines().filter((line) => line.startsWith("remind"))).toEqual([]);
    const response = await fetch(`${server.adminUrl}/invocations/${rows[0]!.id}/kill`, { method: "PATCH" });
    expect(response.ok).toBe(true);
  });

  it("journal-changed: the pipeline invocation in flight fails with a journal mismatch on the reordered code", async () => {
    let row: InvocationRow | undefined;
    await waitUntil(
      "the pipeline invocation to fail with a journal mismatch",
      async () => {
        row = (await server.query<InvocationRow>(`SELECT ${COLUMNS} FROM sys_invocation WHERE id = '${pipelineInvocation}'`))[0];
        return (row?.last_failure ?? "").startsWith("[570 Journal mismatch]");
      },
      30_000,
      200,
    );
    note(`[pipeline/process] ${JSON.stringify(row)}`);
    expect(row!.last_failure_error_code).toBe("RT0016");
    expect(ledger.lines().filter((line) => line.endsWith("p1"))).toEqual(["a p1"]);
    const response = await fetch(`${server.adminUrl}/invocations/${pipelineInvocation}/kill`, { method: "PATCH" });
    expect(response.ok).toBe(true);
  });
});
