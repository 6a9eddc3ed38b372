/**
 * Names as the runtime sees them: whether a name is the real global (not a
 * local, parameter or import that shadows it), and what API an expression
 * denotes — `Date.now`, `globalThis.console.log`, `timers.setTimeout`, an
 * aliased `import { setTimeout as wait }`, and values held in never-reassigned
 * locals: `const { now } = Date; now()`, `const M = Math; M.random()`,
 * `const { randomUUID } = crypto` (imported or global). This is the one place
 * rules and core modules ask "what does this refer to".
 *
 * Everything is answered by the scope manager and the ImportIndex, never by
 * the identifier the user picked: a global reference resolves to no variable
 * at all, or to an implicit one (a lib or configured global, which has no
 * definition in the file). Aliases are followed the way typescript-eslint's
 * `ASTUtils.ReferenceTracker` follows them (variable declarators, object
 * patterns, the global object under `globalThis`, `global`, `self`,
 * `window`), but from the use back to the definition, and only through
 * variables that are never reassigned (tests/core/resolve.test.ts checks the
 * two agree).
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { constantBinding, unwrap } from "./ast.js";
import { memberName, type ImportedBinding, type ImportIndex } from "./imports.js";

/** Names through which the global object itself is reached: `globalThis.setTimeout` (ReferenceTracker's list). */
export const GLOBAL_OBJECT_NAMES: ReadonlySet<string> = new Set(["globalThis", "global", "self", "window"]);

/** Whether an identifier (or a type name) refers to the real global of its name: nothing in the file declares it. */
export function isGlobalReference(sourceCode: TSESLint.SourceCode, identifier: TSESTree.Identifier): boolean {
  return isGlobalVariable(ASTUtils.findVariable(sourceCode.getScope(identifier), identifier));
}

/** Whether the variable a name resolved to (null: none) is a global: unresolved, or implicit (lib or configured) without a definition here. */
export function isGlobalVariable(variable: TSESLint.Scope.Variable | null): boolean {
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
  /** The identifier the expression starts with (an alias's own name when reached through one). */
  readonly root: TSESTree.Identifier;
  /** The import the path goes through, for a module export (also when reached through an alias). */
  readonly binding: ImportedBinding | null;
  /** Whether the written expression starts at a local alias (`now` in `const { now } = Date; now()`). */
  readonly aliased: boolean;
  /** How many members of the written expression denote the global object (`globalThis.` → 1); 0 when aliased. */
  readonly globalObjectDepth: number;
}

/** Aliases of aliases are followed this deep. */
const MAX_ALIAS_DEPTH = 8;

/**
 * Resolves an identifier or member chain to a global path or a module export,
 * through never-reassigned aliases. Returns null for anything else local
 * (shadowed names, parameters, reassigned variables, values computed by calls)
 * and for the global object on its own.
 */
export function resolveApi(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex | null,
  node: TSESTree.Node,
): ApiReference | null {
  const chain = memberChain(node);
  if (!chain) return null;
  const base = resolveRoot(sourceCode, imports, chain.root, 0);
  if (!base) return null;
  const aliased = base.aliased;
  if (base.module !== null) {
    return { module: base.module, path: [...base.path, ...chain.path], root: chain.root, binding: base.binding, aliased, globalObjectDepth: 0 };
  }
  let path = [...base.path, ...chain.path];
  let depth = 0;
  while (path.length > 0 && GLOBAL_OBJECT_NAMES.has(path[0])) {
    path = path.slice(1);
    depth++;
  }
  if (path.length === 0) return null;
  return { module: null, path, root: chain.root, binding: null, aliased, globalObjectDepth: aliased ? 0 : depth };
}

interface RootReference {
  readonly module: string | null;
  /** For a global, the path from the global scope, global object names included. */
  readonly path: readonly string[];
  readonly binding: ImportedBinding | null;
  readonly aliased: boolean;
}

/** What the root identifier of a chain denotes: an import, a global, or an alias of either. */
function resolveRoot(sourceCode: TSESLint.SourceCode, imports: ImportIndex | null, root: TSESTree.Identifier, depth: number): RootReference | null {
  const binding = imports?.bindingOf(root);
  if (binding) return { module: binding.module, path: binding.imported === null ? [] : [binding.imported], binding, aliased: depth > 0 };
  const variable = ASTUtils.findVariable(sourceCode.getScope(root), root);
  if (isGlobalVariable(variable)) return { module: null, path: [root.name], binding: null, aliased: depth > 0 };
  if (depth >= MAX_ALIAS_DEPTH) return null;
  // `const M = Math`, `const { now } = Date`, `const { randomUUID } = globalThis.crypto`.
  const alias = constantBinding(variable);
  const chain = alias && memberChain(alias.init);
  if (!chain) return null;
  const base = resolveRoot(sourceCode, imports, chain.root, depth + 1);
  return base && { ...base, path: [...base.path, ...chain.path, ...alias.path], aliased: true };
}

/**
 * The node of `expression` that denotes `path[0]` of a global reference:
 * `console` in `console.log`, `globalThis.console` in `globalThis.console.log`.
 * Null when the expression is not a plain chain or starts at an alias.
 */
export function globalHeadNode(expression: TSESTree.Node, reference: ApiReference): TSESTree.Node | null {
  if (reference.aliased) return null;
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

/**
 * Array (and iterator-helper) methods that call their callback once per
 * element, in order, besides `forEach`: what a callback returns is only
 * seen through their result.
 */
export const ARRAY_CALLBACK_METHODS: ReadonlySet<string> = new Set([
  "map",
  "flatMap",
  "reduce",
  "reduceRight",
  "filter",
  "some",
  "every",
  "find",
  "findIndex",
  "findLast",
  "findLastIndex",
]);
