/**
 * `restate-guard compat`: real git repositories in temporary directories, two commits each, compared with
 * `compat HEAD~1`. Every kind of breaking change is reported with its id; pure refactors (renamed locals, reordered
 * handlers, formatting, a helper moved to another module) report nothing.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempProjects, runCli, tempProjectWith } from "./helpers.js";

// ajv-formats is CommonJS with a default export that NodeNext typings cannot call as an ES default import.
import * as formats from "ajv-formats";
const addFormats = ((formats as { default?: unknown }).default ?? formats) as (ajv: Ajv2020) => Ajv2020;

afterAll(removeTempProjects);

const BASE = `import * as restate from "@restatedev/restate-sdk";
import { total } from "./util.js";

export const cart = restate.object({
  name: "cart",
  handlers: {
    add: async (ctx: restate.ObjectContext, item: string) => {
      const items = (await ctx.get<string[]>("items")) ?? [];
      ctx.set("items", [...items, item]);
    },
    checkout: async (ctx: restate.ObjectContext) => {
      const items = (await ctx.get<string[]>("items")) ?? [];
      ctx.clear("items");
      return total(items);
    },
    count: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ((await ctx.get<string[]>("items")) ?? []).length),
  },
});

export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (ctx: restate.WorkflowContext, req: { email: string; plan?: string }) => {
      ctx.set("started", true);
      const secret = await ctx.promise<string>("email-link").get();
      return \`\${req.email}:\${secret}\`;
    },
    click: async (ctx: restate.WorkflowSharedContext, secret: string) => {
      await ctx.promise<string>("email-link").resolve(secret);
    },
  },
});

export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => \`hi \${name}\`,
  },
});
`;
const UTIL = `export function total(items: string[]): number {\n  return items.length;\n}\n`;

/** A git repository with the base app committed, then `change` applied to src/app.ts and committed. */
function repository(change: (app: string) => string, extra: Record<string, string> = {}): string {
  const dir = tempProjectWith({ "src/app.ts": BASE, "src/util.ts": UTIL, ".gitignore": "node_modules\n" }, "compat");
  const git = (...args: string[]) => {
    const result = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  };
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  writeFileSync(join(dir, "src", "app.ts"), change(BASE));
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(dir, path), text);
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "-m", "change");
  return dir;
}

interface Json {
  findings: Array<{ id: string; kind: string; accepted: boolean; message: string; migration: string; base: { file: string; line: number }; head: unknown }>;
  summary: { breaking: number; accepted: number };
}

async function compat(dir: string, ...args: string[]): Promise<{ code: number; json: Json; stderr: string }> {
  const result = await runCli(["compat", "HEAD~1", "--format", "json", ...args], dir);
  return { code: result.code, json: JSON.parse(result.stdout || "{}") as Json, stderr: result.stderr };
}

describe("restate-guard compat <base-ref>", () => {
  it("reports nothing for a pure refactor: renamed locals, reordered handlers, formatting, a helper moved", async () => {
    const dir = repository(
      (app) =>
        app
          .replace(/const items = \(await ctx\.get<string\[\]>\("items"\)\) \?\? \[\];\n      ctx\.set\("items", \[\.\.\.items, item\]\);/, 'const current = (await ctx.get<string[]>("items")) ?? [];\n      ctx.set("items", [...current, item]);')
          .replace(/    count: (.*)\n/, "")
          .replace("  handlers: {\n    add:", "  handlers: {\n    count: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) =>\n      ((await ctx.get<string[]>(\"items\")) ?? []).length,\n    ),\n    add:")
          .replace('import { total } from "./util.js";', 'import { total } from "./totals.js";'),
      { "src/totals.ts": UTIL },
    );
    const { code, json } = await compat(dir);
    expect(json.findings).toEqual([]);
    expect(code).toBe(0);
    const text = await runCli(["compat", "HEAD~1"], dir);
    expect(text.stdout).toContain("No breaking changes to the Restate surface since HEAD~1.");
  });

  it("reports each breaking change with its id, what it breaks and how to migrate; exit 1", async () => {
    const dir = repository((app) =>
      app
        .replaceAll('"items"', '"lines"')
        .replace(/    checkout: async[^]*?\n    \},\n/, "")
        .replace("count: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext)", "count: (async (ctx: restate.ObjectContext)")
        .replaceAll('"email-link"', '"link"')
        .replace("greet: async", "hello: async"),
    );
    const { code, json } = await compat(dir);
    expect(json.findings.map((f) => f.id)).toEqual([
      "handler-kind-changed:cart/count",
      "handler-removed:cart/checkout",
      "handler-renamed:greeter/greet",
      "promise-removed:signup/email-link",
      "state-key-dropped:cart/items",
    ]);
    expect(code).toBe(1);
    const dropped = json.findings.find((f) => f.kind === "state-key-dropped")!;
    expect(dropped.message).toContain('no longer reads state key "items" (new keys: "lines")');
    expect(dropped.migration).toContain('Keep reading "items"');
    expect(dropped.base).toEqual({ file: "src/app.ts", line: 8 });
    for (const f of json.findings) expect(`${f.message} ${f.migration}`.length, f.id).toBeLessThan(400);
  });

  it("with types: a state value whose shape changed, for a key both versions read", async () => {
    const dir = repository((app) =>
      app
        .replace('ctx.set("items", [...items, item]);', 'ctx.set("items", [...items, { name: item }]);')
        .replaceAll('ctx.get<string[]>("items")', 'ctx.get<{ name: string }[]>("items")')
        .replace("return total(items);", "return total(items.map((i) => i.name));"),
    );
    const { json } = await compat(dir);
    expect(json.findings.map((f) => f.id)).toEqual(["state-value-changed:cart/items"]);
    expect(json.findings[0]!.message).toContain("`string[]` is now `{ name: string; }[]`");
  });

  it("does not report a key the base code only wrote (nothing of this component read it back)", async () => {
    const dir = repository((app) => app.replace('      ctx.set("started", true);\n', ""));
    expect((await compat(dir)).json.findings).toEqual([]);
  });

  it("with types: an input that old payloads would not satisfy, and an output old callers do not expect", async () => {
    const fine = repository((app) => app.replace("req: { email: string; plan?: string }", "req: { email: string; referrer?: string }"));
    expect((await compat(fine)).json.findings).toEqual([]);
    const required = repository((app) => app.replace("req: { email: string; plan?: string }", "req: { email: string; plan?: string; name: string }"));
    const { json } = await compat(required);
    expect(json.findings.map((f) => f.id)).toEqual(["handler-input-changed:signup/run"]);
    expect(json.findings[0]!.message).toContain("new required field `name`");
    const retyped = repository((app) => app.replace("req: { email: string; plan?: string }", "req: { email: string; plan?: number }"));
    expect((await compat(retyped)).json.findings[0]!.message).toContain("field `plan` is now `number | undefined`, was `string | undefined`");
    const output = repository((app) => app.replace("return total(items);", "return { count: total(items) };"));
    const out = await compat(output);
    expect(out.json.findings.map((f) => f.id)).toEqual(["handler-output-changed:cart/checkout"]);
    expect(out.json.findings[0]!.message).toContain("`number` is now `{ count: number; }`");
  });

  it("says when a removed handler resolved awakeables", async () => {
    const withResolver = (app: string) =>
      app.replace(
        "    count: restate.handlers",
        '    approve: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, id: string) => ctx.resolveAwakeable(id, "ok")),\n    count: restate.handlers',
      );
    const dir = repository((app) => app, { "src/app.ts": withResolver(BASE) });
    writeFileSync(join(dir, "src", "app.ts"), BASE); // the working tree: the resolver removed again
    const result = await runCli(["compat", "HEAD", "--format", "json"], dir);
    const [finding] = (JSON.parse(result.stdout) as Json).findings;
    expect(finding!.id).toBe("handler-removed:cart/approve");
    expect(finding!.message).toContain("It resolved awakeables: invocations still waiting on one it would have resolved wait for ever.");
  });

  it("lists what was added, which breaks nothing", async () => {
    const dir = repository((app) =>
      app.replace("    count: restate.handlers", '    empty: async (ctx: restate.ObjectContext) => ctx.clear("items"),\n    count: restate.handlers') +
        'export const audit = restate.service({ name: "audit", handlers: { log: async (ctx: restate.Context, line: string) => line } });\n',
    );
    const result = await runCli(["compat", "HEAD~1", "--format", "json"], dir);
    const json = JSON.parse(result.stdout) as Json & { added: string[] };
    expect(json.findings).toEqual([]);
    expect(json.added).toEqual(["handler `cart/empty`", "service `audit`"]);
    expect(result.code).toBe(0);
    expect((await runCli(["compat", "HEAD~1"], dir)).stdout).toContain("Added (breaks nothing): handler `cart/empty`, service `audit`.");
  });

  it("reports a renamed component (same handlers) and a component whose kind changed", async () => {
    const renamed = repository((app) => app.replace('name: "greeter"', 'name: "welcomer"'));
    expect((await compat(renamed)).json.findings.map((f) => f.id)).toEqual(["component-renamed:greeter"]);
    const kind = repository((app) => app.replace('export const greeter = restate.service({', "export const greeter = restate.object({").replace("(ctx: restate.Context, name", "(ctx: restate.ObjectContext, name"));
    expect((await compat(kind)).json.findings.map((f) => f.id)).toEqual(["component-kind-changed:greeter"]);
    const removed = repository((app) => app.slice(0, app.indexOf("export const greeter")));
    expect((await compat(removed)).json.findings.map((f) => f.id)).toEqual(["component-removed:greeter"]);
  });

  it("--accept marks an intended break: shown as accepted, and the run passes when all are", async () => {
    const dir = repository((app) => app.replace("greet: async", "hello: async"));
    const { code, json, stderr } = await compat(dir, "--accept", "handler-renamed:greeter/greet", "--accept", "handler-removed:nothing/here");
    expect(json.findings).toMatchObject([{ id: "handler-renamed:greeter/greet", accepted: true }]);
    expect(json.summary).toEqual({ breaking: 0, accepted: 1 });
    expect(code).toBe(0);
    expect(stderr).toContain("--accept handler-removed:nothing/here matches no finding");
    const text = await runCli(["compat", "HEAD~1", "--accept", "handler-renamed:greeter/greet"], dir);
    expect(text.stdout).toContain("accepted  handler-renamed:greeter/greet");
    expect(text.stdout).toContain("0 breaking changes (1 accepted) since HEAD~1.");
  });

  it("--format sarif is a valid SARIF 2.1.0 log: a rule per kind, accepted findings suppressed", async () => {
    const dir = repository((app) => app.replace("greet: async", "hello: async").replaceAll('"items"', '"lines"'));
    const result = await runCli(["compat", "HEAD~1", "--format", "sarif", "--accept", "handler-renamed:greeter/greet"], dir);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    const validate = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(JSON.parse(readFileSync(join(import.meta.dirname, "sarif-schema-2.1.0.json"), "utf8")));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["compat/handler-renamed", "compat/state-key-dropped"]);
    expect(run.results.map((r: { ruleId: string; suppressions?: unknown[] }) => [r.ruleId, Boolean(r.suppressions)])).toEqual([
      ["compat/handler-renamed", true],
      ["compat/state-key-dropped", false],
    ]);
    expect(run.results[1].locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: "src/app.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 4 } });
  });

  describe("--in-place: the journal order of each handler", () => {
    const ORDER = `import * as restate from "@restatedev/restate-sdk";

export const orders = restate.object({
  name: "orders",
  handlers: {
    place: async (ctx: restate.ObjectContext, req: { express: boolean }) => {
      const stock = await ctx.run("reserve", () => 1);
      if (req.express) {
        await ctx.run("courier", () => 2);
      } else {
        await ctx.sleep(1000);
      }
      ctx.set("state", "placed");
      return stock;
    },
  },
});
`;
    const inPlace = (change: (app: string) => string) => {
      const dir = repository((app) => app);
      writeFileSync(join(dir, "src", "orders.ts"), ORDER);
      spawnSync("git", ["add", "-A"], { cwd: dir });
      spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "orders"], { cwd: dir });
      writeFileSync(join(dir, "src", "orders.ts"), change(ORDER));
      return dir;
    };
    const ids = async (dir: string, ...args: string[]) => {
      const result = await runCli(["compat", "HEAD", "--format", "json", ...args], dir);
      return (JSON.parse(result.stdout) as Json).findings;
    };

    it("appending after the existing entries, on any path, is fine", async () => {
      const dir = inPlace((app) => app.replace('      return stock;', '      await ctx.run("notify", () => 3);\n      return stock;').replace('await ctx.run("courier", () => 2);', 'await ctx.run("courier", () => 2);'));
      expect(await ids(dir, "--in-place")).toEqual([]);
      const branchEnd = inPlace((app) => app.replace('ctx.set("state", "placed");\n      return stock;', 'ctx.set("state", "placed");\n      if (stock > 1) await ctx.run("audit", () => 4);\n      return stock;'));
      expect(await ids(branchEnd, "--in-place")).toEqual([]);
    });

    it("inserting, removing or reordering before existing entries is breaking; without --in-place it is not compared", async () => {
      const inserted = inPlace((app) => app.replace('const stock = await ctx.run("reserve", () => 1);', 'await ctx.run("check", () => 0);\n      const stock = await ctx.run("reserve", () => 1);'));
      const findings = await ids(inserted, "--in-place");
      expect(findings.map((f) => f.id)).toEqual(["journal-changed:orders/place"]);
      expect(findings[0]!.message).toContain('journal entry 1 was `ctx.run("reserve")`, now `ctx.run("check")`');
      expect(await ids(inserted)).toEqual([]);
      const inBranch = inPlace((app) => app.replace("await ctx.sleep(1000);", 'await ctx.run("queue", () => 5);\n        await ctx.sleep(1000);'));
      expect((await ids(inBranch, "--in-place")).map((f) => f.id)).toEqual(["journal-changed:orders/place"]);
      const renamed = inPlace((app) => app.replace('"courier"', '"dispatch"'));
      expect((await ids(renamed, "--in-place")).map((f) => f.id)).toEqual(["journal-changed:orders/place"]);
      const reordered = inPlace((app) => app.replace('ctx.set("state", "placed");\n      return stock;', "return stock;").replace('const stock = await ctx.run("reserve", () => 1);', 'ctx.set("state", "placed");\n      const stock = await ctx.run("reserve", () => 1);'));
      expect((await ids(reordered, "--in-place")).map((f) => f.id)).toEqual(["journal-changed:orders/place"]);
    });
  });

  it("--base-dir compares with a directory holding the base", async () => {
    const dir = repository((app) => app.replace("greet: async", "hello: async"));
    const base = mkdtempSync(join(tmpdir(), "restate-guard-compat-base-"));
    try {
      cpSync(join(dir, "tsconfig.json"), join(base, "tsconfig.json"));
      cpSync(join(dir, "src"), join(base, "src"), { recursive: true });
      writeFileSync(join(base, "src", "app.ts"), BASE);
      const result = await runCli(["compat", "--base-dir", base, "--format", "json"], dir);
      expect((JSON.parse(result.stdout) as Json).findings.map((f) => f.id)).toEqual(["handler-renamed:greeter/greet"]);
      expect(result.code).toBe(1);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("a directory that the base revision does not have exits 2 with one line", async () => {
    const dir = repository((app) => app);
    cpSync(join(dir, "src"), join(dir, "later"), { recursive: true });
    cpSync(join(dir, "tsconfig.json"), join(dir, "later", "tsconfig.json"));
    writeFileSync(join(dir, "later", "tsconfig.json"), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")), include: ["."] }));
    const result = await runCli(["compat", "HEAD"], join(dir, "later"));
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("restate-guard: this directory does not exist in HEAD");
  });

  it("bad usage exits 2 with one line", async () => {
    const dir = repository((app) => app);
    for (const args of [["compat"], ["compat", "HEAD~1", "--base-dir", "."], ["compat", "no-such-revision"], ["compat", "HEAD~1", "--format", "xml"]]) {
      const result = await runCli(args, dir);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });
});
