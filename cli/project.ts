/**
 * The project a run works on: its tsconfig (found the way `tsc` finds it), the
 * TypeScript files it includes, and the subset the command line asks for.
 * Every problem here is an unreadable project: a one-line `UsageError`.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type ts from "typescript";
import { UsageError } from "./args.js";

export interface Project {
  /** Absolute path of the tsconfig. */
  readonly configPath: string;
  /** The tsconfig's directory: paths in JSON and SARIF output are relative to it. */
  readonly root: string;
  /** The parsed tsconfig (compiler options, every root file). */
  readonly parsed: ts.ParsedCommandLine;
  /** Absolute paths of the files to lint, sorted. */
  readonly files: readonly string[];
}

const LINTED_EXTENSION = /\.(?:ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$|\.d\.[^/\\]+\.ts$/;

/** TypeScript reports file names with forward slashes; so do we, for comparisons. */
export function normalizePath(file: string): string {
  return resolve(file).split(sep).join("/");
}

export function findConfig(typescript: typeof ts, cwd: string, project: string | undefined): string {
  if (project !== undefined) {
    const target = resolve(cwd, project);
    if (!existsSync(target)) throw new UsageError(`--project ${project}: no such file or directory`);
    if (statSync(target).isDirectory()) {
      const inside = resolve(target, "tsconfig.json");
      if (!existsSync(inside)) throw new UsageError(`--project ${project}: no tsconfig.json in that directory`);
      return inside;
    }
    return target;
  }
  const found = typescript.findConfigFile(cwd, typescript.sys.fileExists);
  if (!found) throw new UsageError(`no tsconfig.json in ${cwd} or any parent directory; pass --project <path>`);
  return resolve(found);
}

export function loadProject(typescript: typeof ts, cwd: string, options: { project: string | undefined; paths: readonly string[] }): Project {
  const configPath = findConfig(typescript, cwd, options.project);
  const shown = relative(cwd, configPath) || configPath;
  const oneLine = (d: ts.Diagnostic) => typescript.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " ");
  const read = typescript.readConfigFile(configPath, typescript.sys.readFile);
  if (read.error) throw new UsageError(`cannot read ${shown}: ${oneLine(read.error)}`);
  const root = dirname(configPath);
  const parsed = typescript.parseJsonConfigFileContent(read.config, typescript.sys, root, undefined, configPath);
  // TS18003 "No inputs were found": said below in our own words.
  const errors = parsed.errors.filter((d) => d.category === typescript.DiagnosticCategory.Error && d.code !== 18003);
  if (errors.length > 0) throw new UsageError(`${shown}: ${oneLine(errors[0])}`);

  const projectFiles = parsed.fileNames
    .filter((f) => LINTED_EXTENSION.test(f) && !DECLARATION.test(f) && !/[\\/]node_modules[\\/]/.test(f))
    .map(normalizePath);
  if (projectFiles.length === 0) throw new UsageError(`${shown} includes no TypeScript files to lint`);

  let files = projectFiles;
  if (options.paths.length > 0) {
    const wanted = new Set<string>();
    for (const path of options.paths) {
      const target = normalizePath(resolve(cwd, path));
      if (!existsSync(target)) throw new UsageError(`${path}: no such file or directory`);
      const under = statSync(target).isDirectory()
        ? projectFiles.filter((f) => f.startsWith(target.endsWith("/") ? target : `${target}/`))
        : projectFiles.filter((f) => f === target);
      if (under.length === 0) {
        throw new UsageError(
          statSync(target).isDirectory()
            ? `${path}: no TypeScript files of ${shown} in that directory`
            : `${path} is not a TypeScript file of ${shown} (type information needs the file in the project)`,
        );
      }
      for (const f of under) wanted.add(f);
    }
    files = [...wanted];
  }
  return { configPath, root, parsed, files: [...files].sort() };
}

/** `file` relative to `base`, with forward slashes (absolute when on another drive). */
export function relativePath(base: string, file: string): string {
  const rel = relative(base, file);
  return (isAbsolute(rel) ? rel : rel || ".").split(sep).join("/");
}
