import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { ImportIndex } from "./imports.js";
import { CONTEXT_TYPES, SDK_MODULES, type ContextKind } from "./sdk.js";

/**
 * The Restate context kind a type annotation names, from syntax alone:
 * `restate.ObjectContext<S>`, `ObjectContext` imported under any alias, or a
 * local `type Ctx = ...` alias of one. Unions count when one member is a
 * context (`ctx: Context | undefined`).
 */
export function contextKindOfAnnotation(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  node: TSESTree.TypeNode,
  depth = 0,
): ContextKind | null {
  if (depth > 5) return null;
  switch (node.type) {
    case AST_NODE_TYPES.TSTypeReference: {
      const resolved = imports.resolveTypeName(node.typeName);
      if (resolved) {
        if (!SDK_MODULES.has(resolved.module) || resolved.path.length !== 1) return null;
        return CONTEXT_TYPES.get(resolved.path[0]) ?? null;
      }
      if (node.typeName.type !== AST_NODE_TYPES.Identifier) return null;
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), node.typeName.name);
      const def = variable?.defs.find((d) => d.node.type === AST_NODE_TYPES.TSTypeAliasDeclaration);
      if (def?.node.type !== AST_NODE_TYPES.TSTypeAliasDeclaration) return null;
      return contextKindOfAnnotation(sourceCode, imports, def.node.typeAnnotation, depth + 1);
    }
    case AST_NODE_TYPES.TSUnionType:
    case AST_NODE_TYPES.TSIntersectionType:
      for (const member of node.types) {
        const kind = contextKindOfAnnotation(sourceCode, imports, member, depth + 1);
        if (kind) return kind;
      }
      return null;
    default:
      return null;
  }
}
