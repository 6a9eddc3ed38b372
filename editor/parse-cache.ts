/**
 * One ESTree conversion per `SourceFile`, for the editor plugin's lints.
 *
 * tsserver builds a new `Program` after every edit, but TypeScript hands the
 * next program the same `SourceFile` object for every file the edit did not
 * touch. The plugin lints each open file again in each program (types may have
 * changed), and most of a lint is typescript-eslint's work: converting the
 * TypeScript tree to ESTree with tokens and comments, then analysing scopes
 * (see docs/benchmark.md), and ESLint's traversal of that tree. All depend
 * only on the file's text and the compiler options, so they are kept per
 * `SourceFile` and handed to ESLint again (`sourceCodeFor`, or this parser
 * before ESLint has traversed the tree once); only the parser services (the
 * program and its checker) are new. ESLint still builds a new `SourceCode`,
 * applies the configuration and directives and runs every rule, so the
 * answers are the ones a fresh parse gives (tests/editor/parse-cache.test.ts).
 *
 * Hand-written rather than a library option: typescript-eslint caches
 * programs, never conversions (every `parseForESLint` converts again), and
 * ESLint has no cache of parse results.
 */
import * as tsParser from "@typescript-eslint/parser";
import type { ParserServicesWithTypeInformation } from "@typescript-eslint/utils";
import { SourceCode, type Linter } from "eslint";
import type ts from "typescript";

type ParseResult = ReturnType<typeof tsParser.parseForESLint>;
type NodeMaps = Pick<ParserServicesWithTypeInformation, "esTreeNodeToTSNodeMap" | "tsNodeToESTreeNodeMap">;

interface Conversion {
  /** The text ESLint parsed (the `SourceFile`'s text without a byte-order mark, a shebang made a comment). */
  readonly code: string;
  /** The options that shape the tree and the scopes: the program's compiler options (lib, JSX factory) and ESLint's parser options. */
  readonly compilerOptions: ts.CompilerOptions;
  readonly parserOptionsKey: string;
  readonly ast: ParseResult["ast"];
  readonly scopeManager: ParseResult["scopeManager"];
  readonly visitorKeys: ParseResult["visitorKeys"];
  /** Only the node maps: the services of the program that converted the file would keep that program alive. */
  readonly maps: NodeMaps;
  /**
   * ESLint's traversal steps over this tree (`rememberSourceCode`), and its SourceCode's text and byte-order mark.
   * Not the `SourceCode` itself: its parser services would keep their program alive.
   */
  traversal?: { readonly steps: ReturnType<SourceCode["traverse"]>; readonly text: string; readonly hasBOM: boolean };
}

const conversions = new WeakMap<ts.SourceFile, Conversion>();

/** How many lints converted their file and how many reused a conversion (tests and the benchmark read these). */
export const parseStats = { converted: 0, reused: 0 };

/** ESLint's parser options without the program: what else could make two conversions of one text differ. */
function parserOptionsKey(options: Record<string, unknown>): string {
  const { programs: _programs, ...rest } = options;
  return JSON.stringify(rest);
}

/**
 * The parser services typescript-eslint gives for `program` (its
 * `createParserServices`, which the parser package does not export: the same
 * fields, bound to this program's checker).
 */
function servicesFor(program: ts.Program, maps: NodeMaps): ParserServicesWithTypeInformation {
  const checker = program.getTypeChecker();
  const compilerOptions = program.getCompilerOptions();
  // Loosely typed: each checker method takes the TypeScript node kind its ESTree node maps to.
  const toTs = (node: unknown): never => maps.esTreeNodeToTSNodeMap.get(node as never) as never;
  return {
    program,
    emitDecoratorMetadata: compilerOptions.emitDecoratorMetadata ?? false,
    experimentalDecorators: compilerOptions.experimentalDecorators ?? false,
    isolatedDeclarations: compilerOptions.isolatedDeclarations ?? false,
    esTreeNodeToTSNodeMap: maps.esTreeNodeToTSNodeMap,
    tsNodeToESTreeNodeMap: maps.tsNodeToESTreeNodeMap,
    getContextualType: (node) => checker.getContextualType(toTs(node)),
    getResolvedSignature: (node) => checker.getResolvedSignature(toTs(node)),
    getSymbolAtLocation: (node) => checker.getSymbolAtLocation(toTs(node)),
    getTypeAtLocation: (node) => checker.getTypeAtLocation(toTs(node)),
    getTypeFromTypeNode: (node) => checker.getTypeFromTypeNode(toTs(node)),
    getTypeOfSymbolAtLocation: (symbol, node) => checker.getTypeOfSymbolAtLocation(symbol, toTs(node)),
  } as ParserServicesWithTypeInformation;
}

/**
 * typescript-eslint's parser for linting `sourceFile` of `program`
 * (`parserOptions.programs: [program]`): it converts the file the first time,
 * and afterwards returns that conversion with this program's services while
 * the `SourceFile`, its text and the options are the same.
 */
export function parserFor(sourceFile: ts.SourceFile, program: ts.Program): Linter.Parser {
  return {
    meta: { name: "restate-guard/editor-parser" },
    parseForESLint(code: string, options: Record<string, unknown> = {}) {
      const compilerOptions = program.getCompilerOptions();
      const key = parserOptionsKey(options);
      const kept = conversions.get(sourceFile);
      if (kept && kept.code === code && kept.compilerOptions === compilerOptions && kept.parserOptionsKey === key) {
        parseStats.reused++;
        return { ast: kept.ast, scopeManager: kept.scopeManager, visitorKeys: kept.visitorKeys, services: servicesFor(program, kept.maps) };
      }
      const result = tsParser.parseForESLint(code, options as never);
      parseStats.converted++;
      const services = result.services as ParserServicesWithTypeInformation;
      // Kept only when it is a conversion of this very SourceFile in this program (nodes the checker knows).
      if (services.program === program && services.esTreeNodeToTSNodeMap?.get(result.ast as never) === sourceFile) {
        conversions.set(sourceFile, {
          code,
          compilerOptions,
          parserOptionsKey: key,
          ast: result.ast,
          scopeManager: result.scopeManager,
          visitorKeys: result.visitorKeys,
          maps: { esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap, tsNodeToESTreeNodeMap: services.tsNodeToESTreeNodeMap },
        });
      }
      return result;
    },
  } as Linter.Parser;
}

/**
 * Keeps the `SourceCode` ESLint built when it parsed `sourceFile` through
 * `parserFor` (the `Linter`'s `getSourceCode()` after the lint): later lints
 * of the same conversion reuse its traversal (`sourceCodeFor`).
 */
export function rememberSourceCode(sourceFile: ts.SourceFile, sourceCode: SourceCode | null | undefined): void {
  const kept = conversions.get(sourceFile);
  // After the lint, `traverse()` returns the steps ESLint computed for it (cached per SourceCode).
  if (kept && sourceCode && !kept.traversal && (sourceCode.ast as unknown) === kept.ast) kept.traversal = { steps: sourceCode.traverse(), text: sourceCode.text, hasBOM: sourceCode.hasBOM };
}

/**
 * A `SourceCode` that takes its traversal steps from another on the same
 * tree. ESLint computes the steps (every node entered and left, with code
 * path analysis: a sixth of a lint with every rule off) from the tree alone
 * and caches them per `SourceCode`; `traverse()` is the method the `Linter`
 * asks for them (the language API's `SourceCode#traverse`). Everything else —
 * tokens, comments, lines, scopes, directives, and the rules' own caches keyed
 * by `SourceCode` — is new per lint.
 */
class KeptTraversalSourceCode extends SourceCode {
  #steps: ReturnType<SourceCode["traverse"]>;
  constructor(config: ConstructorParameters<typeof SourceCode>[0] & object, steps: ReturnType<SourceCode["traverse"]>) {
    super(config);
    this.#steps = steps;
  }
  override traverse(): ReturnType<SourceCode["traverse"]> {
    return this.#steps;
  }
}

/**
 * The `SourceCode` to lint `sourceFile` of `program` with, when its
 * conversion is kept and ESLint has already built a `SourceCode` on it (for
 * `Linter.verify`, which then neither parses nor traverses again): the same
 * text, tree, scopes and visitor keys, with this program's parser services.
 * Undefined otherwise (the text is linted, through `parserFor`).
 */
export function sourceCodeFor(sourceFile: ts.SourceFile, program: ts.Program): SourceCode | undefined {
  const kept = conversions.get(sourceFile);
  const traversal = kept?.traversal;
  // The parser options ESLint passed are the plugin's constant ones (its flat config's, with the program); the
  // compiler options (lib, JSX factory: the scopes) must be the ones the file was converted with.
  if (!kept || !traversal || kept.compilerOptions !== program.getCompilerOptions()) return undefined;
  parseStats.reused++;
  return new KeptTraversalSourceCode(
    {
      text: traversal.text, // without the byte-order mark, with a shebang (ESLint parsed it as a comment)
      hasBOM: traversal.hasBOM,
      ast: kept.ast as never,
      parserServices: servicesFor(program, kept.maps) as never,
      scopeManager: kept.scopeManager as never,
      visitorKeys: kept.visitorKeys as never,
    } as never,
    traversal.steps,
  );
}
