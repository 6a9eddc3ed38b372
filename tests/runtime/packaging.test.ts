/**
 * The runtime package as consumers see it: `import ... from "restate-guard-runtime"` (ES module build,
 * runtime/dist/esm) and `require("restate-guard-runtime")` (CommonJS build, runtime/dist/cjs), each in a real
 * `node` process and through TypeScript's own resolution. Needs `npm run build` first (`npm test` does it).
 *
 * The consumers are temporary files inside the package (runtime/dist/.tmp-*), so that Node resolves the package's
 * own name to this checkout ("self-reference"). tests/packages.test.ts installs the packed packages into fresh
 * projects.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../server/harness.js";
import { RUNTIME_PACKAGE, tempDirInPackage } from "./package-scope.js";

let dir: string;

beforeAll(() => {
  for (const built of ["dist/esm/index.js", "dist/cjs/index.js", "dist/cjs/package.json"]) {
    if (!existsSync(join(RUNTIME_PACKAGE, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  dir = tempDirInPackage("consumer");
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `source` in a fresh node process as `file` and returns what it printed as JSON. */
function runNode(file: string, source: string): Record<string, unknown> {
  const path = join(dir, file);
  writeFileSync(path, source);
  const result = spawnSync(process.execPath, [path], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  if (result.status !== 0) throw new Error(`node ${file} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

// The same checks for both module systems: every export is there, a saga compensates on a TerminalError from the
// consumer's own copy of the SDK and on one from the other copy (the dual-package case), and does not on a plain Error.
const checks = `
  const ctx = { rand: { uuidv4: (() => { let n = 0; return () => "id-" + ++n; })() }, date: { now: async () => 86400000 } };
  async function saga(error) {
    const log = [];
    try {
      await guard.runSaga(ctx, async (s) => {
        await s.step({ action: async (id) => log.push("do " + id), compensate: async (id) => log.push("undo " + id) });
        throw error;
      });
    } catch (e) {
      log.push(e === error ? "rethrown" : "other error");
    }
    return log;
  }
  const out = {
    exports: Object.keys(guard).sort(),
    resolved: resolved.slice(root.length + 1),
    ownTerminal: await saga(new own.TerminalError("declined")),
    otherTerminal: await saga(new other.TerminalError("declined")),
    plainError: await saga(new Error("flaky")),
    sameClass: own.TerminalError === other.TerminalError,
    ordered: guard.ordered(new Map([["b", 1], ["a", 2]])),
    date: (await guard.durableDate(ctx)).toISOString(),
    sdkCjsLoaded: Object.keys(requireCache).filter((f) => f.includes("restate-sdk") && f.endsWith("index.cjs")).length > 0,
  };
`;

describe("package exports", () => {
  it("an ES module consumer gets the ESM build, which uses the SDK's ESM build", () => {
    const out = runNode(
      "consumer.mjs",
      `import * as guard from "restate-guard-runtime";
       import * as own from "@restatedev/restate-sdk";
       import { createRequire } from "node:module";
       import { fileURLToPath } from "node:url";
       const require = createRequire(import.meta.url);
       const requireCache = { ...require.cache }; // before loading the other copy below
       const other = require("@restatedev/restate-sdk");
       const resolved = fileURLToPath(import.meta.resolve("restate-guard-runtime"));
       const root = ${JSON.stringify(ROOT)};
       ${checks}
       console.log(JSON.stringify(out));`,
    );
    expect(out).toMatchObject({
      exports: ["Saga", "durableDate", "ordered", "runSaga", "scheduleSelf"],
      resolved: join("runtime", "dist", "esm", "index.js"),
      ownTerminal: ["do id-1", "undo id-1", "rethrown"],
      otherTerminal: ["do id-2", "undo id-2", "rethrown"],
      plainError: ["do id-3", "rethrown"],
      sameClass: false,
      ordered: [["a", 2], ["b", 1]],
      date: "1970-01-02T00:00:00.000Z",
      sdkCjsLoaded: false,
    });
  });

  it("a CommonJS consumer gets the CJS build, which requires the SDK's CJS build (instanceof TerminalError matches)", () => {
    const out = runNode(
      "consumer.cjs",
      `const guard = require("restate-guard-runtime");
       const own = require("@restatedev/restate-sdk");
       const requireCache = require.cache;
       const resolved = require.resolve("restate-guard-runtime");
       const root = ${JSON.stringify(ROOT)};
       // The CJS build's saga module and the modules it required.
       const sagaModule = require.cache[require.resolve(root + "/runtime/dist/cjs/saga.js")];
       const sagaRequires = sagaModule.children.map((m) => m.filename.slice(root.length + 1));
       (async () => {
         const other = await import("@restatedev/restate-sdk");
         ${checks}
         out.sagaRequires = sagaRequires;
         out.sameModuleAsConsumer = sagaModule.children.some((m) => m.exports.TerminalError === own.TerminalError);
         console.log(JSON.stringify(out));
       })();`,
    );
    expect(out).toMatchObject({
      exports: ["Saga", "durableDate", "ordered", "runSaga", "scheduleSelf"],
      resolved: join("runtime", "dist", "cjs", "index.js"),
      ownTerminal: ["do id-1", "undo id-1", "rethrown"],
      otherTerminal: ["do id-2", "undo id-2", "rethrown"],
      plainError: ["do id-3", "rethrown"],
      sameClass: false,
      ordered: [["a", 2], ["b", 1]],
      date: "1970-01-02T00:00:00.000Z",
      sdkCjsLoaded: true,
      sagaRequires: [join("node_modules", "@restatedev", "restate-sdk", "dist", "index.cjs")],
      sameModuleAsConsumer: true,
    });
  });


  it("TypeScript resolves the ESM declarations for import and the CJS declarations for require", () => {
    const esm = join(dir, "typed.mts");
    const cjs = join(dir, "typed.cts");
    const body = `
      const saga = (ctx: Context) => runSaga(ctx, async (s: Saga) => s.step(async () => 1, async () => undefined));
      const sorted: Array<[string, number]> = ordered(new Map([["a", 1]]));
      // @ts-expect-error the keys are numbers
      const wrong: Array<[string, number]> = ordered(new Map([[1, 1]]));
      export { saga, sorted, wrong };`;
    writeFileSync(
      esm,
      `import type { Context } from "@restatedev/restate-sdk";
       import { runSaga, ordered, Saga } from "restate-guard-runtime";${body}`,
    );
    writeFileSync(
      cjs,
      `import type { Context } from "@restatedev/restate-sdk";
       import guard = require("restate-guard-runtime");
       const { runSaga, ordered } = guard;
       type Saga = guard.Saga;${body}`,
    );
    const program = ts.createProgram([esm, cjs], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
    const declarations = program
      .getSourceFiles()
      .map((f) => f.fileName.slice(ROOT.length + 1))
      .filter((f) => f.startsWith("runtime/dist/") && f.endsWith("index.d.ts"));
    expect(declarations.sort()).toEqual(["runtime/dist/cjs/index.d.ts", "runtime/dist/esm/index.d.ts"]);
  });
});
