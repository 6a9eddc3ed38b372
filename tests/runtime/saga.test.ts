/**
 * Saga / runSaga against a stand-in context (only ctx.rand.uuidv4 is used). The
 * journaled behaviour — replay, crashes, retries — is proven on a real server
 * in tests/server/saga.test.ts.
 */
import { TerminalError, CancelledError, type Context } from "@restatedev/restate-sdk";
import { describe, expect, it } from "vitest";
import { Saga, runSaga } from "../../runtime/index.js";

function fakeContext(): Context {
  let n = 0;
  return { rand: { uuidv4: () => `uuid-${++n}` } } as unknown as Context;
}

describe("Saga", () => {
  it("registers each compensation before running its action, passing both the same id drawn from ctx.rand", async () => {
    const log: string[] = [];
    const saga = new Saga(fakeContext());
    const result = await saga.step({
      name: "flight",
      action: async (id) => (log.push(`book ${id}`), "PNR1"),
      compensate: async (id) => log.push(`cancel ${id}`),
    });
    expect(result).toBe("PNR1");
    // The action fails terminally: its own compensation was registered before it ran.
    await expect(
      saga.step({
        name: "hotel",
        action: async (id) => {
          log.push(`reserve ${id}`);
          throw new TerminalError("no rooms");
        },
        compensate: async (id) => log.push(`release ${id}`),
      }),
    ).rejects.toThrow("no rooms");
    await saga.compensate();
    expect(log).toEqual(["book uuid-1", "reserve uuid-2", "release uuid-2", "cancel uuid-1"]);
  });

  it("accepts (action, compensate) functions and still draws one id per step", async () => {
    const log: string[] = [];
    const ctx = fakeContext();
    const saga = new Saga(ctx);
    expect(await saga.step(async () => (log.push("charge"), 42), async () => log.push("refund"))).toBe(42);
    expect(ctx.rand.uuidv4()).toBe("uuid-2");
    await saga.compensate();
    expect(log).toEqual(["charge", "refund"]);
  });

  it("runs each compensation exactly once, even when compensate() is called again", async () => {
    const log: string[] = [];
    const saga = new Saga(fakeContext());
    for (const n of [1, 2, 3]) await saga.step(async () => n, async () => log.push(`undo ${n}`));
    await saga.compensate();
    await saga.compensate();
    expect(log).toEqual(["undo 3", "undo 2", "undo 1"]);
  });

  it("never skips a failed compensation: a terminal failure becomes a retryable error, and a later call resumes at it", async () => {
    const log: string[] = [];
    let attempts = 0;
    const saga = new Saga(fakeContext());
    await saga.step(async () => 1, async () => log.push("undo 1"));
    await saga.step({
      name: "two",
      action: async () => 2,
      compensate: async () => {
        if (++attempts === 1) throw new TerminalError("refund rejected");
        log.push("undo 2");
      },
    });
    await saga.step(async () => 3, async () => log.push("undo 3"));
    const failure = await saga.compensate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(TerminalError); // retryable: Restate retries the invocation
    expect((failure as Error).message).toMatch(/compensation "two" failed terminally \(refund rejected\)/);
    expect((failure as Error).cause).toBeInstanceOf(TerminalError);
    expect(log).toEqual(["undo 3"]); // "undo 1" did not run past the failed one
    await saga.compensate();
    expect(log).toEqual(["undo 3", "undo 2", "undo 1"]);
  });

  it("rethrows a retryable compensation failure untouched", async () => {
    const error = new Error("connection reset");
    const saga = new Saga(fakeContext());
    await saga.step(async () => 1, () => Promise.reject(error));
    await expect(saga.compensate()).rejects.toBe(error);
  });

  it("rejects a step without a compensation", async () => {
    const saga = new Saga(fakeContext());
    // @ts-expect-error a step needs both an action and a compensation
    await expect(saga.step(async () => 1)).rejects.toThrow(TypeError);
    // @ts-expect-error same for the object form
    await expect(saga.step({ action: async () => 1 })).rejects.toThrow(TypeError);
  });
});

describe("runSaga", () => {
  it("returns the body's result and compensates nothing on success", async () => {
    const log: string[] = [];
    const result = await runSaga(fakeContext(), async (saga) => {
      await saga.step(async () => log.push("a"), async () => log.push("undo a"));
      return "done";
    });
    expect(result).toBe("done");
    expect(log).toEqual(["a"]);
  });

  it("on a TerminalError compensates in reverse order and rethrows the original error", async () => {
    const log: string[] = [];
    const error = new TerminalError("card declined", { errorCode: 402 });
    const rejection = runSaga(fakeContext(), async (saga) => {
      await saga.step(async () => log.push("a"), async () => log.push("undo a"));
      await saga.step(async () => log.push("b"), async () => log.push("undo b"));
      throw error;
    });
    await expect(rejection).rejects.toBe(error);
    expect(log).toEqual(["a", "b", "undo b", "undo a"]);
  });

  it("treats subclasses of TerminalError (CancelledError: the invocation was cancelled) as terminal", async () => {
    const log: string[] = [];
    await expect(
      runSaga(fakeContext(), async (saga) => {
        await saga.step(async () => log.push("a"), async () => log.push("undo a"));
        throw new CancelledError();
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(["a", "undo a"]);
  });

  it("rethrows any other error untouched without compensating", async () => {
    const log: string[] = [];
    const error = new Error("timeout talking to the bank");
    await expect(
      runSaga(fakeContext(), async (saga) => {
        await saga.step(async () => log.push("a"), async () => log.push("undo a"));
        await saga.step(() => Promise.reject(error), async () => log.push("undo b"));
      }),
    ).rejects.toBe(error);
    expect(log).toEqual(["a"]);
  });

  it("when a compensation fails terminally, throws the retryable wrapper, not the original error", async () => {
    await expect(
      runSaga(fakeContext(), async (saga) => {
        await saga.step(async () => 1, () => Promise.reject(new TerminalError("cannot undo")));
        throw new TerminalError("original");
      }),
    ).rejects.toThrow(/failed terminally \(cannot undo\)/);
  });
});
