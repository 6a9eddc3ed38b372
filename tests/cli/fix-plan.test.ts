/**
 * The codemod's policy on its own (cli/fix.ts), with an injected linter and
 * type checker: fixes together first; a file whose fixes break type-checking
 * falls back to one fix at a time, keeping the ones that type-check; one
 * type-check when nothing breaks. The end-to-end case is in fix.test.ts.
 */
import type { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { applyFix, planFixes, type FixChecker, type FixLinter } from "../../cli/fix.js";
import type { Overlay, TypeError } from "../../cli/typecheck.js";

/**
 * A fake rule: every `bad<N>` word is a problem whose fix replaces it with
 * `good<N>`. Messages carry real ESLint fix objects (range and text).
 */
function lintText(text: string): Linter.LintMessage[] {
  return [...text.matchAll(/bad(\d+)/g)].map((m) => {
    const before = text.slice(0, m.index);
    return {
      ruleId: "restate/fake",
      severity: 2,
      message: `bad${m[1]}`,
      line: before.split("\n").length,
      column: m.index! - before.lastIndexOf("\n"),
      fix: { range: [m.index!, m.index! + m[0].length] as [number, number], text: `good${m[1]}` },
    };
  });
}

const linter: FixLinter = {
  async lint(_file, text) {
    return lintText(text);
  },
  async fixAll(_file, text) {
    const output = text.replace(/bad(\d+)/g, "good$1");
    return { output, messages: lintText(output) };
  },
};

/** A type checker under which the words in `breaking` are type errors; counts its calls. */
function checker(...breaking: string[]): FixChecker & { calls: number } {
  return {
    calls: 0,
    newErrors(overlay: Overlay): TypeError[] {
      this.calls++;
      return [...overlay].flatMap(([file, text]) =>
        breaking.filter((word) => text.includes(word)).map((word) => ({ file, line: 1, column: 1, code: 2322, message: `${word} does not type-check` })),
      );
    },
  };
}

const input = (file: string, text: string) => ({ file, text, messages: lintText(text) });

describe("planFixes", () => {
  it("applies every file's fixes with one type-check when nothing breaks", async () => {
    const check = checker();
    const plans = await planFixes([input("/p/a.ts", "bad1 bad2\n"), input("/p/b.ts", "ok\n"), input("/p/c.ts", "bad3\n")], linter, check);
    expect(plans.map((p) => p.output)).toEqual(["good1 good2\n", "ok\n", "good3\n"]);
    expect(plans.map((p) => p.applied.length)).toEqual([2, 0, 1]);
    expect(plans.flatMap((p) => p.refused)).toEqual([]);
    expect(check.calls).toBe(1);
  });

  it("keeps the fixes that type-check and refuses the one that does not, reporting its error and final position", async () => {
    // good2 is a type error: bad2 stays, bad1 and bad3 are fixed; c.ts's fixes are fine as a whole.
    const check = checker("good2");
    const plans = await planFixes([input("/p/a.ts", "bad1\nx bad2\nbad3\n"), input("/p/c.ts", "bad4\n")], linter, check);
    const [a, c] = plans;
    expect(a.output).toBe("good1\nx bad2\ngood3\n");
    expect(a.applied.map((f) => f.message)).toEqual(["bad1", "bad3"]);
    expect(a.refused).toEqual([
      { ruleId: "restate/fake", message: "bad2", line: 2, column: 3, errors: [{ file: "/p/a.ts", line: 1, column: 1, code: 2322, message: "good2 does not type-check" }] },
    ]);
    expect(a.remaining.map((m) => m.message)).toEqual(["bad2"]);
    expect(c.output).toBe("good4\n");
    expect(c.refused).toEqual([]);
  });

  it("refuses every fix of a file when each one breaks, and leaves the file as it was", async () => {
    const plans = await planFixes([input("/p/a.ts", "bad1 bad2\n")], linter, checker("good1", "good2"));
    expect(plans[0].output).toBe("bad1 bad2\n");
    expect(plans[0].applied).toEqual([]);
    expect(plans[0].refused.map((r) => r.message)).toEqual(["bad1", "bad2"]);
    expect(plans[0].remaining.map((m) => m.message)).toEqual(["bad1", "bad2"]);
  });

  it("tracks a refused fix's position as fixes before it change the text's length", async () => {
    // bad10 → good10 adds a character before bad2: the refused bad2 must still be recognised.
    const plans = await planFixes([input("/p/a.ts", "bad10 bad2 bad30\n")], linter, checker("good2"));
    expect(plans[0].output).toBe("good10 bad2 good30\n");
    expect(plans[0].refused.map((r) => [r.message, r.line, r.column])).toEqual([["bad2", 1, 8]]);
  });

  it("judges a file's fixes together with the files already accepted", async () => {
    // A fix in b.ts breaks only in combination with a.ts's fixed contents.
    const combined: FixChecker = {
      newErrors(overlay) {
        const broken = overlay.get("/p/a.ts")?.includes("good1") && overlay.get("/p/b.ts")?.includes("good2");
        return broken ? [{ file: "/p/b.ts", line: 1, column: 1, code: 2345, message: "conflicts with a.ts" }] : [];
      },
    };
    const plans = await planFixes([input("/p/a.ts", "bad1\n"), input("/p/b.ts", "bad2 bad3\n")], linter, combined);
    expect(plans.map((p) => p.output)).toEqual(["good1\n", "bad2 good3\n"]);
    expect(plans[1].refused.map((r) => r.errors[0].message)).toEqual(["conflicts with a.ts"]);
  });
});

describe("applyFix", () => {
  it("replaces the fix's range; ESLint's ranges do not count a leading BOM, which stays", () => {
    expect(applyFix("let a = 1;", { range: [4, 5], text: "b" })).toBe("let b = 1;");
    expect(applyFix("\uFEFFlet a = 1;", { range: [4, 5], text: "b" })).toBe("\uFEFFlet b = 1;");
  });
});
