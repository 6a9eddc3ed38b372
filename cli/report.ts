/**
 * The findings of a run, independent of the output format, and the two
 * formats written here: readable text and the documented JSON.
 * (SARIF is in sarif.ts.)
 */
import type { ESLint, Linter } from "eslint";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../core/package-info.js";
import type { EngineSettings } from "../settings/index.js";
import { relativePath } from "./project.js";
import { relatedLocations } from "../core/related.js";

export interface Finding {
  /** `restate/<id>`, or null for a file ESLint could not parse. */
  readonly ruleId: string | null;
  readonly severity: "error" | "warning";
  readonly line: number;
  /** 1-based, in UTF-16 code units (as ESLint reports them). */
  readonly column: number;
  readonly endLine: number | null;
  /** 1-based, exclusive: the column just after the last character. */
  readonly endColumn: number | null;
  readonly message: string;
  /** `restate-guard fix` can fix it (ESLint's autofix). */
  readonly fixable: boolean;
  /** How many editor suggestions ESLint offers for it. */
  readonly suggestions: number;
  /** Where the cause is when it is in another place (the I/O call a helper makes): SARIF's related locations; in JSON, `file` is relative to the root. */
  readonly related?: readonly { readonly file: string; readonly line: number; readonly column: number; readonly endLine: number; readonly endColumn: number; readonly message: string }[];
}

export interface FileFindings {
  /** Absolute path. */
  readonly file: string;
  readonly findings: readonly Finding[];
}

export interface Summary {
  readonly filesLinted: number;
  readonly filesWithProblems: number;
  readonly errors: number;
  readonly warnings: number;
  readonly fixable: number;
}

export interface RunInfo {
  /** The directory the CLI was started in: readable output names files relative to it. */
  readonly cwd: string;
  /** The tsconfig's directory: JSON and SARIF name files relative to it. */
  readonly root: string;
  readonly configPath: string;
  readonly settings: EngineSettings;
  readonly typed: boolean;
}

export function findingOf(message: Linter.LintMessage, filePath?: string): Finding {
  const related = filePath ? relatedLocations(filePath, message.ruleId, message.line, message.column) : [];
  return {
    ...(related.length > 0
      ? {
          related: related.map((r) => ({
            file: r.fileName,
            line: r.loc.start.line,
            column: r.loc.start.column + 1,
            endLine: r.loc.end.line,
            endColumn: r.loc.end.column + 1,
            message: r.message,
          })),
        }
      : {}),
    ruleId: message.ruleId,
    severity: message.severity === 2 ? "error" : "warning",
    line: message.line,
    column: message.column,
    endLine: message.endLine ?? null,
    endColumn: message.endColumn ?? null,
    message: message.message,
    fixable: message.fix !== undefined,
    suggestions: message.suggestions?.length ?? 0,
  };
}

/** Findings per file, files sorted by path and findings by position; files without findings left out. */
export function collect(results: readonly Pick<ESLint.LintResult, "filePath" | "messages">[]): FileFindings[] {
  return results
    .filter((r) => r.messages.length > 0)
    .map((r) => ({
      file: r.filePath,
      findings: r.messages.map((m) => findingOf(m, r.filePath)).sort((a, b) => a.line - b.line || a.column - b.column),
    }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function summarize(files: readonly FileFindings[], filesLinted: number): Summary {
  const all = files.flatMap((f) => f.findings);
  return {
    filesLinted,
    filesWithProblems: files.length,
    errors: all.filter((f) => f.severity === "error").length,
    warnings: all.filter((f) => f.severity === "warning").length,
    fixable: all.filter((f) => f.fixable).length,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One line per finding, `path:line:col  severity  message  rule`, a blank line between files. */
export function formatFindings(files: readonly FileFindings[], cwd: string): string {
  const blocks = files.map(({ file, findings }) => {
    const path = relativePath(cwd, file);
    const locations = findings.map((f) => `${path}:${f.line}:${f.column}`);
    const width = Math.max(...locations.map((l) => l.length));
    return findings
      .map((f, i) => {
        const severity = f.severity === "error" ? "error  " : "warning";
        return `${locations[i].padEnd(width)}  ${severity}  ${f.message.replace(/\s*\n\s*/g, " ")}  ${f.ruleId ?? "(parse error)"}`;
      })
      .join("\n");
  });
  return blocks.length > 0 ? `${blocks.join("\n\n")}\n` : "";
}

/** The one-line summary; `fixHint` adds how many problems `restate-guard fix` could fix. */
export function formatSummary(summary: Summary, info: RunInfo, fixHint = true): string {
  const preset = `preset ${info.settings.preset}${info.typed ? ", with type information" : ""}`;
  if (summary.errors + summary.warnings === 0) return `No problems in ${plural(summary.filesLinted, "file")} (${preset}).`;
  const fixable = fixHint && summary.fixable > 0 ? `; ${summary.fixable} fixable with \`restate-guard fix\`` : "";
  return (
    `${plural(summary.errors + summary.warnings, "problem")} (${plural(summary.errors, "error")}, ${plural(summary.warnings, "warning")}) ` +
    `in ${summary.filesWithProblems} of ${plural(summary.filesLinted, "file")} (${preset})${fixable}.`
  );
}

export function formatText(files: readonly FileFindings[], summary: Summary, info: RunInfo): string {
  const findings = formatFindings(files, info.cwd);
  return `${findings}${findings ? "\n" : ""}${formatSummary(summary, info)}\n`;
}

/** The JSON output, format version 1 (documented in docs/cli.md; fields are only ever added). */
export interface JsonReport {
  readonly formatVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  /** Absolute path of the project root (the tsconfig's directory). */
  readonly root: string;
  /** The tsconfig, relative to the root. */
  readonly tsconfig: string;
  readonly preset: string;
  readonly rules: Readonly<Record<string, "warn" | "error">>;
  readonly typeInformation: boolean;
  readonly files: readonly { readonly path: string; readonly errorCount: number; readonly warningCount: number; readonly messages: readonly Finding[] }[];
  readonly summary: Summary;
}

export function formatJson(files: readonly FileFindings[], summary: Summary, info: RunInfo, rules: ReadonlyMap<string, "warn" | "error">): string {
  const report: JsonReport = {
    formatVersion: 1,
    tool: { name: PACKAGE_NAME, version: PACKAGE_VERSION },
    root: info.root,
    tsconfig: relativePath(info.root, info.configPath),
    preset: info.settings.preset,
    rules: Object.fromEntries(rules),
    typeInformation: info.typed,
    files: files.map(({ file, findings }) => ({
      path: relativePath(info.root, file),
      errorCount: findings.filter((f) => f.severity === "error").length,
      warningCount: findings.filter((f) => f.severity === "warning").length,
      // Related locations name their file relative to the root, as `path` does.
      messages: findings.map((f) => (f.related ? { ...f, related: f.related.map((r) => ({ ...r, file: relativePath(info.root, r.file) })) } : f)),
    })),
    summary,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
