/**
 * "Does this fix keep the project type-checking?" A TypeScript Program over
 * the project with fixed file contents overlaid through a compiler host, and
 * each affected file's errors compared with the same file's errors before.
 *
 * Affected: the changed files and every project file that imports them,
 * directly or not (a fix can change what a module exports, e.g. an inferred
 * type). Errors are compared as multisets of (code, message) per file, since a
 * fix moves positions; an error that was already there is never blamed on a fix.
 * Source files that did not change are parsed once and shared by every Program.
 */
import type ts from "typescript";
import { normalizePath } from "./project.js";

export interface TypeError {
  /** Absolute path, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

/** Fixed contents by file (absolute path, forward slashes). */
export type Overlay = ReadonlyMap<string, string>;

export function formatTypeError(error: TypeError, relativeTo: (file: string) => string): string {
  return `${relativeTo(error.file)}:${error.line}:${error.column} TS${error.code}: ${error.message}`;
}

export class OverlayTypeChecker {
  private readonly sourceFiles = new Map<string, ts.SourceFile>();
  private readonly baseHost: ts.CompilerHost;
  private baselineProgram: ts.Program | undefined;
  private importersOf: Map<string, Set<string>> | undefined;
  private readonly baselineErrors = new Map<string, TypeError[]>();
  private readonly rootFiles: readonly string[];

  constructor(
    private readonly typescript: typeof ts,
    private readonly parsed: ts.ParsedCommandLine,
  ) {
    this.baseHost = typescript.createCompilerHost(parsed.options);
    this.rootFiles = parsed.fileNames.map(normalizePath);
  }

  /** Errors that the overlaid contents add to the project, in the files they affect. */
  newErrors(overlay: Overlay): TypeError[] {
    const baseline = this.baseline();
    const program = this.program(overlay, baseline);
    const added: TypeError[] = [];
    const global = (p: ts.Program) => this.errorsOf(p, undefined);
    added.push(...subtract(global(program), global(baseline)));
    for (const file of this.affected(overlay)) {
      const before = this.baselineErrors.get(file) ?? this.errorsOf(baseline, baseline.getSourceFile(file));
      this.baselineErrors.set(file, before);
      added.push(...subtract(this.errorsOf(program, program.getSourceFile(file)), before));
    }
    return added;
  }

  private baseline(): ts.Program {
    this.baselineProgram ??= this.program(new Map(), undefined);
    return this.baselineProgram;
  }

  private program(overlay: Overlay, oldProgram: ts.Program | undefined): ts.Program {
    const { typescript, baseHost, sourceFiles } = this;
    const host: ts.CompilerHost = {
      ...baseHost,
      getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) {
        const text = overlay.get(normalizePath(fileName));
        if (text !== undefined) return typescript.createSourceFile(fileName, text, languageVersionOrOptions);
        const cached = sourceFiles.get(fileName);
        if (cached && !shouldCreateNewSourceFile) return cached;
        const file = baseHost.getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
        if (file) sourceFiles.set(fileName, file);
        return file;
      },
      readFile: (fileName) => overlay.get(normalizePath(fileName)) ?? baseHost.readFile(fileName),
      fileExists: (fileName) => overlay.has(normalizePath(fileName)) || baseHost.fileExists(fileName),
    };
    return typescript.createProgram({
      rootNames: this.parsed.fileNames,
      options: this.parsed.options,
      projectReferences: this.parsed.projectReferences,
      host,
      oldProgram,
    });
  }

  /** Error diagnostics of one file (or the program-wide ones), with positions. */
  private errorsOf(program: ts.Program, file: ts.SourceFile | undefined): TypeError[] {
    const { typescript } = this;
    const diagnostics = file
      ? [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
      : [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    return diagnostics
      .filter((d) => d.category === typescript.DiagnosticCategory.Error)
      .map((d) => {
        const position = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1, character: -1 };
        return {
          file: d.file ? normalizePath(d.file.fileName) : "",
          line: position.line + 1,
          column: position.character + 1,
          code: d.code,
          message: typescript.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " "),
        };
      });
  }

  /** The changed files and every project file that imports one of them, transitively. */
  private affected(overlay: Overlay): string[] {
    const baseline = this.baseline();
    const changed = [...overlay.keys()];
    // A script (no imports or exports) shares the global scope with every file.
    if (changed.some((f) => !this.isModule(baseline.getSourceFile(f)))) return [...this.rootFiles];
    const importers = this.importers();
    const seen = new Set(changed);
    for (const file of seen) for (const importer of importers.get(file) ?? []) seen.add(importer);
    return [...seen];
  }

  private isModule(file: ts.SourceFile | undefined): boolean {
    return !file || this.typescript.isExternalModule(file);
  }

  /** Reverse import graph of the project's own files, from TypeScript's module resolution. */
  private importers(): Map<string, Set<string>> {
    if (this.importersOf) return this.importersOf;
    const { typescript } = this;
    const baseline = this.baseline();
    const options = this.parsed.options;
    const cache = typescript.createModuleResolutionCache(this.baseHost.getCurrentDirectory(), (f) => f, options);
    const importers = new Map<string, Set<string>>();
    for (const file of this.rootFiles) {
      const source = baseline.getSourceFile(file);
      if (!source) continue;
      for (const { fileName: specifier } of typescript.preProcessFile(source.text, true, true).importedFiles) {
        const resolved = typescript.resolveModuleName(specifier, file, options, this.baseHost, cache, undefined, source.impliedNodeFormat)
          .resolvedModule?.resolvedFileName;
        if (!resolved) continue;
        const target = normalizePath(resolved);
        let set = importers.get(target);
        if (!set) importers.set(target, (set = new Set()));
        set.add(file);
      }
    }
    this.importersOf = importers;
    return importers;
  }
}

/** The errors of `after` not in `before`, comparing (code, message) as multisets. */
function subtract(after: readonly TypeError[], before: readonly TypeError[]): TypeError[] {
  const remaining = new Map<string, number>();
  const key = (e: TypeError) => `${e.code}\u0000${e.message}`;
  for (const e of before) remaining.set(key(e), (remaining.get(key(e)) ?? 0) + 1);
  const added: TypeError[] = [];
  for (const e of after) {
    const left = remaining.get(key(e)) ?? 0;
    if (left > 0) remaining.set(key(e), left - 1);
    else added.push(e);
  }
  return added;
}
