/**
 * What the rule-evidence tests on restate-server share (tests/server/*.test.ts):
 * linting a service file with one rule against its `← restate/<id>` markers,
 * a typed definition handle for the ingress client, the columns of
 * `sys_invocation` they read, and small promise and logging helpers.
 */
import { readFileSync } from "node:fs";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import * as clients from "@restatedev/restate-sdk-clients";
import { describe, expect, it } from "vitest";
import { startRestateServer, startService, stopAll, type RestateServer, type ServiceOptions, type ServiceProcess } from "./harness.js";
import plugin from "../../eslint-plugin.js";

/** A row of `sys_invocation` (the columns a test selects; the others stay undefined). */
export interface InvocationRow {
  id: string;
  target: string;
  status: string;
  retry_count: number | null;
  last_failure: string | null;
  last_failure_error_code: string | null;
  completion_result: string | null;
  completion_failure: string | null;
}

/** A definition handle for the ingress client, typed from the service module without loading it. */
export function ref<D extends { name: string }>(name: D["name"]): D {
  return { name } as D;
}

/** Observations worth reading (timings, paths taken, failure messages): printed with RULES_TEST_LOG=1. */
export function note(message: string): void {
  if (process.env.RULES_TEST_LOG) console.log(message);
}

/** A promise that never rejects unobserved: await it later for `{ value }` or `{ error }`. */
export function settle<T>(promise: PromiseLike<T>): Promise<{ value?: T; error?: Error }> {
  return Promise.resolve(promise).then(
    (value) => ({ value }),
    (error: Error) => ({ error }),
  );
}

/**
 * Lints a service file with one rule (`id` without the namespace): its
 * messages, the lines that rule reported, and the lines marked
 * `← restate/<id>` in the file.
 */
export function lintMarked(file: string, id: string): { messages: Linter.LintMessage[]; reported: number[]; marked: number[] } {
  const text = readFileSync(file, "utf8");
  const messages = new Linter({ configType: "flat" }).verify(
    text,
    [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { restate: plugin as never }, rules: { [`restate/${id}`]: "error" } }],
    file,
  );
  return {
    messages,
    reported: messages.filter((m) => m.ruleId === `restate/${id}`).map((m) => m.line),
    marked: text.split("\n").flatMap((line, i) => (line.includes(`← restate/${id}`) ? [i + 1] : [])),
  };
}

/**
 * The test every rule-evidence file starts with: each form of the service, linted with the rule, reports exactly
 * the lines marked `← restate/<rule>` — some in the incorrect form, none in the correct one.
 */
export function describeMarkedForms(rule: string, serviceFile: (form: "incorrect" | "correct") => string): void {
  describe(`${rule} flags the incorrect service and not the correct one`, () => {
    it("reports exactly the marked lines", () => {
      for (const form of ["incorrect", "correct"] as const) {
        const file = serviceFile(form);
        const { messages, marked, reported } = lintMarked(file, rule);
        expect(messages.filter((m) => m.fatal), file).toEqual([]);
        if (form === "incorrect") expect(marked.length, file).toBeGreaterThan(0);
        else expect(marked, file).toEqual([]);
        expect(reported, file).toEqual(marked);
      }
    });
  });
}

/** A restate-server with one endpoint (`entry`, a service module) registered, and an ingress client to it. */
export async function startEndpointOnServer(
  entry: string,
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<{ server: RestateServer; endpoint: ServiceProcess; ingress: clients.Ingress }> {
  const server = await startRestateServer();
  const ingress = clients.connect({ url: server.ingressUrl });
  const endpoint = await startService(entry, env, options);
  await server.register(endpoint.uri);
  return { server, endpoint, ingress };
}

/** Stops what `startEndpointOnServer` started (and every other process the harness started), and removes the ledger. */
export async function stopEndpointOnServer(server: RestateServer | undefined, endpoint: ServiceProcess | undefined, ledger?: { remove(): void }): Promise<void> {
  await endpoint?.stop();
  await server?.stop();
  await stopAll();
  ledger?.remove();
}
