/**
 * restate/shared-handler-registration on a real restate-server: the rule page's counter, whose `get` is
 * annotated `ObjectSharedContext` but registered as a plain function (exclusive), against the correct
 * `handlers.object.shared` registration. `add` holds the key for 1.5 s (a durable sleep before it writes);
 * a `get` on the same key sent meanwhile shows whether it waits behind it.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/shared-handler-registration` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref, type InvocationRow } from "./evidence.js";
import { ROOT, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/shared-handler-registration.counter.correct.js";
import type * as incorrectForm from "./services/shared-handler-registration.counter.incorrect.js";

const RULE = "shared-handler-registration";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.counter.${form}.ts`);

/** How long `add` holds the key (its sleep). */
const HOLD_MS = 1500;

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const incorrect = ref<typeof incorrectForm.counter>("shrCounterIncorrect");
  const correct = ref<typeof correctForm.counter>("shrCounterCorrect");

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`)));
  afterAll(() => stopEndpointOnServer(server, endpoint));

  async function status(id: string): Promise<string | undefined> {
    const [row] = await server.query<InvocationRow>(`SELECT id, status FROM sys_invocation WHERE id = '${id}'`);
    return row?.status;
  }

  /** Sends `add(5)` to `key`, waits until it holds the key (running or suspended in its sleep), then calls `get` and times it. */
  async function getWhileAdding(
    object: typeof incorrect | typeof correct,
    key: string,
  ): Promise<{ value: number; ms: number; getStatusMeanwhile: string | undefined; addStatusAfterGet: string | undefined }> {
    // A request-response call to get (its row is found by target: a row of a completed call may already be gone).
    const started = Date.now();
    const { invocationId: addId } = await ingress.objectSendClient(object, key).add(5);
    await waitUntil("add to hold the key", async () => ["running", "suspended"].includes((await status(addId)) ?? ""));
    const pending = ingress.objectClient(object, key).get();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [getRow] = await server.query<InvocationRow>(
      `SELECT id, status FROM sys_invocation WHERE target_service_name = '${object.name}' AND target_service_key = '${key}' AND target_handler_name = 'get'`,
    );
    const getStatusMeanwhile = getRow?.status;
    const value = await pending;
    const ms = Date.now() - started;
    const addStatusAfterGet = await status(addId);
    await waitUntil("add to complete", async () => (await status(addId)) === "completed");
    return { value, ms, getStatusMeanwhile, addStatusAfterGet };
  }

  it("incorrect: get annotated ObjectSharedContext but registered plain — it is queued behind add on the key and sees add's write", async () => {
    const seen = await getWhileAdding(incorrect, "k1");
    note(`incorrect get: ${JSON.stringify(seen)}`);
    // 1.7 calls a queued invocation "pending" (waiting in the key's inbox behind add).
    expect(seen.getStatusMeanwhile).toBe("pending");
    expect(seen.value).toBe(5);
    expect(seen.ms).toBeGreaterThanOrEqual(HOLD_MS);
    expect(seen.addStatusAfterGet).toBe("completed");
  });

  it("correct: handlers.object.shared — get runs at once, concurrently with add, and sees the last committed value", async () => {
    const seen = await getWhileAdding(correct, "k1");
    note(`correct get: ${JSON.stringify(seen)}`);
    expect(seen.getStatusMeanwhile).toBe("completed");
    expect(seen.value).toBe(0);
    expect(seen.ms).toBeLessThan(HOLD_MS);
    expect(seen.addStatusAfterGet).not.toBe("completed");
    expect(await ingress.objectClient(correct, "k1").get()).toBe(5);
  });
});
