/**
 * Durable waits: where a Restate promise (a sleep, an awakeable's promise)
 * ends up awaited. Used by rules about code that suspends a handler.
 *
 * Everything here is syntactic and follows values only through `const`
 * declarations in this file; the type-aware part recognises an awakeable by
 * the declaration its type comes from (`Context.awakeable`'s return type).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { RestateAnalysis } from "./analysis.js";
import { callOfCallee, enclosingFunction, outermostWrapper, propertyKeyName, unwrap, type FunctionNode } from "./ast.js";
import { isGlobalReference } from "./globals.js";
import { memberName } from "./imports.js";
import { RESTATE_PROMISE_COMBINATORS, SDK_MODULES } from "./sdk.js";
import type { TypeInfo } from "./types.js";

/** `RestatePromise.race(...)` (any alias, also the deprecated `CombineablePromise`) or the global `Promise.race(...)`. */
export function promiseCombinator(
  sourceCode: TSESLint.SourceCode,
  analysis: RestateAnalysis,
  call: TSESTree.CallExpression,
): "restate" | "native" | null {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const name = memberName(callee);
  if (name === null || !RESTATE_PROMISE_COMBINATORS.has(name)) return null;
  const object = unwrap(callee.object);
  const resolved = analysis.imports?.resolve(object);
  if (resolved) {
    return SDK_MODULES.has(resolved.module) &&
      resolved.path.length === 1 &&
      (resolved.path[0] === "RestatePromise" || resolved.path[0] === "CombineablePromise")
      ? "restate"
      : null;
  }
  if (object.type === AST_NODE_TYPES.Identifier && object.name === "Promise") {
    // The built-in: unresolved, or a lib global without a declaration in this file.
    if (isGlobalReference(sourceCode, object)) return "native";
  }
  return null;
}

/** The `const` declarator `node` initialises (through `as`/`!` wrappers), if any. */
function constDeclaratorOf(node: TSESTree.Node): TSESTree.VariableDeclarator | null {
  const outer = outermostWrapper(node);
  const parent = outer.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer) return null;
  const declaration = parent.parent;
  return declaration?.type === AST_NODE_TYPES.VariableDeclaration && declaration.kind === "const" ? parent : null;
}

/** Read references of the variable an identifier pattern declares (never the declaration itself). */
function readsOf(sourceCode: TSESLint.SourceCode, declarator: TSESTree.VariableDeclarator, id: TSESTree.Identifier): TSESTree.Identifier[] {
  const variable = sourceCode.scopeManager?.getDeclaredVariables(declarator).find((v) => v.identifiers.includes(id));
  if (!variable) return [];
  const reads: TSESTree.Identifier[] = [];
  for (const reference of variable.references) {
    if (reference.init || !reference.isRead()) continue;
    reads.push(reference.identifier as TSESTree.Identifier);
  }
  return reads;
}

/** The identifier a `{ promise }` / `{ promise: p }` / `{ promise = x }` pattern binds, if the pattern has one. */
function promiseBinding(pattern: TSESTree.ObjectPattern): TSESTree.Identifier | null {
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || propertyKeyName(property) !== "promise") continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    return value.type === AST_NODE_TYPES.Identifier ? value : null;
  }
  return null;
}

/**
 * The expressions that are the promise of the awakeable `awakeable` (an
 * expression evaluating to `{ id, promise }`): `awakeable.promise`, and through
 * `const` declarations `awk.promise`, `const { promise } = awk`,
 * `const { promise: paid } = ctx.awakeable()`.
 */
export function awakeablePromises(sourceCode: TSESLint.SourceCode, awakeable: TSESTree.Node): TSESTree.Node[] {
  const result: TSESTree.Node[] = [];
  const seen = new Set<TSESTree.Node>();
  const visit = (node: TSESTree.Node) => {
    if (seen.has(node)) return;
    seen.add(node);
    const outer = outermostWrapper(node);
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer && memberName(parent) === "promise") {
      result.push(parent);
      return;
    }
    const declarator = constDeclaratorOf(node);
    if (!declarator) return;
    if (declarator.id.type === AST_NODE_TYPES.Identifier) {
      for (const read of readsOf(sourceCode, declarator, declarator.id)) visit(read);
    } else if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
      const binding = promiseBinding(declarator.id);
      if (binding) result.push(...readsOf(sourceCode, declarator, binding));
    }
  };
  visit(awakeable);
  return result;
}

/** Methods of a Restate promise whose result settles no earlier than the promise itself. */
const WAITING_METHODS: ReadonlySet<string> = new Set(["orTimeout", "map", "then", "catch", "finally"]);

/** Where a followed promise ends up. */
export interface PromiseEnd {
  /** The `await` expression, or the returned expression when the promise is returned from `returnsFrom`. */
  readonly node: TSESTree.AwaitExpression | TSESTree.Expression;
  readonly returned: boolean;
  /** Whether it reached there inside a `RestatePromise.*` / `Promise.*` combination. */
  readonly combined: boolean;
}

/**
 * Follows a promise-valued expression to where it is awaited: through
 * `.orTimeout(...)` / `.map(...)` / `.then(...)`, array literals passed to a
 * combinator (`RestatePromise.race([p, ...])`, `Promise.all([...])`),
 * conditional expressions and `const` declarations. A `return` of it (or an
 * arrow body) counts as awaited when `returnsFrom(fn)` says so for the
 * function returning it (a handler's result waits for its returned promise).
 */
export function followPromise(
  sourceCode: TSESLint.SourceCode,
  analysis: RestateAnalysis,
  start: TSESTree.Node,
  returnsFrom: (fn: FunctionNode) => boolean,
): PromiseEnd[] {
  const ends: PromiseEnd[] = [];
  const seen = new Set<TSESTree.Node>();
  const walk = (from: TSESTree.Node, combined: boolean, inArray: boolean, depth: number) => {
    if (depth > 20) return;
    let node = outermostWrapper(from);
    for (;;) {
      if (seen.has(node)) return;
      seen.add(node);
      const parent: TSESTree.Node | undefined = node.parent;
      if (!parent) return;
      if (inArray) {
        if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === node && promiseCombinator(sourceCode, analysis, parent)) {
          node = outermostWrapper(parent);
          inArray = false;
          combined = true;
          continue;
        }
      } else if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
        const name = memberName(parent);
        const call = name !== null && WAITING_METHODS.has(name) ? callOfCallee(parent) : null;
        if (!call) return;
        node = outermostWrapper(call);
        continue;
      } else if (parent.type === AST_NODE_TYPES.ArrayExpression) {
        node = outermostWrapper(parent);
        inArray = true;
        continue;
      } else if (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== node) {
        node = outermostWrapper(parent);
        continue;
      } else if (parent.type === AST_NODE_TYPES.AwaitExpression) {
        ends.push({ node: parent, returned: false, combined });
        return;
      } else if (parent.type === AST_NODE_TYPES.ReturnStatement) {
        const fn = enclosingFunction(parent);
        if (fn && returnsFrom(fn)) ends.push({ node: node as TSESTree.Expression, returned: true, combined });
        return;
      } else if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node) {
        if (returnsFrom(parent)) ends.push({ node: node as TSESTree.Expression, returned: true, combined });
        return;
      }
      if (parent.type === AST_NODE_TYPES.VariableDeclarator) {
        const declarator = constDeclaratorOf(node);
        if (declarator?.id.type !== AST_NODE_TYPES.Identifier) return;
        for (const read of readsOf(sourceCode, declarator, declarator.id)) walk(read, combined, inArray, depth + 1);
        return;
      }
      return;
    }
  };
  walk(start, false, false, 0);
  return ends;
}

/**
 * With types: whether `node` evaluates to the `{ id, promise }` object that
 * `ctx.awakeable()` returns, judged by where its type is declared (the return
 * type of the SDK's `awakeable` method), not by its shape.
 */
export function isAwakeableObject(types: TypeInfo, node: TSESTree.Node): boolean {
  const symbol = types.typeOf(node).getSymbol();
  if (types.originOf(symbol) !== "sdk") return false;
  return (symbol?.declarations ?? []).some((declaration) => {
    const owner = declaration.parent as (typeof declaration.parent & { name?: { escapedText?: unknown }; type?: unknown }) | undefined;
    return owner?.type === declaration && owner.name?.escapedText === "awakeable";
  });
}
