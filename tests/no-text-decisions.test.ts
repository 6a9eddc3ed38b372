/**
 * No rule or core module decides from the file's text or its comments (issue
 * 13): findings come from syntax, scopes, data flow and types. The only text
 * read is text copied into a fix, and such a line ends with
 * `// text for a fix`.
 *
 * Checked three ways: the sources say so (a grep), the cheap exit of the
 * shared analysis looks at imports, not at words, and comments full of the
 * words rules once looked for change no finding and no fix.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { analyse } from "./core/analyse.js";
import plugin from "../eslint-plugin.js";
import { ROOT } from "../scripts/docs-lib.js";

// ---- the sources --------------------------------------------------------------

/** What reads the file's text or comments. */
const FORBIDDEN = ["sourceCode.text", "getSourceFile().text", "getFullText(", "getAllComments(", "getCommentsBefore(", "getCommentsAfter(", "getCommentsInside(", "commentsExistBetween("];
const FIX_MARK = "// text for a fix";

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(ROOT, dir, file))
    .sort();
}

describe("the sources", () => {
  it("rules/ and core/ read the file's text or comments only to build a fix (such lines end with `// text for a fix`)", () => {
    const files = [...sources("rules"), ...sources("core")];
    expect(files.length).toBeGreaterThan(20);
    const offending: string[] = [];
    for (const file of files) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (FORBIDDEN.some((needle) => line.includes(needle)) && !line.trimEnd().endsWith(FIX_MARK)) {
            offending.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(offending).toEqual([]);
  });
});

// ---- the shared analysis's cheap exit -------------------------------------------


describe("the shared analysis decides from imports", () => {
  it("a comment or string naming @restatedev/ builds nothing", () => {
    const a = analyse(`// Ported from "@restatedev/restate-sdk" examples.
export const source = "@restatedev/restate-sdk";
export const now = () => Date.now();`);
    expect(a.active).toBe(false);
    expect(a.imports).toBeNull();
  });

  it("an import, a re-export or a top-level require of the SDK is looked at", () => {
    for (const code of [
      `import type { Context } from "@restatedev/restate-sdk"; export function f(ctx: Context) { return ctx.rand.random(); }`,
      `const restate = require("@restatedev/restate-sdk"); export const s = restate.service({ name: "s", handlers: { a: async (ctx) => 1 } });`,
      `export { service } from "@restatedev/restate-sdk";`,
    ]) {
      expect(analyse(code).imports, code).not.toBeNull();
    }
    expect(analyse(`import type { Context } from "@restatedev/restate-sdk"; export function f(ctx: Context) {}`).active).toBe(true);
  });
});

// ---- comments change nothing -------------------------------------------------

/** The words rules once looked for in the text: each in a comment, where it must not count. */
const WORDS_IN_COMMENTS = `
// TODO: maybe set a serde in defaultServiceOptions later: restate.endpoint().defaultServiceOptions({ serde })
/* The ids are crypto's UUID type (ReturnType<typeof randomUUID>, \`\${string}-\${string}-\${string}\`). */
// Ported from "@restatedev/restate-sdk" examples: fetch(url), console.log(x), { idempotencyKey: id }
`;

/** Comments replaced by spaces (line breaks kept), so every position stays where it was. */
function blankComments(code: string): string {
  const ast = tsParser.parse(code, { range: true, comment: true, loc: false });
  let result = code;
  for (const comment of ast.comments ?? []) {
    const [start, end] = comment.range;
    result = result.slice(0, start) + result.slice(start, end).replace(/[^\n]/g, " ") + result.slice(end);
  }
  return result;
}

/**
 * Every finding, with where its fix and suggestions edit (not their text: a
 * fix may copy a comment along), or with `ranges` false only whether there is
 * a fix and how many suggestions (a fix that moves code takes the comments
 * around it along, so its range may cover them).
 */
function findings(code: string, ranges = true): string[] {
  const linter = new Linter({ configType: "flat" });
  return linter
    .verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, plugin.configs.strict as never], "file.ts")
    .map((m) =>
      JSON.stringify([
        m.fatal ? `FATAL ${m.message}` : m.ruleId,
        m.line,
        m.column,
        m.messageId,
        ranges ? (m.fix?.range ?? null) : m.fix !== undefined,
        ranges ? (m.suggestions ?? []).map((s) => s.fix.range) : (m.suggestions ?? []).length,
      ]),
    );
}

const SAMPLES: Record<string, string> = {
  "a Date from ctx.run, no serde anywhere": `import * as restate from "@restatedev/restate-sdk";
export const svc = restate.service({
  name: "svc",
  handlers: {
    expires: async (ctx: restate.Context) => {
      const now = await ctx.run("now", () => new Date());
      return now.getTime() + 1000;
    },
  },
});
`,
  "randomUUID() in a handler, autofixed to ctx.rand.uuidv4()": `import * as restate from "@restatedev/restate-sdk";
import { randomUUID } from "node:crypto";
export const svc = restate.service({
  name: "svc",
  handlers: {
    open: async (ctx: restate.Context) => {
      const id = randomUUID();
      ctx.set("id", id);
      return id;
    },
  },
});
`,
  "fetch, console and an idempotency key in a handler": `import * as restate from "@restatedev/restate-sdk";
const audit = restate.service({ name: "audit", handlers: { record: async (ctx: restate.Context, what: string) => {} } });
export const svc = restate.service({
  name: "svc",
  handlers: {
    sync: async (ctx: restate.Context, url: string) => {
      const response = await fetch(url);
      console.log("fetched", response.status);
      const { log } = console;
      log("done");
      await ctx.serviceClient(audit).record(url, restate.rpc.opts({ idempotencyKey: url }));
    },
  },
});
`,
  "a file without Restate": `export async function load(url: string) {
  console.log("loading", url);
  return (await fetch(url)).json();
}
`,
};

function fixtureFiles(): [string, string][] {
  return ["shop-buggy", "shop"].flatMap((app) =>
    readdirSync(join(ROOT, "fixtures", app, "src"))
      .filter((f) => f.endsWith(".ts"))
      .map((f): [string, string] => [`fixtures/${app}/src/${f}`, readFileSync(join(ROOT, "fixtures", app, "src", f), "utf8")]),
  );
}

describe("comments change nothing (strict preset, without types)", () => {
  for (const [name, code] of [...Object.entries(SAMPLES), ...fixtureFiles()]) {
    it(name, () => {
      const base = findings(code);
      if (name in SAMPLES && name !== "a file without Restate") expect(base.length, name).toBeGreaterThan(0);
      expect(findings(code + WORDS_IN_COMMENTS), "with comments naming what rules once searched for").toEqual(base);
      expect(findings(blankComments(code), false), "with every comment blanked out").toEqual(findings(code, false));
    });
  }
});
