/**
 * scheduleSelf(): the call it makes on the context (a stand-in here; the real
 * server run is in schedule-self.server.test.ts), and its types (compiled from
 * schedule-self.test-d.ts).
 */
import * as restate from "@restatedev/restate-sdk";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { scheduleSelf } from "../../runtime/index.js";

const here = dirname(fileURLToPath(import.meta.url));

const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (_ctx: restate.ObjectContext, sku: string) => sku,
    expire: async (_ctx: restate.ObjectContext) => {},
  },
});

interface Sent {
  object: string;
  key: string;
  handler: string;
  args: unknown[];
}

function fakeObjectContext(key: string, sent: Sent[]): restate.ObjectContext {
  return {
    key,
    objectSendClient: (def: { name: string }, k: string) =>
      new Proxy(
        {},
        {
          get: (_t, handler) => (...args: unknown[]) => {
            sent.push({ object: def.name, key: k, handler: String(handler), args });
            return { invocationId: Promise.resolve(`inv-${sent.length}`) };
          },
        },
      ),
  } as unknown as restate.ObjectContext;
}

describe("scheduleSelf", () => {
  it("sends to the same object and key with rpc.sendOpts({ delay }) and the handler's input", async () => {
    const sent: Sent[] = [];
    const ctx = fakeObjectContext("cart-42", sent);
    const handle = scheduleSelf(ctx, cart, { hours: 1 }).expire();
    scheduleSelf(ctx, cart, 5_000).add("A-1");
    expect(await handle.invocationId).toBe("inv-1");
    expect(sent.map(({ object, key, handler, args }) => [object, key, handler, args.length])).toEqual([
      ["cart", "cart-42", "expire", 2],
      ["cart", "cart-42", "add", 2],
    ]);
    const [first, second] = sent;
    expect(first!.args[0]).toBeUndefined();
    expect(first!.args[1]).toBeInstanceOf(restate.SendOpts);
    expect((first!.args[1] as { getOpts(): unknown }).getOpts()).toEqual({ delay: { hours: 1 } });
    expect(second!.args[0]).toBe("A-1");
    expect((second!.args[1] as { getOpts(): unknown }).getOpts()).toEqual({ delay: 5_000 });
  });

  it("is not a thenable and sends nothing until a handler is called", async () => {
    const sent: Sent[] = [];
    const client = scheduleSelf(fakeObjectContext("k", sent), cart, 1);
    expect((client as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(client)).toBe(client);
    expect(sent).toEqual([]);
  });

  it("is typed from the object definition (wrong handler names and inputs are type errors)", () => {
    const file = join(here, "schedule-self.test-d.ts");
    const config = ts.getParsedCommandLineOfConfigFile(join(here, "..", "..", "tsconfig.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    })!;
    const program = ts.createProgram([file], { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
