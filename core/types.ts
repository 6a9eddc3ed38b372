import type { ParserServicesWithTypeInformation, TSESTree } from "@typescript-eslint/utils";
import { tsApiUtils } from "#ts-api-utils";
import type * as ts from "typescript";
import { CONTEXT_TYPES, SDK_PACKAGES, type ContextKind } from "./sdk.js";

/** Where a declaration may come from. */
export type Origin = "sdk" | "clients" | "lib";

/** Declaration files of each package, wherever node_modules puts them. */
const ORIGIN_FILES: Record<Exclude<Origin, "lib">, RegExp> = {
  sdk: /[\\/]@restatedev[\\/]restate-sdk(-core|-cloudflare-workers)?[\\/]/,
  clients: /[\\/]@restatedev[\\/]restate-sdk-clients[\\/]/,
};

/**
 * Package names, for linked packages whose files are not under
 * `node_modules/@restatedev/` (see `linkedPackageOrigin`).
 */
const ORIGIN_PACKAGES: Record<Exclude<Origin, "lib">, readonly string[]> = {
  sdk: SDK_PACKAGES,
  clients: ["@restatedev/restate-sdk-clients"],
};

const RESTATE_PROMISE_TYPES = new Set(["RestatePromise", "InvocationPromise", "DurablePromise", "CombineablePromise"]);
const INGRESS_TYPES = new Set([
  "Ingress",
  "IngressClient",
  "IngressSendClient",
  "IngressWorkflowClient",
  "ScopedIngress",
  "IngressClientFromDescriptors",
  "IngressSendClientFromDescriptors",
]);
const MAP_OR_SET_TYPES = new Set(["Map", "Set", "ReadonlyMap", "ReadonlySet", "MapIterator", "SetIterator"]);

/**
 * Type questions the rules ask, answered from the program that
 * typescript-eslint built. Types from packages are matched by where they are
 * declared, never by their name alone; both the alias a user wrote
 * (`type Cache = Map<…>`) and the type underneath it are looked at. (That is
 * why this does not use typescript-eslint's `typeMatchesSpecifier`: it looks
 * only at the alias symbol when there is one, so `type Ctx = ObjectContext`
 * would never match.)
 */
export class TypeInfo {
  readonly checker: ts.TypeChecker;
  readonly program: ts.Program;
  private readonly fileOrigins = new Map<ts.SourceFile, Origin | null>();

  constructor(private readonly services: ParserServicesWithTypeInformation) {
    this.program = services.program;
    this.checker = services.program.getTypeChecker();
  }

  /**
   * The type of a node; `any` when the checker throws. TypeScript itself can
   * crash on some queries (seen with typescript-eslint's single-run programs,
   * used when `CI=true`, inside module-specifier printing): a rule then falls
   * back to what syntax alone tells, and never throws.
   */
  typeOf(node: TSESTree.Node): ts.Type {
    try {
      return this.services.getTypeAtLocation(node);
    } catch {
      return this.checker.getAnyType();
    }
  }

  /** Runs a checker query, or returns `fallback` when TypeScript throws (see `typeOf`). */
  safely<T>(query: () => T, fallback: T): T {
    try {
      return query();
    } catch {
      return fallback;
    }
  }

  tsNode(node: TSESTree.Node): ts.Node {
    return this.services.esTreeNodeToTSNodeMap.get(node);
  }

  /** The ESTree node of a TypeScript node of this file, if it was converted. */
  esNode(node: ts.Node): TSESTree.Node | undefined {
    return this.services.tsNodeToESTreeNodeMap.get(node as never);
  }

  /** The TypeScript source file this file's ESTree was converted from. */
  sourceFile(ast: TSESTree.Program): ts.SourceFile {
    return this.tsNode(ast) as ts.SourceFile;
  }

  /** Where a symbol is declared: the SDK, the clients package, TypeScript's lib, or elsewhere (null). */
  originOf(symbol: ts.Symbol | undefined): Origin | null {
    for (const declaration of symbol?.getDeclarations() ?? []) {
      const origin = this.fileOrigin(declaration.getSourceFile());
      if (origin) return origin;
    }
    return null;
  }

  /**
   * The name of the first type among `type` (or its alias), its union and
   * intersection parts that is one of `names` declared in `origin`, or null.
   */
  namedType(type: ts.Type, names: ReadonlySet<string>, origin: Origin): string | null {
    // An alias of an intersection (`type RestatePromise<T> = Promise<T> & {…}`)
    // carries its name on the intersection itself, not on any of its parts.
    for (const whole of [type, ...tsApiUtils().unionTypeParts(type)]) {
      const alias = whole.aliasSymbol;
      if (alias && names.has(alias.getName()) && this.originOf(alias) === origin) return alias.getName();
    }
    for (const part of tsApiUtils().unionTypeParts(type)) {
      for (const piece of tsApiUtils().intersectionTypeParts(part)) {
        for (const symbol of [piece.aliasSymbol, piece.getSymbol()]) {
          if (symbol && names.has(symbol.getName()) && this.originOf(symbol) === origin) return symbol.getName();
        }
      }
    }
    return null;
  }

  /** The Restate context kind of a type (`ObjectContext<S>`, an alias of one, a union including one), or null. */
  contextKind(type: ts.Type): ContextKind | null {
    const name = this.safely(() => this.namedType(type, CONTEXT_NAMES, "sdk"), null);
    return name ? CONTEXT_TYPES.get(name)! : null;
  }

  /** The context kind a function's first parameter gets from where the function is passed (e.g. `implement()` handlers). */
  contextualFirstParameterKind(fn: TSESTree.Node): ContextKind | null {
    return this.safely(() => this.contextualKindUnsafe(fn), null);
  }

  private contextualKindUnsafe(fn: TSESTree.Node): ContextKind | null {
    const tsNode = this.tsNode(fn) as ts.Expression;
    const contextual = this.checker.getContextualType(tsNode);
    if (!contextual) return null;
    for (const signature of contextual.getCallSignatures()) {
      const first = signature.getParameters()[0];
      if (!first) continue;
      const kind = this.contextKind(this.checker.getTypeOfSymbolAtLocation(first, tsNode));
      if (kind) return kind;
    }
    return null;
  }

  isRestatePromise(node: TSESTree.Node): boolean {
    return this.safely(() => this.namedType(this.typeOf(node), RESTATE_PROMISE_TYPES, "sdk") !== null, false);
  }

  /** An ingress client, or a client derived from one (`@restatedev/restate-sdk-clients`). */
  isIngress(node: TSESTree.Node): boolean {
    return this.safely(() => this.namedType(this.typeOf(node), INGRESS_TYPES, "clients") !== null, false);
  }

  /** A `Map`, `Set` (or read-only view, or iterator over one). */
  isMapOrSet(node: TSESTree.Node): boolean {
    return this.safely(() => this.namedType(this.typeOf(node), MAP_OR_SET_TYPES, "lib") !== null, false);
  }

  /** Whether the program can see a package at all: when it cannot, no type comes from it. */
  programSees(origin: Exclude<Origin, "lib">): boolean {
    let seen = programCache.get(this.program);
    if (!seen) {
      seen = new Map();
      programCache.set(this.program, seen);
    }
    let result = seen.get(origin);
    if (result === undefined) {
      result = this.program.getSourceFiles().some((file) => ORIGIN_FILES[origin].test(file.fileName));
      seen.set(origin, result);
    }
    return result;
  }

  /** Whether the program can see the Restate SDK at all. */
  programUsesSdk(): boolean {
    return this.programSees("sdk");
  }

  private fileOrigin(file: ts.SourceFile): Origin | null {
    let origin = this.fileOrigins.get(file);
    if (origin === undefined) {
      origin = this.program.isSourceFileDefaultLibrary(file)
        ? "lib"
        : ORIGIN_FILES.sdk.test(file.fileName)
          ? "sdk"
          : ORIGIN_FILES.clients.test(file.fileName)
            ? "clients"
            : this.linkedPackageOrigin(file);
      this.fileOrigins.set(file, origin);
    }
    return origin;
  }

  /**
   * Linked packages (a monorepo, `npm link`) are not under
   * `node_modules/@restatedev/`: use the package name TypeScript recorded for
   * the file when it resolved it (what typescript-eslint's package specifiers read too).
   */
  private linkedPackageOrigin(file: ts.SourceFile): Origin | null {
    const packages = (this.program as ts.Program & { sourceFileToPackageName?: Map<string, string> }).sourceFileToPackageName;
    const name = packages?.get((file as ts.SourceFile & { path: string }).path);
    if (!name) return null;
    for (const origin of ["sdk", "clients"] as const) {
      if (ORIGIN_PACKAGES[origin].some((pkg) => name === pkg || name.startsWith(`${pkg}/`))) return origin;
    }
    return null;
  }
}

const CONTEXT_NAMES: ReadonlySet<string> = new Set(CONTEXT_TYPES.keys());
const programCache = new WeakMap<ts.Program, Map<string, boolean>>();

// ---- reaching Restate, from TypeScript's own tree (no ESTree) ---------------

/** Internal Program API (TypeScript ≥ 5.3, not in the public typings): each resolved module of a file. */
type ProgramWithResolutions = ts.Program & {
  forEachResolvedModule?: (callback: (resolution: ts.ResolvedModuleWithFailedLookupLocations, moduleName: string) => void, file?: ts.SourceFile) => void;
  sourceFileToPackageName?: Map<string, string>;
};

const reachCache = new WeakMap<ts.Program, Map<ts.SourceFile, boolean>>();

/** A declaration file of the SDK or the clients package (also linked into a monorepo). */
function isRestateFile(program: ProgramWithResolutions, file: ts.SourceFile): boolean {
  if (ORIGIN_FILES.sdk.test(file.fileName) || ORIGIN_FILES.clients.test(file.fileName)) return true;
  const name = program.sourceFileToPackageName?.get((file as ts.SourceFile & { path: string }).path);
  return name !== undefined && [...ORIGIN_PACKAGES.sdk, ...ORIGIN_PACKAGES.clients].some((pkg) => name === pkg || name.startsWith(`${pkg}/`));
}

/**
 * Whether `file` can see the Restate SDK or clients package through its imports, followed through the modules the
 * program resolved (project files, re-exports, packages' declaration files). A file that cannot has no Restate
 * context: none of its types can come from those packages. The analysis and the editor plugin skip such a file
 * before any other work. Memoised per program: a file found not to reach them is recorded with every file it
 * imports (their imports were all explored). Without the program's `forEachResolvedModule`, every file reaches.
 */
export function reachesRestate(program: ts.Program, file: ts.SourceFile): boolean {
  const resolutions = program as ProgramWithResolutions;
  const forEachResolvedModule = resolutions.forEachResolvedModule;
  if (typeof forEachResolvedModule !== "function") return true;
  let memo = reachCache.get(program);
  if (!memo) reachCache.set(program, (memo = new Map()));
  const known = memo.get(file);
  if (known !== undefined) return known;
  const seen = new Set<ts.SourceFile>([file]);
  const queue = [file];
  let found = false;
  while (queue.length > 0 && !found) {
    const current = queue.pop()!;
    const answer = memo.get(current);
    if (answer === true || isRestateFile(resolutions, current)) {
      found = true;
      break;
    }
    if (answer === false && current !== file) continue;
    forEachResolvedModule.call(
      program,
      (resolution) => {
        const target = resolution.resolvedModule && program.getSourceFile(resolution.resolvedModule.resolvedFileName);
        if (target && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      },
      current,
    );
  }
  if (found) memo.set(file, true);
  else for (const visited of seen) memo.set(visited, false);
  return found;
}

/**
 * `core/imports.ts` `importsModuleUnder` on TypeScript's own tree, for the editor plugin to decide before any ESTree
 * is built: the same top-level statements (import, export … from, `import x = require`, `const x = require("m")`).
 */
export function sourceFileImportsModuleUnder(typescript: Pick<typeof ts, "isStringLiteral" | "isImportDeclaration" | "isExportDeclaration" | "isImportEqualsDeclaration" | "isExternalModuleReference" | "isVariableStatement" | "isCallExpression" | "isIdentifier">, file: ts.SourceFile, prefix: string): boolean {
  const named = (node: ts.Node | undefined) => node !== undefined && typescript.isStringLiteral(node) && node.text.startsWith(prefix);
  for (const statement of file.statements) {
    if (typescript.isImportDeclaration(statement) || typescript.isExportDeclaration(statement)) {
      if (named(statement.moduleSpecifier)) return true;
    } else if (typescript.isImportEqualsDeclaration(statement)) {
      if (typescript.isExternalModuleReference(statement.moduleReference) && named(statement.moduleReference.expression)) return true;
    } else if (typescript.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (
          init &&
          typescript.isCallExpression(init) &&
          typescript.isIdentifier(init.expression) &&
          init.expression.text === "require" &&
          init.arguments.length === 1 &&
          named(init.arguments[0])
        ) {
          return true;
        }
      }
    }
  }
  return false;
}
