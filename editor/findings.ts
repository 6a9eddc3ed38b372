/**
 * What the TypeScript language-service plugin shows, computed from ESLint's
 * own result: one `Linter.verify` of the file with the rules of
 * `eslint-plugin.ts`, its messages turned into offsets, autofixes and
 * suggestions. Nothing here knows a rule; nothing here imports `typescript`
 * (the plugin passes in what it needs from the instance tsserver handed it).
 */
import { Linter, type SourceCode } from "eslint";
import plugin, { PLUGIN_NAMESPACE } from "../eslint-plugin.js";
import { relatedLocations, type RelatedLocation } from "../core/related.js";

/**
 * Diagnostic codes, stable across releases: a rule keeps its code for ever and
 * a new rule takes the next free one, so suppressions and editor settings that
 * name a code keep working. Append only; never reorder or reuse.
 */
export const FIRST_RULE_CODE = 97000;

const CODE_ORDER = [
  "compensation-before-action",
  "no-blocking-in-exclusive-handler",
  "no-context-in-run",
  "no-ingress-client-in-handler",
  "no-map-iteration-with-context-calls",
  "no-nondeterministic-calls",
  "no-native-promise-combinators",
  "no-console-in-handler",
  "no-native-timers",
  "no-floating-restate-promise",
  "no-self-deadlock",
  "no-side-effects-outside-run",
  "no-outer-mutation-in-run",
  "shared-handler-registration",
  "serializable-journal-values",
  "no-module-state-in-handler",
  "no-idempotency-key-in-handler",
] as const;

const CODES = new Map<string, number>(
  CODE_ORDER.filter((id) => id in plugin.rules).map((id) => [`${PLUGIN_NAMESPACE}/${id}`, FIRST_RULE_CODE + CODE_ORDER.indexOf(id)]),
);
const IDS_BY_CODE = new Map([...CODES].map(([id, code]) => [code, id]));

/** Our rule ids, `restate/<id>`, in the order of their codes. */
export const RULE_IDS: readonly string[] = [...CODES.keys()];

/** Rules of the plugin that have no code yet (a test keeps this empty). */
export const RULES_WITHOUT_CODE: readonly string[] = Object.keys(plugin.rules).filter(
  (id) => !(CODE_ORDER as readonly string[]).includes(id),
);

/** The diagnostic code of a rule (`restate/<id>`). */
export function ruleCode(ruleId: string): number | undefined {
  return CODES.get(ruleId);
}

/** The rule id (`restate/<id>`) of one of our diagnostic codes. */
export function ruleIdOfCode(code: number): string | undefined {
  return IDS_BY_CODE.get(code);
}

/** A replacement of `[start, end)` in the file's text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One problem ESLint reported with one of our rules, positioned by offsets into the file's text. */
export interface Finding {
  /** `restate/<id>`. */
  readonly ruleId: string;
  /** ESLint's severity: 1 warning, 2 error. */
  readonly severity: 1 | 2;
  /** ESLint's message, unchanged. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** ESLint's autofix (`message.fix`). */
  readonly fix?: TextEdit;
  /** ESLint's suggestions (`message.suggestions`), with their descriptions. */
  readonly suggestions: readonly { readonly description: string; readonly edit: TextEdit }[];
  /** Where the cause is when it is elsewhere (the sink a helper call reaches). */
  readonly related: readonly RelatedLocation[];
}

export interface FileLint {
  readonly findings: readonly Finding[];
  /** Fatal messages (parsing errors): the file could not be linted. */
  readonly fatal: readonly string[];
  /** The `SourceCode` ESLint linted (none when the file did not parse). */
  readonly sourceCode?: SourceCode;
}

/** Converts ESLint's 1-based line and column to an offset in the text ESLint was given. */
export type PositionOf = (line: number, column: number) => number;

const LINTERS = new Map<string, Linter>();

/**
 * A `Linter` whose base path is the root of the file system the file is on:
 * flat config matches `files` patterns relative to the base path, and a
 * project's files can live anywhere (a tsconfig may include `../shared`).
 */
function linterFor(root: string): Linter {
  let linter = LINTERS.get(root);
  if (!linter) {
    linter = new Linter({ cwd: root });
    LINTERS.set(root, linter);
  }
  return linter;
}

/** The root of an absolute path: `/`, or `c:/` on Windows (tsserver's file names use forward slashes). */
function rootOf(fileName: string): string {
  const drive = /^[A-Za-z]:[\\/]/.exec(fileName);
  return drive ? drive[0] : "/";
}

/**
 * Lints one file's text with ESLint's `Linter` and the given flat config.
 * `text` is the text of the TypeScript `SourceFile` the parser will use; a
 * byte-order mark, which ESLint strips, is accounted for in the offsets.
 * With `sourceCode` (built on that text), ESLint lints it instead of parsing.
 */
export function lintFile(text: string, fileName: string, config: Linter.Config[], positionOf: PositionOf, sourceCode?: SourceCode): FileLint {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const linter = linterFor(rootOf(fileName));
  const messages = linter.verify(sourceCode ?? text, config, fileName);
  const findings: Finding[] = [];
  const fatal: string[] = [];
  const edit = (fix: { range: [number, number]; text: string }): TextEdit => ({
    start: fix.range[0] + bom,
    end: fix.range[1] + bom,
    text: fix.text,
  });
  for (const message of messages) {
    if (message.fatal) {
      fatal.push(`${message.line}:${message.column} ${message.message}`);
      continue;
    }
    // Only our rules: a file's own `/* eslint no-console: "error" */` comment is for the user's ESLint run, not this one.
    if (!message.ruleId || !CODES.has(message.ruleId)) continue;
    const start = positionOf(message.line, message.column);
    const end = message.endLine === undefined ? start : positionOf(message.endLine, message.endColumn ?? message.column);
    findings.push({
      ruleId: message.ruleId,
      severity: message.severity === 2 ? 2 : 1,
      message: message.message,
      start,
      end: Math.max(start, end),
      fix: message.fix ? edit(message.fix) : undefined,
      suggestions: (message.suggestions ?? []).map((suggestion) => ({ description: suggestion.desc, edit: edit(suggestion.fix) })),
      related: relatedLocations(fileName, message.ruleId, message.line, message.column),
    });
  }
  return { findings, fatal, sourceCode: linter.getSourceCode() ?? undefined };
}

/**
 * The comment that disables `ruleId` on the line starting at `lineStart`:
 * a new `// eslint-disable-next-line <rule>` line above it with the same
 * indentation, or, when the line above already is such a comment, the rule
 * added to its list (two stacked directives would not both apply).
 */
export function disableNextLineEdit(text: string, lineStart: number, previousLineStart: number | undefined, ruleId: string, newLine: string): TextEdit {
  if (previousLineStart !== undefined) {
    const previous = text.slice(previousLineStart, lineStart).replace(/\r?\n$|\r$|[\u2028\u2029]$/, "");
    const directive = /^(\s*\/\/\s*eslint-disable-next-line\s+)(.*?)(\s+--\s.*)?$/.exec(previous);
    if (directive && directive[2].trim() !== "") {
      const at = previousLineStart + directive[1].length + directive[2].length;
      return { start: at, end: at, text: `, ${ruleId}` };
    }
  }
  const indentation = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { start: lineStart, end: lineStart, text: `${indentation}// eslint-disable-next-line ${ruleId}${newLine}` };
}
