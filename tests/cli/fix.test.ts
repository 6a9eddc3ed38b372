/**
 * `restate-guard fix`, run as a user runs it: `--dry-run` writes nothing and
 * prints a unified diff that is exactly what `fix` then writes; the fixed app
 * type-checks and a second `fix` changes nothing; and a fix that would break
 * type-checking is refused and reported while the file's other fixes are kept.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { applyPatch, parsePatch } from "diff";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempProjects, runCli, snapshot, tempProject, tempProjectWith } from "./helpers.js";

afterAll(removeTempProjects);

/** TypeScript's errors for the project in `dir`, as `file: message`. */
function typeErrors(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? relative(dir, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

// Each test runs the CLI end to end (a typed lint, the fixes, a type check and a second lint): on a
// busy 2-core machine that can take well over the default minute, so these get more room.
describe("the example app", { timeout: 180_000 }, () => {
  let app: string;
  let before: Map<string, Buffer>;
  let patch: string;
  beforeAll(() => {
    app = tempProject(["shop-buggy"], "fix");
    before = snapshot(app);
  });

  it("--dry-run leaves every file byte-identical and prints a unified diff (stdout) and the report (stderr)", async () => {
    const result = await runCli(["fix", "--dry-run"], app);
    // Errors would remain (most findings have no autofix): exit 1, as `check` would.
    expect(result.code, result.stderr).toBe(1);
    expect(snapshot(app)).toEqual(before);
    patch = result.stdout;
    expect(patch).toMatch(/^--- a\/shop-buggy\/src\/helpers\.ts\t?.*\n\+\+\+ b\/shop-buggy\/src\/helpers\.ts/m);
    expect(patch).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(patch).toContain('-import { randomUUID } from "node:crypto";');
    expect(patch).toContain("+    id: context.rand.uuidv4(), // expect: restate/no-nondeterministic-calls");
    expect(result.stderr).toMatch(/^Would fix 4 problems in 4 files:$/m);
    expect(result.stderr).toContain("Would remain:");
    expect(result.stderr).not.toContain("Refused");
  });

  it("fix writes exactly that diff; the result type-checks; a second fix changes nothing", async () => {
    const result = await runCli(["fix"], app);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Fixed 4 problems in 4 files:\n {2}shop-buggy\/src\/cart\.ts: restate\/shared-handler-registration ×1\n {2}shop-buggy\/src\/helpers\.ts: restate\/no-nondeterministic-calls ×1$/m);
    expect(result.stdout).toMatch(/^Remaining:$/m);
    expect(result.stdout).toMatch(/^\d+ problems \(\d+ errors, 0 warnings\) in \d+ of 8 files \(preset recommended-type-checked, with type information\)\.$/m);

    // The files now hold what the dry run's diff said, and nothing else changed.
    const patches = parsePatch(patch);
    expect(patches).toHaveLength(4);
    const after = snapshot(app);
    const expected = new Map(before);
    for (const p of patches) {
      const file = p.oldFileName!.replace(/^a\//, "");
      const patched = applyPatch(before.get(file)!.toString("utf8"), p);
      expect(patched).not.toBe(false);
      expected.set(file, Buffer.from(patched as string));
    }
    expect(after).toEqual(expected);

    // The app's tsconfig is strict and has noUnusedLocals: the fixed app still type-checks.
    expect(typeErrors(app)).toEqual([]);

    const again = await runCli(["fix"], app);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^Nothing to fix\.$/m);
    expect(snapshot(app)).toEqual(after);
  });
});

describe("fixes that would break type-checking", () => {
  // These were honest cases of our own autofixes breaking type-checking (an optional `ctx`:
  // TS18048; a `uuidv4()` string where node's template-literal `UUID` type is expected:
  // TS2322/TS2345), found by this command's type-check gate. The rule now offers those edits
  // only as suggestions, so `fix` never sees them; the gate's refusal logic itself is tested
  // with injected fixes in fix-plan.test.ts. The file's other fixes are applied.
  const mixed = `import * as restate from "@restatedev/restate-sdk";
import { randomUUID, type UUID } from "node:crypto";

export async function jitter(ctx?: restate.Context): Promise<number> {
  const r = Math.random();
  await ctx?.sleep(r * 100);
  return r;
}

function track(id: UUID): UUID {
  return id;
}

export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, amount: number) => {
      const orderId: UUID = randomUUID();
      const traceId = track(crypto.randomUUID());
      const jitterMs = Math.random() * 100;
      await ctx.sleep(jitterMs);
      await ctx.run("charge", () => amount);
      return \`\${orderId} \${traceId}\`;
    },
  },
});
`;
  // A file whose fixes all type-check: accepted as a whole.
  const fine = `import * as restate from "@restatedev/restate-sdk";

export const lottery = restate.service({
  name: "lottery",
  handlers: {
    draw: async (ctx: restate.Context) => {
      const ticket = Math.floor(Math.random() * 1000);
      await ctx.run("record", () => ticket);
      return ticket;
    },
  },
});
`;
  let dir: string;
  beforeAll(() => {
    dir = tempProjectWith({ "src/orders.ts": mixed, "src/lottery.ts": fine }, "refuse");
  });

  it("are not offered as autofixes; the file's other fixes are applied and the project still type-checks", async () => {
    expect(typeErrors(dir)).toEqual([]);
    const result = await runCli(["fix"], dir);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^Fixed 2 problems in 2 files:$/m);
    expect(result.stdout).not.toMatch(/^Refused/m);

    const orders = readFileSync(join(dir, "src", "orders.ts"), "utf8");
    expect(orders).toBe(mixed.replace("const jitterMs = Math.random() * 100;", "const jitterMs = ctx.rand.random() * 100;"));
    expect(readFileSync(join(dir, "src", "lottery.ts"), "utf8")).toBe(fine.replace("Math.random()", "ctx.rand.random()"));
    expect(typeErrors(dir)).toEqual([]);
    // The problems without an autofix are still reported.
    expect(result.stdout.match(/^src\/orders\.ts:\d+:\d+ +error +/gm)).toHaveLength(3);
  });
});
