import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";

export type FunctionNode =
  | TSESTree.ArrowFunctionExpression
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression;

export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionDeclaration
  );
}

/** The innermost function that contains `node` (not `node` itself). */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | null {
  let current = node.parent;
  while (current) {
    if (isFunction(current)) return current;
    current = current.parent;
  }
  return null;
}

/** Strips type-only and no-op wrappers: `x as T`, `x satisfies T`, `x!`, `<T>x`, `a?.b` chains. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** Walks up through the wrappers `unwrap` removes, returning the outermost one. */
export function outermostWrapper(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      current.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    current = current.parent;
  }
  return current;
}

export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

export function propertyKeyName(property: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | null {
  if (!property.computed) {
    if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
    if (property.key.type === AST_NODE_TYPES.Literal) return String(property.key.value);
    return null;
  }
  return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === "string" ? property.key.value : null;
}

/** The variable an identifier refers to, looked up from the identifier's own scope. */
export function variableOf(sourceCode: TSESLint.SourceCode, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null {
  return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
}

/**
 * What a never-reassigned local is initialised with: `const x = init` gives
 * `{ init, path: [] }`; a destructuring gives the property path that leads to
 * the name, so `const { promise } = ctx.awakeable()` gives `path: ["promise"]`
 * and `const { hrtime: { bigint } } = process` gives `["hrtime", "bigint"]`
 * (defaults such as `{ now = f }` are looked through). `let` counts as long as
 * nothing writes to it after its declaration. Null for parameters, imports,
 * function and class declarations, computed or rest patterns and reassigned
 * variables. `init` is unwrapped (`as`, `!`, `satisfies`).
 */
export interface ConstantBinding {
  readonly init: TSESTree.Node;
  readonly path: readonly string[];
  readonly declarator: TSESTree.VariableDeclarator;
}

export function constantBinding(variable: TSESLint.Scope.Variable | null): ConstantBinding | null {
  if (!variable || variable.defs.length !== 1) return null;
  const def = variable.defs[0];
  if (def.type !== "Variable" || !def.node.init) return null;
  const declarator = def.node;
  if (!neverReassigned(variable)) return null;
  const path = patternPath(declarator.id, def.name);
  return path ? { init: unwrap(declarator.init!), path, declarator } : null;
}

/** Whether nothing writes to a variable after its declaration (its initialiser, or a parameter's argument, is its only value). */
export function neverReassigned(variable: TSESLint.Scope.Variable): boolean {
  return !variable.references.some((ref) => ref.isWrite() && !ref.init);
}

/** The property path from the top of a declaration's pattern down to `name`; null when it is not reached by plain keys. */
function patternPath(pattern: TSESTree.Node, name: TSESTree.Node): string[] | null {
  if (pattern === name) return [];
  if (pattern.type === AST_NODE_TYPES.AssignmentPattern) return patternPath(pattern.left, name);
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return null;
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || !contains(property.value, name)) continue;
    const key = propertyKeyName(property);
    const rest = key === null ? null : patternPath(property.value, name);
    return rest && key !== null ? [key, ...rest] : null;
  }
  return null;
}

/** The single definition node of a never-reassigned local (`const x = ...`, `function x() {}`): its unwrapped initialiser or the declaration. */
export function constantDefinition(variable: TSESLint.Scope.Variable | null): TSESTree.Node | null {
  if (variable?.defs.length === 1 && variable.defs[0].type === "FunctionName") return variable.defs[0].node;
  const binding = constantBinding(variable);
  return binding && binding.path.length === 0 ? binding.init : null;
}

/**
 * The class a local name denotes: a `class C {}` declaration (declared once;
 * TypeScript rejects assigning to a class, as to a function declaration), or
 * a never-reassigned local initialised with a class expression
 * (`const C = class {}`). Null for anything else, imports included.
 */
export function classDefinition(variable: TSESLint.Scope.Variable | null): TSESTree.ClassDeclaration | TSESTree.ClassExpression | null {
  if (variable?.defs.length === 1 && variable.defs[0].type === "ClassName") return variable.defs[0].node as TSESTree.ClassDeclaration;
  const definition = constantDefinition(variable);
  return definition?.type === AST_NODE_TYPES.ClassExpression ? definition : null;
}

/** `constantDefinition` of the variable an identifier refers to. */
export function constantValueOf(sourceCode: TSESLint.SourceCode, identifier: TSESTree.Identifier): TSESTree.Node | null {
  return constantDefinition(variableOf(sourceCode, identifier));
}

/** Resolves an identifier to the function it names in this file, if it names one. */
export function resolveLocalFunction(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): FunctionNode | null {
  const target = unwrap(node);
  if (isFunction(target)) return target;
  if (target.type !== AST_NODE_TYPES.Identifier) return null;
  const definition = constantDefinition(variableOf(sourceCode, target));
  return isFunction(definition) ? definition : null;
}

/** Resolves an identifier to the object literal it names in this file, if it names one. */
export function resolveLocalObject(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): TSESTree.ObjectExpression | null {
  const target = unwrap(node);
  if (target.type === AST_NODE_TYPES.ObjectExpression) return target;
  if (target.type !== AST_NODE_TYPES.Identifier) return null;
  const definition = constantDefinition(variableOf(sourceCode, target));
  return definition?.type === AST_NODE_TYPES.ObjectExpression ? definition : null;
}

/** The call whose callee is `node` (allowing `a?.b()`), if any. */
export function callOfCallee(node: TSESTree.Node): TSESTree.CallExpression | null {
  const outer = outermostWrapper(node);
  const parent = outer.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer ? parent : null;
}

/**
 * The call that runs a function where it is written: the call it is handed
 * to as an argument (`items.map((i) => …)`, `new Promise((resolve) => …)`),
 * or its own call (`(() => …)()`); null for a function that is only defined,
 * returned or stored.
 */
export function callRunning(fn: FunctionNode): TSESTree.CallExpression | TSESTree.NewExpression | null {
  const outer = outermostWrapper(fn);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer) return parent;
  if (
    (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
    parent.arguments.includes(outer as TSESTree.CallExpressionArgument)
  ) {
    return parent;
  }
  return null;
}

/**
 * Visits `root` and everything below it, depth-first in source order;
 * `visit` returns false to skip a node's children. The one walk over a
 * sub-tree the rules and core share (ESLint's traversal only serves
 * listeners over the whole file). Children are found generically (every
 * property holding nodes but `parent`), so it needs no visitor keys.
 */
export function walk(root: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | void): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/** A node's child nodes (every property holding nodes but `parent`), in property order. */
export function childNodes(node: TSESTree.Node): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const key in node) {
    if (key === "parent") continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

/** Visits a function's own body: not functions nested in it (their bodies run when they are called). */
export function walkFunctionBody(fn: FunctionNode, visit: (node: TSESTree.Node) => boolean | void): void {
  walk(fn.body, (node) => (node !== fn.body && isFunction(node) ? false : visit(node)));
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
