/**
 * The editor plugin loads on the TypeScript versions the docs claim: the lowest (the bottom of the `typescript`
 * range in restate-guard's package.json, which the README states) and the 6.0 this repository develops on. Each in a
 * fresh project with that `typescript`, the packed linter and the SDK installed by npm, and the project's own
 * tsserver loading `restate-guard/ts-plugin` from tsconfig.json.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TsServer } from "../editor/harness.js";
import { BUGGY_CART, expectedCartFindings, FreshProject, packBoth, ROOT, type Tarballs, tsconfig } from "./harness.js";

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
/** The claimed range's lower bound, `>=5.5.0 <6.1.0` → `5.5`. */
const lowest = /^>=(\d+\.\d+)\.0 </.exec(manifest.dependencies.typescript!)?.[1];
const developed = (JSON.parse(readFileSync(join(ROOT, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }).version;

let packs: Tarballs | undefined;
beforeAll(() => {
  packs = packBoth();
});
afterAll(() => packs?.remove());

it("the README states the range package.json claims", () => {
  expect(lowest).toBeDefined();
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  expect(readme).toContain(`TypeScript ${lowest}–6.0`);
  expect(readme).toContain(`tests load it\non ${lowest} and 6.0`);
});

describe.each([`~${lowest}.0`, developed])("typescript@%s", (version) => {
  let project: FreshProject | undefined;
  let server: TsServer | undefined;

  beforeAll(() => {
    project = new FreshProject("editor-plugin");
    project.install("--save-dev", `typescript@${version}`, packs!.linter);
    project.install("@restatedev/restate-sdk");
    project.write("tsconfig.json", tsconfig({ plugins: [{ name: "restate-guard/ts-plugin" }] }));
    project.write("src/cart.ts", BUGGY_CART);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    project?.remove();
  });

  it("tsserver loads the plugin, which reports the findings", async () => {
    const installed = project!.version("typescript");
    expect(installed.startsWith(version.replace(/^~/, "").replace(/\.0$/, ""))).toBe(true);
    server = new TsServer(join(project!.dir, "node_modules", "typescript", "lib", "tsserver.js"), project!.dir, join(project!.dir, "tsserver.log"));
    const file = join(project!.dir, "src", "cart.ts");
    server.open(file);
    const diagnostics = await server.semanticDiagnostics(file);
    const ours = diagnostics.filter((d) => d.source === "restate-guard").map((d) => `${d.start.line} ${/\((restate\/[\w-]+)\)$/.exec(d.text)?.[1]}`);
    expect(ours.sort()).toEqual(expectedCartFindings(true));
    expect(server.log()).toContain(`(TypeScript ${installed})`);
  });
});
