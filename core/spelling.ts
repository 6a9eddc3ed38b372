/**
 * How this file writes an export of a module where a fix or a message puts it:
 * `RestatePromise` of the SDK, `handlers`, `TerminalError`, restate-guard's
 * `ordered`. The file's own import style decides: an existing named import
 * (under its alias), `restate.RestatePromise` through a namespace import or
 * `require`, or else — when asked — a specifier added to an existing named
 * value import of the module. Imports that are type-only or shadowed where the
 * name is written are never used, and a name is only added when nothing in the
 * file declares or reads a global of that name.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { ImportedBinding, ImportIndex } from "./imports.js";

export interface Spelling {
  /** The text to write: `RestatePromise`, `P` for `RestatePromise as P`, `restate.RestatePromise`. */
  readonly text: string;
  /** The edit that makes `text` available (a specifier added to an import); null when the file has it already. */
  readonly importFix: ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | null;
}

export interface SpellingOptions {
  /** Other exported names of the same value (`CombineablePromise` for `RestatePromise`). */
  readonly aliases?: readonly string[];
  /** When the file does not name it yet, add it to an existing named value import of one of the modules. */
  readonly addImport?: boolean;
}

/**
 * `name` exported by one of `modules`, written at `at` in this file's import
 * style (see the module comment); null when the file cannot name it that way.
 * `at` may be the Program for "anywhere at module level".
 */
export function exportSpelling(
  imports: ImportIndex | null,
  sourceCode: TSESLint.SourceCode,
  at: TSESTree.Node,
  modules: ReadonlySet<string>,
  name: string,
  options: SpellingOptions = {},
): Spelling | null {
  if (!imports) return null;
  const scope = scopeAt(sourceCode, at);
  const names = new Set([name, ...(options.aliases ?? [])]);
  let namespace: string | null = null;
  let declaration: TSESTree.ImportDeclaration | null = null;
  for (const binding of imports.bindings) {
    if (!modules.has(binding.module) || isTypeOnlyImport(binding) || ASTUtils.findVariable(scope, binding.local) !== binding.variable) continue;
    if (binding.imported !== null && names.has(binding.imported)) return { text: binding.local, importFix: null };
    if (binding.imported === null) namespace ??= `${binding.local}.${name}`;
    else declaration ??= namedImportOf(binding);
  }
  if (namespace) return { text: namespace, importFix: null };
  if (!options.addImport || !declaration || !isFreeName(sourceCode, name)) return null;
  const specifiers = declaration.specifiers.filter((s) => s.type === AST_NODE_TYPES.ImportSpecifier);
  const last = specifiers[specifiers.length - 1];
  return last ? { text: name, importFix: (fixer) => fixer.insertTextAfter(last, `, ${name}`) } : null;
}

/** `import type { X }` or `import { type X }`. */
export function isTypeOnlyImport(binding: ImportedBinding): boolean {
  return binding.variable.defs.some(
    (def) =>
      def.type === "ImportBinding" &&
      ((def.parent.type === AST_NODE_TYPES.ImportDeclaration && def.parent.importKind === "type") ||
        (def.node.type === AST_NODE_TYPES.ImportSpecifier && def.node.importKind === "type")),
  );
}

/** The `import { ... } from` declaration a named import binding comes from (not `require`). */
function namedImportOf(binding: ImportedBinding): TSESTree.ImportDeclaration | null {
  const def = binding.variable.defs[0];
  if (def?.type !== "ImportBinding" || def.node.type !== AST_NODE_TYPES.ImportSpecifier) return null;
  return def.parent.type === AST_NODE_TYPES.ImportDeclaration ? def.parent : null;
}

/** Whether a new module-level import called `name` would clash with nothing: no declaration anywhere, no global read of it. */
function isFreeName(sourceCode: TSESLint.SourceCode, name: string): boolean {
  const scopeManager = sourceCode.scopeManager;
  if (!scopeManager) return false;
  if (scopeManager.scopes.some((scope) => scope.set.has(name))) return false;
  return !(scopeManager.globalScope?.through ?? []).some((reference) => reference.identifier.name === name);
}

/** The scope names are looked up in at `at`; the module scope for the Program. */
function scopeAt(sourceCode: TSESLint.SourceCode, at: TSESTree.Node): TSESLint.Scope.Scope {
  if (at.type === AST_NODE_TYPES.Program) {
    const global = sourceCode.scopeManager?.globalScope;
    const module = global?.childScopes.find((scope) => scope.type === "module");
    if (module ?? global) return (module ?? global)!;
  }
  return sourceCode.getScope(at);
}
