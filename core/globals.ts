/**
 * Built-in globals and the Node.js modules that re-export them: whether a
 * name is the real global (not a local, parameter or import that shadows it),
 * and what API an expression such as `globalThis.console.log`,
 * `timers.setTimeout` or an aliased `import { setTimeout as wait }` denotes.
 *
 * Everything is answered by the scope manager and the ImportIndex, never by
 * the identifier the user picked: a global reference resolves to no variable
 * at all, or to an implicit one (a lib or configured global, which has no
 * definition in the file).
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { unwrap } from "./ast.js";
import { memberName, type ImportIndex } from "./imports.js";

/** Names through which the global object itself is reached: `globalThis.setTimeout`. */
export const GLOBAL_OBJECT_NAMES: ReadonlySet<string> = new Set(["globalThis", "global"]);

/** Whether an identifier refers to the real global of its name (nothing in the file declares it). */
export function isGlobalReference(sourceCode: TSESLint.SourceCode, identifier: TSESTree.Identifier): boolean {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  return !variable || variable.defs.length === 0;
}

/** `a.b.c` (through `as`, `!`, `?.`, string-literal computed keys) as its root identifier and member names. */
export interface MemberChain {
  readonly root: TSESTree.Identifier;
  readonly path: readonly string[];
}

export function memberChain(node: TSESTree.Node): MemberChain | null {
  const path: string[] = [];
  let current = unwrap(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(current);
    if (name === null) return null;
    path.unshift(name);
    current = unwrap(current.object);
  }
  return current.type === AST_NODE_TYPES.Identifier ? { root: current, path } : null;
}

/** Where an API reached by an expression comes from. */
export interface ApiReference {
  /** `null` for a global; otherwise the module (without `node:`) it was imported from. */
  readonly module: string | null;
  /** The path below the global object or the module: `["console", "log"]`, `["setTimeout"]`, `["scheduler", "wait"]`. */
  readonly path: readonly string[];
  /** The identifier the expression starts with. */
  readonly root: TSESTree.Identifier;
  /** How many members of the written expression denote the global object (`globalThis.` → 1). */
  readonly globalObjectDepth: number;
}

/**
 * Resolves an identifier or member chain to a global path or a module export.
 * Returns null for anything local (shadowed names, parameters, locals) and for
 * the global object on its own.
 */
export function resolveApi(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex | null,
  node: TSESTree.Node,
): ApiReference | null {
  const chain = memberChain(node);
  if (!chain) return null;
  const binding = imports?.bindingOf(chain.root);
  if (binding) {
    const path = binding.imported === null ? chain.path : [binding.imported, ...chain.path];
    return { module: binding.module, path, root: chain.root, globalObjectDepth: 0 };
  }
  if (!isGlobalReference(sourceCode, chain.root)) return null;
  let path = [chain.root.name, ...chain.path];
  let depth = 0;
  while (path.length > 1 && GLOBAL_OBJECT_NAMES.has(path[0])) {
    path = path.slice(1);
    depth++;
  }
  if (path.length === 1 && GLOBAL_OBJECT_NAMES.has(path[0])) return null;
  return { module: null, path, root: chain.root, globalObjectDepth: depth };
}

/**
 * The node of `expression` that denotes `path[0]` of a global reference:
 * `console` in `console.log`, `globalThis.console` in `globalThis.console.log`.
 * Null when the expression is not a plain chain.
 */
export function globalHeadNode(expression: TSESTree.Node, reference: ApiReference): TSESTree.Node | null {
  // The chain from the root outwards: root, root.a, root.a.b, ...
  const chain: TSESTree.Node[] = [];
  let current = unwrap(expression);
  for (;;) {
    chain.unshift(current);
    if (current.type !== AST_NODE_TYPES.MemberExpression) break;
    current = unwrap(current.object);
  }
  return chain[reference.globalObjectDepth] ?? null;
}
