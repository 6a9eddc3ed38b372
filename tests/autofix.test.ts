/**
 * What the autofixes do to the buggy example app, line by line. Each fixable
 * rule alone must make exactly the edits listed in EXPECTED (and fixing its
 * output again changes nothing); the `all` preset, as `eslint --fix` applies
 * it, must make all of them together, leave the app type-checking with its
 * strict tsconfig (`noUnusedLocals` included), leave no fixable problem, and
 * fix nothing in the correct app.
 *
 * PAYMENTS, a small file of its own, adds what the buggy app has no
 * autofixable case of: a `Promise.all` over runs, and a `randomUUID()` whose
 * import goes with the fix (the app's `randomUUID()` goes into an `Order`
 * declared in another file, so without types it is only a suggestion).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { structuredPatch } from "diff";
import { ESLint, Linter } from "eslint";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import plugin, { PLUGIN_NAMESPACE } from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";

/** Files of the project, relative to it: file → its edits, in file order. */
type Edits = Record<string, string[]>;

/**
 * Each fixable rule's edits to the project, one entry per changed run of lines: the old lines (`-`), then the new
 * ones (`+`). Files not listed stay as they are.
 */
const EXPECTED: Record<string, Edits> = {
  "compensation-before-action": {
    // The refund is registered before the charge it undoes, not after.
    "shop-buggy/src/order-workflow.ts": [
      `+        compensations.push(() => ctx.run("refund", () => refundPayment(order.id, order.total))); // expect: restate/compensation-before-action`,
      `-        compensations.push(() => ctx.run("refund", () => refundPayment(order.id, order.total))); // expect: restate/compensation-before-action`,
    ],
  },
  "no-console-in-handler": {
    "shop-buggy/src/cart.ts": [
      "-      console.log(`order ${order.id} placed for customer ${ctx.key}`); // expect: restate/no-console-in-handler\n" +
        "+      ctx.console.log(`order ${order.id} placed for customer ${ctx.key}`); // expect: restate/no-console-in-handler",
    ],
  },
  "no-native-promise-combinators": {
    "extra/payments.ts": [
      `-    chargeBoth: async (ctx: restate.Context, id: string) => Promise.all([ctx.run("card", () => charge(id)), ctx.run("wallet", () => charge(id))]),\n` +
        `+    chargeBoth: async (ctx: restate.Context, id: string) => restate.RestatePromise.all([ctx.run("card", () => charge(id)), ctx.run("wallet", () => charge(id))]),`,
    ],
  },
  "no-nondeterministic-calls": {
    // randomUUID becomes the context's seeded one, and its import goes (noUnusedLocals).
    "extra/payments.ts": [
      `-import { randomUUID } from "node:crypto";`,
      `-      const paymentId: string = randomUUID();\n+      const paymentId: string = ctx.rand.uuidv4();`,
    ],
    "shop-buggy/src/shipping.ts": [
      `-  const carrier = CARRIERS[Math.floor(Math.random() * CARRIERS.length)] ?? "dhl"; // expect: restate/no-nondeterministic-calls\n` +
        `+  const carrier = CARRIERS[Math.floor(ctx.rand.random() * CARRIERS.length)] ?? "dhl"; // expect: restate/no-nondeterministic-calls`,
    ],
  },
  "shared-handler-registration": {
    "shop-buggy/src/cart.ts": [
      `-    getCart: async (ctx: restate.ObjectSharedContext) => { // expect: restate/shared-handler-registration\n` +
        `+    getCart: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => { // expect: restate/shared-handler-registration`,
      `-    },\n+    }),`,
    ],
  },
};

const PAYMENTS = `import { randomUUID } from "node:crypto";
import * as restate from "@restatedev/restate-sdk";

async function charge(id: string, paymentId = id): Promise<string> {
  return \`charged \${id} as \${paymentId}\`;
}

export const payments = restate.service({
  name: "payments",
  handlers: {
    chargeBoth: async (ctx: restate.Context, id: string) => Promise.all([ctx.run("card", () => charge(id)), ctx.run("wallet", () => charge(id))]),
    chargeOnce: async (ctx: restate.Context, id: string) => {
      const paymentId: string = randomUUID();
      return ctx.run("charge", () => charge(id, paymentId));
    },
  },
});
`;

const FILES = ["**/*.ts"];
const SOURCES = ["shop/src", "shop-buggy/src", "extra"];

let work: string;
/** The project's files, relative to it, and their original text. */
let originals: Map<string, string>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "restate-guard-autofix-"));
  cpSync(join(ROOT, "fixtures", "shop"), join(work, "shop"), { recursive: true });
  cpSync(join(ROOT, "fixtures", "shop-buggy"), join(work, "shop-buggy"), { recursive: true });
  mkdirSync(join(work, "extra"));
  writeFileSync(join(work, "extra", "payments.ts"), PAYMENTS);
  symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"), "dir");
  // The app is ESM, as in this repository.
  writeFileSync(join(work, "package.json"), JSON.stringify({ private: true, type: "module" }));
  const tsconfig = JSON.parse(readFileSync(join(ROOT, "fixtures", "tsconfig.json"), "utf8")) as { include: string[] };
  tsconfig.include = SOURCES;
  writeFileSync(join(work, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  originals = new Map(
    SOURCES.flatMap((dir) =>
      readdirSync(join(work, dir))
        .filter((f) => f.endsWith(".ts"))
        .sort()
        .map((f) => [`${dir}/${f}`, readFileSync(join(work, dir, f), "utf8")] as const),
    ),
  );
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A file's edits: each changed run of lines as its `-` lines, then its `+` lines. */
function editsOf(before: string, after: string): string[] {
  return structuredPatch("a", "b", before, after, undefined, undefined, { context: 0 }).hunks.map((hunk) => hunk.lines.join("\n"));
}

/** The project's edits, files without any left out. */
function projectEdits(outputs: Map<string, string>): Edits {
  const edits: Edits = {};
  for (const [file, text] of outputs) {
    const changed = editsOf(originals.get(file)!, text);
    if (changed.length > 0) edits[file] = changed;
  }
  return edits;
}

function typeErrors(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(work, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? relative(work, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const fixableRules = Object.entries(plugin.rules)
  .filter(([, rule]) => rule.meta.fixable)
  .map(([name]) => name)
  .sort();

describe("autofixes of the buggy example app", () => {
  it("every fixable rule has its expected edits, and each edits something", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixableRules);
    expect(Object.entries(EXPECTED).filter(([, edits]) => Object.keys(edits).length === 0)).toEqual([]);
  });

  it.each(fixableRules)("%s alone makes exactly its expected edits, and fixing again changes nothing", (name) => {
    const linter = new Linter({ configType: "flat", cwd: work });
    const config: Linter.Config[] = [
      { files: FILES, languageOptions: { parser: tsParser }, plugins: { [PLUGIN_NAMESPACE]: plugin as never }, rules: { [`${PLUGIN_NAMESPACE}/${name}`]: "error" } },
    ];
    const outputs = new Map<string, string>();
    const again: string[] = [];
    for (const [file, text] of originals) {
      const result = linter.verifyAndFix(text, config, join(work, file));
      expect(result.messages.filter((m) => m.fatal), file).toEqual([]);
      outputs.set(file, result.output);
      if (result.fixed && linter.verifyAndFix(result.output, config, join(work, file)).fixed) again.push(file);
    }
    expect(projectEdits(outputs)).toEqual(EXPECTED[name] ?? {});
    expect(again).toEqual([]);
  });

  it("the all preset, as eslint --fix applies it, makes every rule's edits; the app still type-checks and a second pass changes nothing", async () => {
    expect(typeErrors(), "the project type-checks before any fix").toEqual([]);
    const eslint = () =>
      new ESLint({
        cwd: work,
        fix: true,
        overrideConfigFile: true,
        overrideConfig: [{ files: FILES, languageOptions: { parser: tsParser } }, plugin.configs.all as never],
      });

    const first = await eslint().lintFiles(SOURCES);
    expect(first.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
    await ESLint.outputFixes(first);
    const outputs = new Map([...originals.keys()].map((file) => [file, readFileSync(join(work, file), "utf8")]));

    // Every rule's edits, and nothing else; the correct app among the files left alone.
    const expected: Edits = {};
    for (const edits of Object.values(EXPECTED)) {
      for (const [file, changes] of Object.entries(edits)) expected[file] = [...(expected[file] ?? []), ...changes].sort();
    }
    const actual = projectEdits(outputs);
    for (const file of Object.keys(actual)) actual[file].sort();
    expect(actual).toEqual(expected);
    expect(Object.keys(actual).filter((file) => file.startsWith("shop/"))).toEqual([]);

    expect(typeErrors()).toEqual([]);

    const second = await eslint().lintFiles(SOURCES);
    expect(second.filter((r) => r.output !== undefined).map((r) => relative(work, r.filePath))).toEqual([]);
    // The fixes did what they say: no fixable problem is left.
    expect(second.flatMap((r) => r.messages.filter((m) => m.fix).map((m) => `${relative(work, r.filePath)}:${m.line} ${m.ruleId}`))).toEqual([]);
  });
});
