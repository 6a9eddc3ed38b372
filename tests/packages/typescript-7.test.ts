/**
 * A fresh project whose `typescript` is 7 (npm's `latest`: a native compiler with no JavaScript API). restate-guard
 * brings the TypeScript it analyses with (npm nests a 6.0 copy inside node_modules/restate-guard), so `npx
 * restate-guard check` and `fix` work, and so does ESLint with the README's configs; the project's own `tsc` stays 7
 * and still compiles the fixed file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUGGY_CART, cliFindings, eslintFindings, expectedCartFindings, FreshProject, packBoth, readmeConfigs, type Tarballs, tsconfig } from "./harness.js";

let packs: Tarballs | undefined;
let project: FreshProject | undefined;
const [untypedConfig, typedConfig] = readmeConfigs();

beforeAll(() => {
  packs = packBoth();
  project = new FreshProject("typescript-7");
  project.install("--save-dev", "typescript@7");
  project.install("--save-dev", "eslint", packs.linter);
  project.install("@restatedev/restate-sdk");
  project.write("tsconfig.json", tsconfig());
  project.write("src/cart.ts", BUGGY_CART);
}, 300_000);

afterAll(() => {
  project?.remove();
  packs?.remove();
});

describe("a TypeScript 7 project", () => {
  it("keeps TypeScript 7 for itself; restate-guard gets a TypeScript it can analyse with", () => {
    expect(project!.version("typescript")).toMatch(/^7\./);
    expect(project!.version("restate-guard/node_modules/typescript")).toMatch(/^(5\.[5-9]|6\.0)\./);
    expect(project!.run("npx", "tsc", "--version").stdout).toMatch(/Version 7\./);
  });

  it("`npx restate-guard check` lints with type information", () => {
    const result = project!.run("npx", "restate-guard", "check", "--format", "json");
    expect(result.status, result.stderr).toBe(1);
    expect(cliFindings(result.stdout)).toEqual(expectedCartFindings(true));
  });

  it("`npx eslint` works with the README's configs", () => {
    project!.write("eslint.config.mjs", untypedConfig!);
    const untyped = project!.run("npx", "eslint", "src", "--format", "json");
    expect(untyped.status, untyped.stderr).toBe(1);
    expect(eslintFindings(untyped.stdout)).toEqual(expectedCartFindings(false));

    project!.write("eslint.config.mjs", typedConfig!);
    const typed = project!.run("npx", "eslint", "src", "--format", "json");
    expect(typed.status, typed.stderr).toBe(1);
    expect(eslintFindings(typed.stdout)).toEqual(expectedCartFindings(true));
  });

  it("`npx restate-guard fix` applies the safe fix, and TypeScript 7 compiles the result", () => {
    const result = project!.run("npx", "restate-guard", "fix");
    expect(result.stdout).toContain("Fixed 1 problem in 1 file");
    const fixed = project!.read("src/cart.ts");
    expect(fixed).toContain(`ctx.set("score", ctx.rand.random());`);
    expect(fixed.replace("ctx.rand.random()", "Math.random()")).toBe(BUGGY_CART);
    const tsc = project!.run("npx", "tsc", "-p", ".");
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const after = project!.run("npx", "restate-guard", "check", "--format", "json");
    expect(cliFindings(after.stdout)).toEqual(expectedCartFindings(true).filter((f) => !f.startsWith("8 ")));
  });
});
