/**
 * The fix gate's type check (cli/typecheck.ts): contents overlaid through a
 * compiler host, compared with the project as it is on disk. Errors a change
 * causes in the files that import it count; errors that were already there
 * never do; nothing is read from or written to disk for the overlay.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import { normalizePath } from "../../cli/project.js";
import { OverlayTypeChecker } from "../../cli/typecheck.js";
import { removeTempProjects, tempProjectWith } from "./helpers.js";

let dir: string;
let checker: OverlayTypeChecker;
const file = (name: string) => normalizePath(join(dir, "src", name));

beforeAll(() => {
  dir = tempProjectWith({
    "src/amount.ts": "export const amount: number = 42;\n",
    "src/format.ts": 'import { amount } from "./amount.js";\nexport const shown = amount.toFixed(2);\n',
    "src/report.ts": 'import { shown } from "./format.js";\nexport const line: string = shown;\n',
    // Already broken before any change: never blamed on one.
    "src/legacy.ts": "export const broken: number = 'not a number';\n",
  }, "typecheck");
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  checker = new OverlayTypeChecker(ts, config);
});
afterAll(removeTempProjects);

it("an unchanged project adds no errors, though it has one", () => {
  expect(checker.newErrors(new Map())).toEqual([]);
  expect(checker.newErrors(new Map([[file("legacy.ts"), readFileSync(file("legacy.ts"), "utf8")]]))).toEqual([]);
});

it("reports an error that a change causes in a file importing the changed one", () => {
  const errors = checker.newErrors(new Map([[file("amount.ts"), 'export const amount = "42";\n']]));
  expect(errors).toEqual([
    { file: file("format.ts"), line: 2, column: 29, code: 2551, message: expect.stringContaining("Property 'toFixed' does not exist on type") },
  ]);
  // The overlay was never written.
  expect(readFileSync(file("amount.ts"), "utf8")).toBe("export const amount: number = 42;\n");
});

it("follows importers transitively, and compares errors, not positions", () => {
  // format.ts now exports a number: report.ts, which imports format.ts, breaks.
  const errors = checker.newErrors(new Map([[file("format.ts"), 'import { amount } from "./amount.js";\n\n\nexport const shown = amount;\n']]));
  expect(errors.map((e) => [e.file, e.code])).toEqual([[file("report.ts"), 2322]]);
  // Moving legacy.ts's existing error to another line is no new error.
  expect(checker.newErrors(new Map([[file("legacy.ts"), "\n\nexport const broken: number = 'not a number';\n"]]))).toEqual([]);
  // A second, identical error is.
  const twice = "export const broken: number = 'not a number';\nexport const again: number = 'not a number';\n";
  expect(checker.newErrors(new Map([[file("legacy.ts"), twice]])).map((e) => [e.line, e.code])).toEqual([[2, 2322]]);
});
