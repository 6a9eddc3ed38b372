/**
 * The other source files of the program being linted, as `RestateAnalysis`
 * models, for following calls across files with type information.
 *
 * A file is converted to ESTree (typescript-eslint's own `parseForESLint`,
 * on the program's existing `SourceFile`: nothing is read or parsed again)
 * and its scopes analysed once per `SourceFile` object. TypeScript reuses the
 * `SourceFile` of an unchanged file in the next program (an editor builds a
 * new program after every edit), so only files that changed are converted
 * again. The model itself, which asks the checker, is kept per program.
 */
import { parseForESLint } from "@typescript-eslint/parser";
import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from "@typescript-eslint/utils";
import { SourceCode } from "eslint";
import type * as ts from "typescript";
import { RestateAnalysis } from "./analysis.js";
import { TypeInfo } from "./types.js";

interface Converted {
  readonly ast: TSESTree.Program;
  readonly scopeManager: TSESLint.Scope.ScopeManager;
  readonly visitorKeys: TSESLint.SourceCode.VisitorKeys;
  readonly esTreeNodeToTSNodeMap: ParserServicesWithTypeInformation["esTreeNodeToTSNodeMap"];
  readonly tsNodeToESTreeNodeMap: ParserServicesWithTypeInformation["tsNodeToESTreeNodeMap"];
}

const converted = new WeakMap<ts.SourceFile, Converted | null>();
const analyses = new WeakMap<ts.Program, Map<ts.SourceFile, RestateAnalysis | null>>();

/** How many files have been converted (for tests and the benchmark: a file must not be converted twice). */
export const conversionStats = { files: 0 };

/**
 * The model of `file`, another source file of the program `from` was linted
 * with; null when it cannot be had (no types, not in the program, a
 * declaration file, a conversion error).
 */
export function analysisOfSourceFile(from: RestateAnalysis, file: ts.SourceFile): RestateAnalysis | null {
  const types = from.types;
  if (!types || file.isDeclarationFile) return null;
  const program = types.program;
  if (program.getSourceFile(file.fileName) !== file) return null;
  let perProgram = analyses.get(program);
  if (!perProgram) analyses.set(program, (perProgram = new Map()));
  // The file asking is itself in the program: calls that come back to it use its own model (its own nodes).
  const own = types.sourceFile(from.sourceCode.ast);
  if (!perProgram.has(own)) perProgram.set(own, from);
  if (perProgram.has(file)) return perProgram.get(file)!;
  let analysis: RestateAnalysis | null = null;
  const parts = convert(program, file);
  if (parts) {
    const services = {
      program,
      esTreeNodeToTSNodeMap: parts.esTreeNodeToTSNodeMap,
      tsNodeToESTreeNodeMap: parts.tsNodeToESTreeNodeMap,
      emitDecoratorMetadata: undefined,
      experimentalDecorators: undefined,
      isolatedDeclarations: undefined,
      getSymbolAtLocation: (node: TSESTree.Node) => program.getTypeChecker().getSymbolAtLocation(parts.esTreeNodeToTSNodeMap.get(node)),
      getTypeAtLocation: (node: TSESTree.Node) => program.getTypeChecker().getTypeAtLocation(parts.esTreeNodeToTSNodeMap.get(node)),
    } as unknown as ParserServicesWithTypeInformation;
    try {
      const sourceCode = new SourceCode({
        text: file.text,
        ast: parts.ast as never,
        parserServices: services,
        scopeManager: parts.scopeManager as never,
        visitorKeys: parts.visitorKeys as never,
      }) as unknown as TSESLint.SourceCode;
      analysis = new RestateAnalysis(sourceCode, new TypeInfo(services), [], file.fileName);
    } catch {
      analysis = null;
    }
  }
  perProgram.set(file, analysis);
  return analysis;
}

/** The ESTree node of a TypeScript node of another source file of `from`'s program, without building that file's model. */
export function esNodeInProgramFile(from: RestateAnalysis, file: ts.SourceFile, node: ts.Node): TSESTree.Node | null {
  const types = from.types;
  if (!types || file.isDeclarationFile || types.program.getSourceFile(file.fileName) !== file) return null;
  return convert(types.program, file)?.tsNodeToESTreeNodeMap.get(node as never) ?? null;
}

function convert(program: ts.Program, file: ts.SourceFile): Converted | null {
  if (converted.has(file)) return converted.get(file)!;
  let result: Converted | null = null;
  try {
    const parsed = parseForESLint(file.text, {
      programs: [program],
      filePath: file.fileName,
      range: true,
      loc: true,
      // Summaries read nodes and scopes, never tokens or comments: not collecting them saves a
      // third of the conversion. (SourceCode still wants the arrays.)
      tokens: false,
      comment: false,
      sourceType: "module",
    } as never);
    const services = parsed.services as ParserServicesWithTypeInformation;
    // Only a conversion of this very SourceFile gives nodes the checker knows.
    if (services.program && services.esTreeNodeToTSNodeMap.get(parsed.ast as never) === file) {
      setParents(parsed.ast as unknown as TSESTree.Node, parsed.visitorKeys as TSESLint.SourceCode.VisitorKeys);
      const ast = parsed.ast as unknown as { tokens?: unknown[]; comments?: unknown[] };
      ast.tokens ??= [];
      ast.comments ??= [];
      result = {
        ast: parsed.ast as unknown as TSESTree.Program,
        scopeManager: parsed.scopeManager as unknown as TSESLint.Scope.ScopeManager,
        visitorKeys: parsed.visitorKeys as TSESLint.SourceCode.VisitorKeys,
        esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap,
        tsNodeToESTreeNodeMap: services.tsNodeToESTreeNodeMap,
      };
      conversionStats.files++;
    }
  } catch {
    result = null;
  }
  converted.set(file, result);
  return result;
}

/** The path of the file an analysis models ("" when unknown). */
export function sourceFileName(analysis: RestateAnalysis): string {
  if (analysis.fileName) return analysis.fileName;
  return analysis.types ? analysis.types.sourceFile(analysis.sourceCode.ast).fileName : "";
}

/** ESLint sets `parent` on every node before rules run; a file converted here gets the same. */
function setParents(root: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item && typeof (item as TSESTree.Node).type === "string") {
          (item as { parent: TSESTree.Node }).parent = node;
          stack.push(item as TSESTree.Node);
        }
      }
    }
  }
}
