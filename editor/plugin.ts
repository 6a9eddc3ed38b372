/**
 * `restate-guard/ts-plugin`: the TypeScript language-service plugin.
 *
 * It decorates tsserver's language service (a proxy over every method, as in
 * the TypeScript wiki's plugin template) and overrides three methods:
 *
 * - `getSemanticDiagnostics`: TypeScript's diagnostics plus what ESLint's
 *   `Linter` reports for the file with our rules, type-aware through the
 *   language service's own `Program` (typescript-eslint's
 *   `parserOptions.programs`), cached per file per program;
 * - `getCodeFixesAtPosition`: ESLint's autofixes and suggestions, and
 *   "Disable restate/<id> for this line";
 * - `getSupportedCodeFixes`: adds our diagnostic codes (and, for clients that
 *   ask without a file, TypeScript's own registry learns them: see `registerCodes`).
 *
 * Settings come only from the tsconfig plugin entry (JSON, validated by
 * `normalizeSettings`) or tsserver's `configurePlugin` request. Any internal
 * error is written to the tsserver log and the unmodified result returned.
 *
 * Everything called on TypeScript goes through the instance tsserver hands the
 * plugin (`modules.typescript`); `typescript` is imported here for types only.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import type ts from "typescript";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../core/package-info.js";
import { RESTATE_MODULE_PREFIX } from "../core/sdk.js";
import { reachesRestate, sourceFileImportsModuleUnder } from "../core/types.js";
import { flatConfig, normalizeSettings, type EngineSettings } from "../settings/index.js";
import { parserFor, rememberSourceCode, sourceCodeFor } from "./parse-cache.js";
import { disableNextLineEdit, lintFile, ruleCode, ruleIdOfCode, RULE_IDS, type Finding, type TextEdit } from "./findings.js";

type TypeScript = typeof ts;

export { FIRST_RULE_CODE, RULE_IDS, RULES_WITHOUT_CODE, ruleCode } from "./findings.js";

/** `source` of our diagnostics. */
export const DIAGNOSTIC_SOURCE = "restate-guard";

const LOG_PREFIX = `[${PACKAGE_NAME}]`;
const DECORATED = Symbol.for("restate-guard.ts-plugin");
const LINTABLE = /\.(?:ts|tsx|mts|cts)$/i;

/** One file's lint, shared by diagnostics and quick fixes until the program or settings change. */
interface CachedLint {
  readonly sourceFile: ts.SourceFile;
  readonly findings: readonly Finding[];
  readonly diagnostics: readonly ts.Diagnostic[];
}

/** Written to the log once per process: typescript-eslint's `typescript` is not the one tsserver runs. */
let versionChecked = false;

function typescriptEslintTypescriptVersion(): string | undefined {
  // The CommonJS build (the one tsserver loads) has `require`.
  if (typeof require !== "function") return undefined;
  const parser = require.resolve("@typescript-eslint/parser/package.json");
  const estree = require.resolve("@typescript-eslint/typescript-estree/package.json", { paths: [dirname(parser)] });
  const typescript = require.resolve("typescript/package.json", { paths: [dirname(estree)] });
  return (JSON.parse(readFileSync(typescript, "utf8")) as { version: string }).version;
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * The decoration of each project. tsserver enables plugins again when a
 * project's tsconfig.json changes, on the language service it decorated
 * before: the existing decoration then takes the new settings instead of being
 * wrapped a second time (which would report everything twice).
 */
const decorations = new WeakMap<object, ProjectPlugin>();

/** TypeScript instances whose code-fix registry knows our codes. */
const registered = new WeakSet<object>();

/**
 * Makes our diagnostic codes "supported code fixes" for clients that ask
 * tsserver without naming a file. VS Code does (`getSupportedCodeFixes` with no
 * arguments, once), and tsserver then answers from TypeScript's own registry,
 * never asking the language service; VS Code requests quick fixes only for
 * codes in that list. TypeScript has no public API for this, so the codes are
 * registered through its internal `codefix.registerCodeFix`, with no actions:
 * the decorated `getCodeFixesAtPosition` answers for our codes before
 * TypeScript's registry is consulted. Without that internal API the plugin
 * still works, but VS Code shows no quick fixes for its findings.
 */
function registerCodes(typescript: TypeScript, log: (message: string) => void): void {
  if (registered.has(typescript)) return;
  registered.add(typescript);
  const codefix = (typescript as unknown as { codefix?: { registerCodeFix?: (registration: { errorCodes: number[]; getCodeActions: () => undefined }) => void } }).codefix;
  const codes = RULE_IDS.map((id) => ruleCode(id)!);
  if (typeof codefix?.registerCodeFix !== "function") {
    log(`TypeScript ${typescript.version} has no codefix.registerCodeFix: editors that ask for the supported code fixes without a file (VS Code) will not offer restate-guard's quick fixes`);
    return;
  }
  const supported = new Set(typescript.getSupportedCodeFixes());
  const missing = codes.filter((code) => !supported.has(String(code)));
  if (missing.length) codefix.registerCodeFix({ errorCodes: missing, getCodeActions: () => undefined });
}

/** The plugin module factory tsserver calls (through `ts-plugin/index.js`) once per project. */
export function init(modules: { typescript: TypeScript }): ts.server.PluginModule {
  const typescript = modules.typescript;
  const projects = new Set<ProjectPlugin>();
  return {
    create(info) {
      const languageService = info.languageService;
      const log = logger(info);
      try {
        registerCodes(typescript, log);
      } catch (error) {
        log(`could not register the diagnostic codes as fixable: ${describeError(error)}`);
      }
      try {
        const existing = (languageService as unknown as Record<symbol, ProjectPlugin | undefined>)[DECORATED] ?? decorations.get(info.project);
        if (existing) {
          log("the language service is already decorated by restate-guard: updating its settings instead of decorating it again");
          existing.configure(info.config, "tsconfig.json");
          projects.add(existing);
          return languageService;
        }
        const project = new ProjectPlugin(typescript, info, log);
        const decorated = project.decorate();
        if (info.project) decorations.set(info.project, project);
        projects.add(project);
        return decorated;
      } catch (error) {
        log(`could not start; TypeScript runs without restate-guard: ${describeError(error)}`);
        return languageService;
      }
    },
    onConfigurationChanged(config) {
      // tsserver's `configurePlugin`: the new entry replaces the tsconfig one, as tsserver does for new projects.
      for (const project of projects) project.configure(config, "configurePlugin");
    },
  };
}

function logger(info: ts.server.PluginCreateInfo): (message: string) => void {
  return (message) => {
    try {
      info.project.projectService.logger.info(`${LOG_PREFIX} ${message}`);
    } catch {
      // No logger: nothing else to do.
    }
  };
}

class ProjectPlugin {
  private settings!: EngineSettings;
  private cache = new WeakMap<ts.Program, Map<string, CachedLint | "failed">>();

  constructor(
    private readonly ts: TypeScript,
    private readonly info: ts.server.PluginCreateInfo,
    private readonly log: (message: string) => void,
  ) {
    this.configure(info.config, "tsconfig.json");
  }

  configure(raw: unknown, from: string): void {
    const { settings, problems } = normalizeSettings(raw);
    for (const problem of problems) this.log(`invalid setting in ${from} ignored: ${problem}`);
    this.settings = settings;
    this.cache = new WeakMap();
    const overrides = Object.entries(settings.rules).map(([id, severity]) => `${id}: ${severity}`);
    this.log(
      `${PACKAGE_NAME} ${PACKAGE_VERSION} (TypeScript ${this.ts.version}) for ${this.projectName()}: preset ${settings.preset}` +
        (overrides.length ? `, ${overrides.join(", ")}` : ""),
    );
  }

  private projectName(): string {
    try {
      return this.info.project.getProjectName();
    } catch {
      return "this project";
    }
  }

  /** A proxy over every method of the language service, overriding only what the plugin adds to. */
  decorate(): ts.LanguageService {
    const ls = this.info.languageService;
    const proxy = Object.create(null) as ts.LanguageService;
    for (const key of Object.keys(ls) as (keyof ts.LanguageService)[]) {
      const member = ls[key];
      (proxy as unknown as Record<string, unknown>)[key] =
        typeof member === "function" ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(ls, args) : member;
    }
    Object.defineProperty(proxy, DECORATED, { value: this });

    proxy.getSemanticDiagnostics = (fileName) => {
      const original = ls.getSemanticDiagnostics(fileName);
      try {
        const lint = this.lint(fileName);
        return lint && lint.diagnostics.length ? [...original, ...lint.diagnostics] : original;
      } catch (error) {
        this.log(`getSemanticDiagnostics(${fileName}) failed; TypeScript's own diagnostics returned: ${describeError(error)}`);
        return original;
      }
    };

    proxy.getCodeFixesAtPosition = (fileName, start, end, errorCodes, formatOptions, preferences) => {
      const ours = errorCodes.filter((code) => ruleIdOfCode(code) !== undefined);
      const original = ls.getCodeFixesAtPosition(fileName, start, end, ours.length ? errorCodes.filter((code) => !ours.includes(code)) : errorCodes, formatOptions, preferences);
      if (!ours.length) return original;
      try {
        const fixes = this.codeFixes(fileName, start, end, ours, formatOptions);
        return fixes.length ? [...original, ...fixes] : original;
      } catch (error) {
        this.log(`getCodeFixesAtPosition(${fileName}) failed; TypeScript's own fixes returned: ${describeError(error)}`);
        return original;
      }
    };

    proxy.getSupportedCodeFixes = (fileName) => {
      const original = ls.getSupportedCodeFixes(fileName);
      try {
        return [...new Set([...original, ...RULE_IDS.map((id) => String(ruleCode(id)))])];
      } catch (error) {
        this.log(`getSupportedCodeFixes failed: ${describeError(error)}`);
        return original;
      }
    };

    return proxy;
  }

  /** The file's lint for the current program: from the cache, or one `Linter.verify`. Undefined when not linted. */
  private lint(fileName: string): CachedLint | undefined {
    if (!LINTABLE.test(fileName)) return undefined;
    const program = this.info.languageService.getProgram();
    const sourceFile = program?.getSourceFile(fileName);
    if (!program || !sourceFile || sourceFile.isDeclarationFile) return undefined;
    let files = this.cache.get(program);
    if (!files) this.cache.set(program, (files = new Map()));
    const cached = files.get(sourceFile.fileName);
    if (cached === "failed") return undefined;
    if (cached && cached.sourceFile === sourceFile) return cached;

    // A file that neither imports a Restate package nor reaches one through its imports has nothing to find: decided on
    // TypeScript's own tree, before any ESTree conversion or ESLint call (the analysis would find no Restate code there).
    if (!sourceFileImportsModuleUnder(this.ts, sourceFile, RESTATE_MODULE_PREFIX) && !reachesRestate(program, sourceFile)) {
      const nothing: CachedLint = { sourceFile, findings: [], diagnostics: [] };
      files.set(sourceFile.fileName, nothing);
      return nothing;
    }
    this.checkTypescriptVersion();
    try {
      const ts = this.ts;
      // A file whose SourceFile is unchanged since an earlier lint is neither converted nor traversed again (parse-cache.ts).
      const kept = sourceCodeFor(sourceFile, program);
      const { findings, fatal, sourceCode } = lintFile(
        sourceFile.text,
        sourceFile.fileName,
        flatConfig(this.settings, { programs: [program] }, parserFor(sourceFile, program)),
        (line, column) => ts.getPositionOfLineAndCharacter(sourceFile, line - 1, column - 1) + (line === 1 && sourceFile.text.charCodeAt(0) === 0xfeff ? 1 : 0),
        kept,
      );
      if (!kept) rememberSourceCode(sourceFile, sourceCode);
      // A file that does not parse is reported by TypeScript itself; it is linted again once it parses.
      for (const message of fatal) this.log(`${sourceFile.fileName} was not linted: ${message}`);
      const result: CachedLint = { sourceFile, findings, diagnostics: findings.map((finding) => this.diagnostic(sourceFile, finding, program)) };
      files.set(sourceFile.fileName, result);
      return result;
    } catch (error) {
      // Logged once per file per program: the next edit tries again.
      files.set(sourceFile.fileName, "failed");
      throw error;
    }
  }

  private diagnostic(file: ts.SourceFile, finding: Finding, program: ts.Program): ts.Diagnostic {
    const relatedInformation: ts.DiagnosticRelatedInformation[] = [];
    for (const related of finding.related) {
      const target = program.getSourceFile(related.fileName);
      if (!target) continue;
      const at = (position: { line: number; column: number }) => {
        const lines = target.getLineStarts();
        const line = Math.min(Math.max(position.line - 1, 0), lines.length - 1);
        return Math.min(lines[line] + position.column, target.text.length);
      };
      const start = at(related.loc.start);
      relatedInformation.push({
        file: target,
        start,
        length: Math.max(0, at(related.loc.end) - start),
        messageText: related.message,
        category: this.ts.DiagnosticCategory.Message,
        code: ruleCode(finding.ruleId)!,
      });
    }
    return {
      ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
      file,
      start: finding.start,
      length: finding.end - finding.start,
      // ESLint's message with the rule id as ESLint's formatters print it.
      messageText: `${finding.message} (${finding.ruleId})`,
      category: finding.severity === 2 ? this.ts.DiagnosticCategory.Error : this.ts.DiagnosticCategory.Warning,
      code: ruleCode(finding.ruleId)!,
      source: DIAGNOSTIC_SOURCE,
    };
  }

  private codeFixes(fileName: string, start: number, end: number, codes: readonly number[], formatOptions: ts.FormatCodeSettings): ts.CodeFixAction[] {
    const lint = this.lint(fileName);
    if (!lint) return [];
    const { sourceFile } = lint;
    const ruleIds = new Set(codes.map(ruleIdOfCode));
    const change = (description: string, fixName: string, edit: TextEdit): ts.CodeFixAction => ({
      fixName,
      description,
      changes: [{ fileName: sourceFile.fileName, textChanges: [{ span: { start: edit.start, length: edit.end - edit.start }, newText: edit.text }] }],
    });
    const actions: ts.CodeFixAction[] = [];
    const disables = new Set<string>();
    for (const finding of lint.findings) {
      if (!ruleIds.has(finding.ruleId) || finding.start > end || finding.end < start) continue;
      if (finding.fix) actions.push(change(`Fix this ${finding.ruleId} problem`, finding.ruleId, finding.fix));
      for (const suggestion of finding.suggestions) actions.push(change(suggestion.description, finding.ruleId, suggestion.edit));
      const disable = this.disableEdit(sourceFile, finding, formatOptions);
      const key = `${disable?.start} ${finding.ruleId}`;
      if (disable && !disables.has(key)) {
        disables.add(key);
        actions.push(change(`Disable ${finding.ruleId} for this line`, finding.ruleId, disable));
      }
    }
    return actions;
  }

  /** `// eslint-disable-next-line <rule>` above the finding's first line; none where a comment line would become text. */
  private disableEdit(sourceFile: ts.SourceFile, finding: Finding, formatOptions: ts.FormatCodeSettings): TextEdit | undefined {
    const ts = this.ts;
    const { line } = ts.getLineAndCharacterOfPosition(sourceFile, finding.start);
    const lineStart = ts.getPositionOfLineAndCharacter(sourceFile, line, 0);
    if (this.insideTextToken(sourceFile, lineStart)) return undefined;
    const previousLineStart = line > 0 ? ts.getPositionOfLineAndCharacter(sourceFile, line - 1, 0) : undefined;
    const text = sourceFile.text;
    const newLine = /\r\n|\n|\r/.exec(text)?.[0] ?? formatOptions.newLineCharacter ?? "\n";
    return disableNextLineEdit(text, lineStart, previousLineStart, finding.ruleId, newLine);
  }

  /** Whether `position` is inside a template or string literal, or JSX text, where a new line is not code. */
  private insideTextToken(sourceFile: ts.SourceFile, position: number): boolean {
    const ts = this.ts;
    const K = ts.SyntaxKind;
    const literals = new Set([K.NoSubstitutionTemplateLiteral, K.TemplateHead, K.TemplateMiddle, K.TemplateTail, K.StringLiteral, K.JsxText]);
    const jsx = new Set([K.JsxElement, K.JsxFragment, K.JsxOpeningElement, K.JsxSelfClosingElement, K.JsxClosingElement, K.JsxOpeningFragment, K.JsxClosingFragment]);
    let inJsx = false;
    let node: ts.Node = sourceFile;
    for (;;) {
      const child: ts.Node | undefined = ts.forEachChild(node, (c) => (c.pos < position && position < c.end ? c : undefined));
      if (!child) return inJsx;
      if (literals.has(child.kind) && child.getStart(sourceFile) < position) return true;
      if (jsx.has(child.kind)) inJsx = true;
      else if (child.kind === K.JsxExpression) inJsx = false;
      node = child;
    }
  }

  private checkTypescriptVersion(): void {
    if (versionChecked) return;
    versionChecked = true;
    try {
      const theirs = typescriptEslintTypescriptVersion();
      if (theirs && theirs !== this.ts.version) {
        this.log(
          `typescript-eslint uses TypeScript ${theirs} but tsserver runs ${this.ts.version}; ` +
            `findings may differ from ESLint's. Use one TypeScript version in the workspace ("TypeScript: Select TypeScript Version" → "Use Workspace Version" in VS Code).`,
        );
      }
    } catch (error) {
      this.log(`could not find the TypeScript that typescript-eslint uses: ${describeError(error)}`);
    }
  }
}
