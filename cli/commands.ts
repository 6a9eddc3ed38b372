/** `check` and `fix`, once the command line and the project are understood. */
import { readFileSync, writeFileSync } from "node:fs";
import { sep } from "node:path";
import type ts from "typescript";
import { createTwoFilesPatch } from "diff";
import type { Invocation } from "./args.js";
import { planFixes, type FileInput, type FilePlan, type FixLinter } from "./fix.js";
import { createLinting, enabledRules, lintFiles, settingsFrom, type Linting } from "./lint.js";
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE, type Io } from "./main.js";
import { createProgress } from "./progress.js";
import { normalizePath, relativePath, type Project } from "./project.js";
import { collect, formatFindings, formatJson, formatSummary, formatText, summarize, type RunInfo } from "./report.js";
import { formatSarif } from "./sarif.js";
import { formatTypeError, OverlayTypeChecker, type TypeError } from "./typecheck.js";

type Run = Extract<Invocation, { kind: "run" }>;

export async function execute(invocation: Run, io: Io, typescript: typeof ts, project: Project): Promise<number> {
  const settings = settingsFrom(invocation.preset, invocation.rules);
  const linting = createLinting(project, settings, invocation.concurrency);
  const info: RunInfo = { cwd: io.cwd, root: project.root, configPath: project.configPath, settings, typed: linting.typed };
  return invocation.command === "check" ? check(invocation, io, project, linting, info) : fix(invocation, io, typescript, project, linting, info);
}

async function check(invocation: Run, io: Io, project: Project, linting: Linting, info: RunInfo): Promise<number> {
  const progress = createProgress(io.stderr, project.files.length, invocation.progress);
  const started = Date.now();
  const results = await lintFiles(linting, project.files, progress);
  progress.note(`linted ${project.files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const files = collect(results);
  const summary = summarize(files, project.files.length);
  const rules = enabledRules(linting.settings);
  switch (invocation.format) {
    case "json":
      io.stdout.write(formatJson(files, summary, info, rules));
      break;
    case "sarif":
      io.stdout.write(formatSarif(files, info, rules));
      break;
    default:
      io.stdout.write(formatText(files, summary, info));
  }
  return summary.errors > 0 ? EXIT_ERRORS : EXIT_OK;
}

async function fix(invocation: Run, io: Io, typescript: typeof ts, project: Project, linting: Linting, info: RunInfo): Promise<number> {
  const progress = createProgress(io.stderr, project.files.length, invocation.progress);
  const results = await lintFiles(linting, project.files, progress);
  // Files without findings have nothing to fix and nothing to report.
  const inputs: FileInput[] = results.filter((result) => result.messages.length > 0).map((result) => ({
    file: normalizePath(result.filePath),
    text: result.source ?? readFileSync(result.filePath, "utf8"),
    messages: result.messages,
  }));
  const native = (file: string) => file.split("/").join(sep);
  const linter: FixLinter = {
    async lint(file, text) {
      const [result] = await (await linting.eslint(false)).lintText(text, { filePath: native(file) });
      return result.messages;
    },
    async fixAll(file, text) {
      const [result] = await (await linting.eslint(true)).lintText(text, { filePath: native(file) });
      return { output: result.output ?? text, messages: result.messages };
    },
  };
  const checker = new OverlayTypeChecker(typescript, project.parsed);
  const plans = await planFixes(inputs, linter, checker, { onCheck: (what) => progress.note(what) });

  const shown = (file: string) => relativePath(io.cwd, file);
  const changed = plans.filter((p) => p.output !== p.original);
  if (invocation.dryRun) {
    // A unified diff (the `diff` package), paths relative to the current directory: `git apply` or `patch -p1`.
    for (const plan of changed) {
      io.stdout.write(createTwoFilesPatch(`a/${shown(plan.file)}`, `b/${shown(plan.file)}`, plan.original, plan.output, undefined, undefined, { context: 3 }));
    }
  } else {
    for (const plan of changed) {
      try {
        writeFileSync(native(plan.file), plan.output);
      } catch (error) {
        io.stderr.write(`restate-guard: cannot write ${shown(plan.file)}: ${(error as Error).message.split("\n")[0]}\n`);
        return EXIT_USAGE;
      }
    }
  }

  // With --dry-run stdout is the patch alone; the report goes to stderr.
  const out = invocation.dryRun ? io.stderr : io.stdout;
  out.write(fixReport(plans, invocation.dryRun, shown));
  const remaining = collect(plans.map((p) => ({ filePath: native(p.file), messages: [...p.remaining] })));
  const summary = summarize(remaining, project.files.length);
  const findings = formatFindings(remaining, io.cwd);
  if (findings) out.write(`\n${invocation.dryRun ? "Would remain:" : "Remaining:"}\n${findings}`);
  // No "fixable" hint here: what is still fixable was refused above.
  out.write(`\n${formatSummary(summary, info, false)}\n`);
  return summary.errors > 0 ? EXIT_ERRORS : EXIT_OK;
}

function fixReport(plans: readonly FilePlan[], dryRun: boolean, shown: (file: string) => string): string {
  const lines: string[] = [];
  const fixed = plans.filter((p) => p.applied.length > 0);
  const count = fixed.reduce((n, p) => n + p.applied.length, 0);
  const verb = dryRun ? "Would fix" : "Fixed";
  if (count === 0) lines.push(dryRun ? "Nothing would change." : "Nothing to fix.");
  else {
    lines.push(`${verb} ${count} problem${count === 1 ? "" : "s"} in ${fixed.length} file${fixed.length === 1 ? "" : "s"}:`);
    for (const plan of fixed) {
      const byRule = new Map<string, number>();
      for (const a of plan.applied) byRule.set(a.ruleId ?? "?", (byRule.get(a.ruleId ?? "?") ?? 0) + 1);
      lines.push(`  ${shown(plan.file)}: ${[...byRule].map(([rule, n]) => `${rule} ×${n}`).join(", ")}`);
    }
  }
  const refused = plans.flatMap((p) => p.refused.map((r) => ({ plan: p, r })));
  if (refused.length > 0) {
    lines.push(`Refused ${refused.length} fix${refused.length === 1 ? "" : "es"} that would break type-checking (not applied):`);
    for (const { plan, r } of refused) {
      // A fix can span several problems (one that also removes an import): show the error nearest to this one first.
      const distance = (e: TypeError) => (e.file === plan.file ? Math.abs(e.line - r.line) : Number.MAX_SAFE_INTEGER);
      const first = [...r.errors].sort((a, b) => distance(a) - distance(b))[0];
      const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more)` : "";
      lines.push(`  ${shown(plan.file)}:${r.line}:${r.column}  ${r.ruleId ?? ""}: with the fix, ${formatTypeError(first, shown)}${more}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
