/**
 * A project set up as the README says: `npm init -y`, the linter from its packed tarball in `devDependencies` next
 * to ESLint, the SDK and the runtime in `dependencies`, and the README's `eslint.config.mjs` verbatim. ESLint (with
 * and without type information, and from a CommonJS config) and the `restate-guard` command find the planted bugs,
 * and the rules recognise the installed runtime helper under its import path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUGGY_CART, cliFindings, eslintFindings, expectedCartFindings, FreshProject, packBoth, readmeConfigs, type Tarballs, tsconfig } from "./harness.js";

let packs: Tarballs | undefined;
let project: FreshProject | undefined;
const [untypedConfig, typedConfig] = readmeConfigs();

// Journaled calls while iterating a Map: reported on `stock` itself, not when iterated through `ordered`.
const STOCK = `import * as restate from "@restatedev/restate-sdk";
import { ordered } from "restate-guard-runtime";

export const stock = restate.object({
  name: "stock",
  handlers: {
    restock: async (ctx: restate.ObjectContext, levels: Record<string, number>) => {
      const wanted = new Map(Object.entries(levels));
      for (const [sku, count] of ordered(wanted)) await ctx.run(\`order \${sku}\`, () => count);
      for (const [sku, count] of wanted) await ctx.run(\`count \${sku}\`, () => count);
    },
  },
});
`;

beforeAll(() => {
  packs = packBoth();
  project = new FreshProject("linter");
  project.install("--save-dev", "eslint", packs.linter);
  project.install("@restatedev/restate-sdk", packs.runtime);
  project.write("tsconfig.json", tsconfig());
  project.write("src/cart.ts", BUGGY_CART);
  project.write("src/stock.ts", STOCK);
}, 300_000);

afterAll(() => {
  project?.remove();
  packs?.remove();
});

const stockFinding = "10 restate/no-map-iteration-with-context-calls";

describe("a linter project following the README", () => {
  it("has the linter in devDependencies and the runtime in dependencies", () => {
    const pkg = JSON.parse(project!.read("package.json")) as { type: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.type).toBe("commonjs");
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(["eslint", "restate-guard"]);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@restatedev/restate-sdk", "restate-guard-runtime"]);
  });

  it("the README has the two configs this test uses", () => {
    expect(untypedConfig).toContain("restate.configs.recommended");
    expect(typedConfig).toContain('restate.configs["recommended-type-checked"]');
  });

  it("`npx eslint .` with the README's eslint.config.mjs finds the bugs", () => {
    project!.write("eslint.config.mjs", untypedConfig!);
    const result = project!.run("npx", "eslint", ".", "--format", "json");
    expect(result.status, result.stderr).toBe(1);
    const findings = eslintFindings(result.stdout);
    expect(findings.filter((f) => !f.endsWith("map-iteration-with-context-calls"))).toEqual(expectedCartFindings(false));
    expect(findings.filter((f) => f.endsWith("map-iteration-with-context-calls"))).toEqual([stockFinding]);
  });

  it("the README's typed eslint.config.mjs adds the type-aware finding", () => {
    project!.write("eslint.config.mjs", typedConfig!);
    const result = project!.run("npx", "eslint", "src", "--format", "json");
    expect(result.status, result.stderr).toBe(1);
    expect(eslintFindings(result.stdout)).toEqual([...expectedCartFindings(true), stockFinding].sort());
  });

  it("a CommonJS eslint.config.cjs loads the plugin with require", () => {
    project!.write("eslint.config.cjs", `const restate = require("restate-guard/eslint-plugin").default;\n\nmodule.exports = [restate.configs.recommended];\n`);
    const result = project!.run("npx", "eslint", "src", "--config", "eslint.config.cjs", "--format", "json");
    expect(result.status, result.stderr).toBe(1);
    expect(eslintFindings(result.stdout)).toEqual([...expectedCartFindings(false), stockFinding].sort());
  });

  it("`npx restate-guard check` finds the same with type information", () => {
    const result = project!.run("npx", "restate-guard", "check", "--format", "json");
    expect(result.status, result.stderr).toBe(1);
    expect(cliFindings(result.stdout)).toEqual([...expectedCartFindings(true), stockFinding].sort());
  });
});
