/**
 * A service that uses only the runtime helpers: `npm install @restatedev/restate-sdk restate-guard-runtime` (from the
 * packed tarball) in a fresh `npm init -y` project brings no ESLint and no TypeScript, and the helpers work from an
 * ES module and from CommonJS.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FreshProject, packBoth, type Tarballs } from "./harness.js";

let packs: Tarballs | undefined;
let project: FreshProject | undefined;

beforeAll(() => {
  packs = packBoth();
  project = new FreshProject("runtime-only");
  project.install("@restatedev/restate-sdk", packs.runtime);
}, 300_000);

afterAll(() => {
  project?.remove();
  packs?.remove();
});

// A saga that fails terminally after its first step, run against a stand-in context (the helpers only need
// `ctx.rand.uuidv4` and `ctx.date.now` here), plus `ordered` and `durableDate`.
const body = `
  const ctx = { rand: { uuidv4: () => "id-1" }, date: { now: async () => 86400000 } };
  const log = [];
  try {
    await runtime.runSaga(ctx, async (saga) => {
      await saga.step({ action: async (id) => log.push("book " + id), compensate: async (id) => log.push("cancel " + id) });
      throw new TerminalError("declined");
    });
  } catch (e) {
    log.push(e instanceof TerminalError ? "rethrown" : "other");
  }
  console.log(JSON.stringify({
    exports: Object.keys(runtime).filter((k) => k !== "default").sort(),
    log,
    ordered: runtime.ordered(new Map([["b", 1], ["a", 2]])),
    date: (await runtime.durableDate(ctx)).toISOString(),
  }));`;

const expected = {
  exports: ["Saga", "durableDate", "ordered", "runSaga", "scheduleSelf"],
  log: ["book id-1", "cancel id-1", "rethrown"],
  ordered: [["a", 2], ["b", 1]],
  date: "1970-01-02T00:00:00.000Z",
};

describe("a runtime-only project", () => {
  it("lists both packages in dependencies and has no ESLint or TypeScript in node_modules", () => {
    const pkg = JSON.parse(project!.read("package.json")) as { type: string; dependencies: Record<string, string>; devDependencies?: unknown };
    expect(pkg.type).toBe("commonjs"); // what `npm init -y` writes
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@restatedev/restate-sdk", "restate-guard-runtime"]);
    for (const absent of ["eslint", "typescript", "@typescript-eslint", "ts-api-utils", "restate-guard"]) {
      expect(project!.has(`node_modules/${absent}`), absent).toBe(false);
    }
  });

  it("runs the helpers from an ES module", () => {
    project!.write(
      "esm.mjs",
      `import * as runtime from "restate-guard-runtime";
       import { TerminalError } from "@restatedev/restate-sdk";
       ${body}`,
    );
    const result = project!.run("node", "esm.mjs");
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it("runs the helpers from CommonJS", () => {
    project!.write(
      "cjs.js",
      `const runtime = require("restate-guard-runtime");
       const { TerminalError } = require("@restatedev/restate-sdk");
       (async () => {
         ${body}
       })();`,
    );
    const result = project!.run("node", "cjs.js");
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });
});
