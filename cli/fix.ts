/**
 * The codemod: which autofixes to apply so that the project still
 * type-checks afterwards.
 *
 * 1. Every file's fixes together, as `eslint --fix` applies them (ESLint's own
 *    fixer, all passes), for every file at once: one type-check in the common
 *    case where nothing breaks.
 * 2. If that breaks type-checking, file by file: a file whose fixes together
 *    keep the project type-checking is accepted as a whole.
 * 3. Otherwise that file's fixes one at a time, in source order, each checked
 *    against everything accepted so far: a fix that adds a TypeScript error is
 *    refused (and reported with the error), the others are kept. After each
 *    accepted fix the file is linted again, so fixes that overlapped it or
 *    only exist after it are found.
 *
 * The linter and the type checker are parameters, so the policy is tested on
 * its own with injected fixes (tests/cli/fix-plan.test.ts).
 */
import type { Linter } from "eslint";
import type { Overlay, TypeError } from "./typecheck.js";

export interface FixLinter {
  /** The problems in `text` linted as `file`, each fixable one with its ESLint fix. */
  lint(file: string, text: string): Promise<Linter.LintMessage[]>;
  /** ESLint's own fixer: every fix of the file applied (`eslint --fix`), and the problems left. */
  fixAll(file: string, text: string): Promise<{ output: string; messages: Linter.LintMessage[] }>;
}

export interface FixChecker {
  /** TypeScript errors that these contents (over the project on disk) add. */
  newErrors(overlay: Overlay): TypeError[];
}

export interface FileInput {
  /** Absolute path, forward slashes. */
  readonly file: string;
  readonly text: string;
  /** The problems found in `text`. */
  readonly messages: readonly Linter.LintMessage[];
}

export interface AppliedFix {
  readonly ruleId: string | null;
  readonly message: string;
}

export interface RefusedFix {
  readonly ruleId: string | null;
  readonly message: string;
  /** Where the problem is in the file as it ends up (1-based). */
  readonly line: number;
  readonly column: number;
  /** What TypeScript reports with the fix applied. */
  readonly errors: readonly TypeError[];
}

export interface FilePlan {
  readonly file: string;
  readonly original: string;
  /** The contents to write; equal to `original` when nothing is applied. */
  readonly output: string;
  readonly applied: readonly AppliedFix[];
  readonly refused: readonly RefusedFix[];
  /** The problems left in `output`. */
  readonly remaining: readonly Linter.LintMessage[];
}

export interface PlanHooks {
  /** Called before each type-check, for progress lines. */
  onCheck?(what: string): void;
}

type Range = readonly [number, number];

export async function planFixes(inputs: readonly FileInput[], linter: FixLinter, checker: FixChecker, hooks: PlanHooks = {}): Promise<FilePlan[]> {
  const plans = new Map<string, FilePlan>();
  const candidates = inputs.filter((input) => input.messages.some((m) => m.fix !== undefined && !m.fatal));
  for (const input of inputs) {
    if (!candidates.includes(input)) plans.set(input.file, unchanged(input, input.messages));
  }

  const together = new Map<string, { output: string; messages: Linter.LintMessage[] }>();
  for (const input of candidates) together.set(input.file, await linter.fixAll(input.file, input.text));
  const changed = candidates.filter((input) => together.get(input.file)!.output !== input.text);
  for (const input of candidates) {
    if (!changed.includes(input)) plans.set(input.file, unchanged(input, together.get(input.file)!.messages));
  }

  const acceptTogether = (input: FileInput) => {
    const { output, messages } = together.get(input.file)!;
    const applied = input.messages.filter((m) => m.fix !== undefined).map(({ ruleId, message }) => ({ ruleId, message }));
    plans.set(input.file, { file: input.file, original: input.text, output, applied, refused: [], remaining: messages });
  };

  if (changed.length > 0) {
    hooks.onCheck?.(`type-checking the fixes of ${changed.length} file${changed.length === 1 ? "" : "s"}`);
    const all = new Map(changed.map((input) => [input.file, together.get(input.file)!.output]));
    if (checker.newErrors(all).length === 0) {
      for (const input of changed) acceptTogether(input);
    } else {
      const accepted = new Map<string, string>();
      for (const input of changed) {
        const output = together.get(input.file)!.output;
        hooks.onCheck?.(`fixes break type-checking; checking ${input.file} on its own`);
        if (checker.newErrors(new Map(accepted).set(input.file, output)).length === 0) {
          accepted.set(input.file, output);
          acceptTogether(input);
          continue;
        }
        const plan = await oneAtATime(input, accepted, linter, checker);
        if (plan.output !== input.text) accepted.set(input.file, plan.output);
        plans.set(input.file, plan);
      }
    }
  }
  return inputs.map((input) => plans.get(input.file)!);
}

function unchanged(input: FileInput, remaining: readonly Linter.LintMessage[]): FilePlan {
  return { file: input.file, original: input.text, output: input.text, applied: [], refused: [], remaining };
}

async function oneAtATime(input: FileInput, accepted: ReadonlyMap<string, string>, linter: FixLinter, checker: FixChecker): Promise<FilePlan> {
  let current = input.text;
  let messages: readonly Linter.LintMessage[] = input.messages;
  const applied: AppliedFix[] = [];
  // Refused fixes, with their range kept up to date as later fixes move the text.
  const refused: { ruleId: string | null; message: string; range: Range | null; errors: TypeError[]; at: { line: number; column: number } }[] = [];
  const isRefused = (m: Linter.LintMessage) =>
    refused.some((r) => r.range !== null && r.ruleId === m.ruleId && r.range[0] === m.fix!.range[0] && r.range[1] === m.fix!.range[1]);

  // Each round applies or refuses one fix, so this bounds the loop even if fixes kept producing fixes.
  for (let round = 0; round < 10 * input.messages.length + 10; round++) {
    const candidate = messages.find((m) => m.fix !== undefined && !m.fatal && !isRefused(m));
    if (!candidate) break;
    const fix = candidate.fix!;
    const next = applyFix(current, fix);
    const errors = next === current ? [] : checker.newErrors(new Map(accepted).set(input.file, next));
    if (errors.length === 0) {
      for (const r of refused) r.range = r.range && shift(r.range, fix.range, fix.text.length);
      applied.push({ ruleId: candidate.ruleId, message: candidate.message });
      current = next;
      messages = await linter.lint(input.file, current);
    } else {
      refused.push({ ruleId: candidate.ruleId, message: candidate.message, range: fix.range, errors, at: { line: candidate.line, column: candidate.column } });
    }
  }
  const remaining = current === input.text ? input.messages : await linter.lint(input.file, current);
  return {
    file: input.file,
    original: input.text,
    output: current,
    applied,
    refused: refused.map(({ ruleId, message, errors, at, range }) => {
      // Where the problem still is in the final text: the remaining problem of that rule at the refused fix.
      const still = range && remaining.find((m) => m.ruleId === ruleId && m.fix && m.fix.range[0] === range[0] && m.fix.range[1] === range[1]);
      return { ruleId, message, errors, line: still ? still.line : at.line, column: still ? still.column : at.column };
    }),
    remaining,
  };
}

/**
 * One ESLint fix applied to the text. ESLint's fixer has no public API for
 * applying a single chosen fix (its `fix` predicate is consulted again on every
 * pass, against re-linted messages), and a fix is by definition a text range
 * and its replacement. ESLint's ranges exclude a leading BOM, which stays.
 */
export function applyFix(text: string, fix: Linter.LintMessage["fix"] & object): string {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = text.slice(bom.length);
  return `${bom}${body.slice(0, fix.range[0])}${fix.text}${body.slice(fix.range[1])}`;
}

/** `range` after `replaced` became `length` characters long; null when the replacement overlapped it. */
function shift(range: Range, replaced: Range, length: number): Range | null {
  if (range[1] <= replaced[0]) return range;
  if (range[0] >= replaced[1]) {
    const delta = length - (replaced[1] - replaced[0]);
    return [range[0] + delta, range[1] + delta];
  }
  return null;
}
