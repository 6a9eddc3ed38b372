/**
 * restate/no-console-in-handler against a real restate-server: the rule page's workflow, which logs
 * before and after waiting for a confirmation, with the global `console` (incorrect) and with
 * `ctx.console` (correct). The wait suspends the workflow (its inactivity timeout is shorter than the
 * wait), and the confirmation resumes it: Restate replays the handler from the top. The test counts
 * the lines the service process printed on its stdout.
 *
 * First the service files are linted with the rule: it must report exactly the lines marked
 * `← restate/no-console-in-handler` in the incorrect file and nothing in the correct one.
 */
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMarkedForms, startEndpointOnServer, stopEndpointOnServer, note, ref, type InvocationRow } from "./evidence.js";
import { createLedger, ROOT, waitUntil, type RestateServer, type ServiceProcess } from "./harness.js";
import type * as correctForm from "./services/no-console-in-handler.replay.correct.js";
import type * as incorrectForm from "./services/no-console-in-handler.replay.incorrect.js";

const RULE = "no-console-in-handler";
const serviceFile = (form: "incorrect" | "correct") => join(ROOT, "tests", "server", "services", `${RULE}.replay.${form}.ts`);

describeMarkedForms(RULE, serviceFile);

describe(`on restate-server: ${RULE}`, () => {
  let server: RestateServer;
  let endpoint: ServiceProcess;
  let ingress: clients.Ingress;
  const ledger = createLedger();
  const incorrect = ref<typeof incorrectForm.signup>("ncihSignupIncorrect");
  const correct = ref<typeof correctForm.signup>("ncihSignupCorrect");

  beforeAll(async () => ({ server, endpoint, ingress } = await startEndpointOnServer(`tests/server/services/${RULE}.endpoint.ts`, { LEDGER: ledger.path })));
  afterAll(() => stopEndpointOnServer(server, endpoint, ledger));

  /** The lines the service process printed that contain `text`. */
  const printed = (text: string) => endpoint.output().split("\n").filter((line) => line.includes(text));

  /** Submits the workflow, waits until it is suspended on the confirmation, confirms it, and gives its result. */
  async function signUp(definition: typeof incorrect | typeof correct, key: string): Promise<string> {
    await ingress.workflowClient(definition, key).workflowSubmit(`${key}@example.com`);
    await waitUntil(`workflow ${definition.name}/${key} to suspend`, async () => {
      const rows = await server.query<InvocationRow>(`SELECT status FROM sys_invocation WHERE target = '${definition.name}/${key}/run'`);
      return rows[0]?.status === "suspended";
    });
    await ingress.workflowClient(definition, key).confirm("link");
    return ingress.workflowClient(definition, key).workflowAttach();
  }

  it("incorrect: console.log before the wait is printed again when the workflow resumes; the mail is sent once", async () => {
    expect(await signUp(incorrect, "ann")).toBe("link");
    note(`[${RULE}] incorrect printed:\n${printed("ncih incorrect").join("\n")}`);
    expect(printed("ncih incorrect: sending confirmation to ann@example.com")).toHaveLength(2);
    expect(printed("ncih incorrect: ann@example.com confirmed by link")).toHaveLength(1);
    expect(ledger.lines()).toContain("ncih mail incorrect ann@example.com");
    expect(ledger.lines().filter((line) => line.startsWith("ncih mail incorrect"))).toHaveLength(1);
  });

  it("correct: ctx.console prints each line once (the replayed one is dropped), and the global console inside ctx.run prints once", async () => {
    expect(await signUp(correct, "bob")).toBe("link");
    note(`[${RULE}] correct printed:\n${printed("ncih correct").join("\n")}`);
    expect(printed("ncih correct: sending confirmation to bob@example.com")).toHaveLength(1);
    // ctx.console names the workflow, key, handler and invocation on each line.
    expect(printed("ncih correct: sending confirmation to bob@example.com")[0]).toMatch(/\[ncihSignupCorrect\/bob\/run\]\[inv_\w+\] INFO: /);
    expect(printed("ncih correct: mailing bob@example.com")).toHaveLength(1);
    expect(printed("ncih correct: bob@example.com confirmed by link")).toHaveLength(1);
    expect(ledger.lines().filter((line) => line.startsWith("ncih mail correct"))).toHaveLength(1);
  });
});
