/**
 * Restate promises: which expressions evaluate to a promise that the Restate
 * SDK tracks (`ctx.run`, `ctx.sleep`, request-response calls, awakeables,
 * durable promises, `ctx.date.now()`). Used by the rules about combining and awaiting them.
 *
 * The syntactic part follows values only through `const` declarations (and
 * never-reassigned `let`s) in this file; with types, anything whose type is
 * declared by the SDK as `RestatePromise` / `InvocationPromise` counts too.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type * as ts from "typescript";
import type { ContextUse, RestateAnalysis } from "./analysis.js";
import { constantBinding, isFunction, unwrap, variableOf, walkFunctionBody } from "./ast.js";
import { excerpt } from "./describe.js";
import type { TypeInfo } from "./types.js";
import { memberName } from "./imports.js";
import { NON_PROMISE_MEMBERS, SDK_MODULES, SEND_CLIENT_FACTORIES } from "./sdk.js";
import { promiseCombinator } from "./waits.js";

export type RestatePromiseKind =
  /** `ctx.run(...)` (and `ctx.date.now()`, which the SDK implements as a run). */
  | "run"
  | "sleep"
  /** A request-response call: `ctx.serviceClient(X).h()`, `ctx.objectClient(X, k).h()`, `ctx.genericCall(...)`. */
  | "call"
  | "awakeable"
  /** `ctx.promise(name)` (a `DurablePromise`, not itself a `RestatePromise`) or its `.get()` / `.peek()`. */
  | "durable"
  | "date"
  /** `ctx.attach`, `ctx.signal`, `RestatePromise.all(...)`, or known only from its type. */
  | "other";

/** An expression found to evaluate to a Restate promise. */
export interface RestatePromiseSource {
  readonly kind: RestatePromiseKind;
  /** The context it comes from, when it comes from one directly. */
  readonly ctx: string | null;
  /**
   * Whether `RestatePromise.all/race/any/allSettled` accept it as is (statically
   * and at runtime): false for a bare durable promise (needs `.get()`),
   * `ctx.date.now()` (typed as a plain `Promise`) and `.then(...)` chains.
   */
  readonly combinable: boolean;
  /** For `call`: the factory call (`ctx.objectClient(X, k)`) when written inline in the call. */
  readonly clientFactory: TSESTree.CallExpression | null;
  /** Reached through `.then` / `.catch` / `.finally` on a Restate promise (a plain `Promise` that polls it). */
  readonly viaThen: boolean;
}

/** Context members whose call returns a Restate promise. */
const PROMISE_MEMBERS: ReadonlyMap<string, RestatePromiseKind> = new Map([
  ["run", "run"],
  ["sleep", "sleep"],
  ["genericCall", "call"],
  ["attach", "other"],
  ["signal", "other"],
]);

/** Request-response client factories and the send client that drops the result. */
export const SEND_CLIENT_OF: ReadonlyMap<string, string> = new Map([
  ["serviceClient", "serviceSendClient"],
  ["objectClient", "objectSendClient"],
  ["workflowClient", "workflowSendClient"],
  ["client", "sendClient"],
]);

/** `RestatePromise` methods that return a Restate promise of the same kind. */
const CHAINING_METHODS: ReadonlySet<string> = new Set(["orTimeout", "map"]);
/** Plain `Promise` methods: they start waiting on the Restate promise at once and return a plain `Promise`. */
export const THEN_METHODS: ReadonlySet<string> = new Set(["then", "catch", "finally"]);

const COMBINABLE_TYPES: ReadonlySet<string> = new Set(["RestatePromise", "InvocationPromise", "CombineablePromise"]);
const DURABLE_TYPES: ReadonlySet<string> = new Set(["DurablePromise"]);
const MAX_DEPTH = 12;

/** The context use whose member expression is `node` (`ctx.run` in `ctx.run(...)`), if any. */
export function contextUseAt(analysis: RestateAnalysis, node: TSESTree.Node): ContextUse | null {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return null;
  for (const use of analysis.usesWithin(node)) if (use.node === node) return use;
  return null;
}

/** Whether `node` is a `ctx.<member>(...)` call of one of the given members; the use when it is. */
function contextCall(analysis: RestateAnalysis, node: TSESTree.Node, members: ReadonlySet<string> | ReadonlyMap<string, unknown>): ContextUse | null {
  const call = unwrap(node);
  if (call.type !== AST_NODE_TYPES.CallExpression) return null;
  const use = contextUseAt(analysis, unwrap(call.callee));
  return use?.member && members.has(use.member) ? use : null;
}

/** Resolves identifiers through `const`s to the expression they hold. */
function resolveValue(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, depth: number): TSESTree.Node {
  let current = unwrap(node);
  for (let i = 0; i + depth < MAX_DEPTH && current.type === AST_NODE_TYPES.Identifier; i++) {
    const definition = constantBinding(variableOf(sourceCode, current));
    if (!definition || definition.path.length > 0) break;
    current = definition.init;
  }
  return current;
}

const AWAKEABLE: ReadonlySet<string> = new Set(["awakeable"]);
const DURABLE: ReadonlySet<string> = new Set(["promise"]);

/**
 * The Restate promise `node` evaluates to, or null when it is not one (as far
 * as this file and, when present, the types show).
 */
export function restatePromiseOf(analysis: RestateAnalysis, node: TSESTree.Node, depth = 0): RestatePromiseSource | null {
  if (depth > MAX_DEPTH) return null;
  const syntactic = syntacticSource(analysis, node, depth);
  if (syntactic === NONE) return null;
  if (syntactic) return syntactic;
  const types = analysis.types;
  if (!types) return null;
  const type = types.typeOf(node);
  if (sdkTypeNamed(types, type, COMBINABLE_TYPES)) {
    return { kind: "other", ctx: null, combinable: true, clientFactory: null, viaThen: false };
  }
  if (sdkTypeNamed(types, type, DURABLE_TYPES)) {
    return { kind: "durable", ctx: null, combinable: false, clientFactory: null, viaThen: false };
  }
  return null;
}

/** Whether `type` is one of the SDK's promise types named in `names` (through aliases and unions). */
export function sdkTypeNamed(types: TypeInfo, type: ts.Type, names: ReadonlySet<string>): boolean {
  return types.safely(() => types.namedType(type, names, "sdk") !== null, false);
}

/** Whether the variable is declared with a type annotation that (as far as the types show) is not a `RestatePromise`. */
function annotatedOtherwise(analysis: RestateAnalysis, identifier: TSESTree.Identifier): boolean {
  const def = variableOf(analysis.sourceCode, identifier)?.defs[0];
  if (def?.type !== "Variable" || !def.node.id.typeAnnotation) return false;
  const annotation = def.node.id.typeAnnotation.typeAnnotation;
  if (annotation.type === AST_NODE_TYPES.TSTypeReference) {
    const name = annotation.typeName.type === AST_NODE_TYPES.TSQualifiedName ? annotation.typeName.right : annotation.typeName;
    if (name.type === AST_NODE_TYPES.Identifier && COMBINABLE_TYPES.has(name.name)) return false;
  }
  const types = analysis.types;
  return !types || !sdkTypeNamed(types, types.typeOf(identifier), COMBINABLE_TYPES);
}

/**
 * What `syntacticSource` answers when syntax settles that an expression is no Restate promise (a context member
 * the SDK declares to return something else, a send client's handler call), so no type query is needed.
 */
const NONE = Symbol("no Restate promise");

function syntacticSource(analysis: RestateAnalysis, node: TSESTree.Node, depth: number): RestatePromiseSource | typeof NONE | null {
  const sourceCode = analysis.sourceCode;
  const target = unwrap(node);
  const make = (kind: RestatePromiseKind, ctx: string | null, combinable = true, clientFactory: TSESTree.CallExpression | null = null): RestatePromiseSource => ({
    kind,
    ctx,
    combinable,
    clientFactory,
    viaThen: false,
  });

  if (target.type === AST_NODE_TYPES.Identifier) {
    // `const p = ctx.run(...)`, `const { promise } = ctx.awakeable()`: never-reassigned locals (core/ast.ts).
    const definition = constantBinding(variableOf(sourceCode, target));
    if (!definition) return null;
    if (definition.path.length === 0) {
      const inner = restatePromiseOf(analysis, definition.init, depth + 1);
      // `const p: Promise<T> = ctx.run(...)`: the variable has the annotation's type, which RestatePromise.all may reject.
      if (inner?.combinable && annotatedOtherwise(analysis, target)) return { ...inner, combinable: false };
      return inner;
    }
    // `const { promise } = ctx.awakeable()`
    if (definition.path.length === 1 && definition.path[0] === "promise") {
      const use = contextCall(analysis, resolveValue(sourceCode, definition.init, depth + 1), AWAKEABLE);
      if (use) return make("awakeable", use.binding.name);
    }
    return null;
  }

  if (target.type === AST_NODE_TYPES.ConditionalExpression) {
    const a = restatePromiseOf(analysis, target.consequent, depth + 1);
    const b = a && restatePromiseOf(analysis, target.alternate, depth + 1);
    return a && b ? { ...a, combinable: a.combinable && b.combinable } : null;
  }

  // `awk.promise`, `ctx.awakeable().promise`
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    if (memberName(target) !== "promise") return null;
    const use = contextCall(analysis, resolveValue(sourceCode, target.object, depth + 1), AWAKEABLE);
    return use ? make("awakeable", use.binding.name) : null;
  }

  if (target.type !== AST_NODE_TYPES.CallExpression) return null;
  const callee = unwrap(target.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const method = memberName(callee);
  if (method === null) return null;

  // `ctx.run(...)`, `ctx.sleep(...)`, `ctx.genericCall(...)`, `durable` for `ctx.promise(name)`.
  const use = contextUseAt(analysis, callee);
  if (use) {
    const kind = PROMISE_MEMBERS.get(method);
    if (kind) return make(kind, use.binding.name);
    if (method === "promise") return make("durable", use.binding.name, false);
    return NON_PROMISE_MEMBERS.has(method) ? NONE : null;
  }
  const object = unwrap(callee.object);

  // `.orTimeout(...)`, `.map(...)` keep it a Restate promise; `.then(...)` makes a plain one that polls it.
  if (CHAINING_METHODS.has(method) || THEN_METHODS.has(method)) {
    const inner = restatePromiseOf(analysis, object, depth + 1);
    if (!inner) return null;
    if (THEN_METHODS.has(method)) return { ...inner, combinable: false, viaThen: true, clientFactory: null };
    return { ...inner, clientFactory: null };
  }

  // `ctx.promise(name).get()` / `.peek()`
  if (method === "get" || method === "peek") {
    const durable = contextCall(analysis, resolveValue(sourceCode, object, depth + 1), DURABLE);
    if (durable) return make("durable", durable.binding.name, method === "get");
  }

  // `ctx.date.now()` / `ctx.date.toJSON()`: a run, typed as a plain Promise.
  if ((method === "now" || method === "toJSON") && object.type === AST_NODE_TYPES.MemberExpression) {
    const date = contextUseAt(analysis, object);
    if (date?.member === "date") return make("date", date.binding.name, false);
  }

  // `RestatePromise.all([...])` and friends.
  if (promiseCombinator(sourceCode, analysis, target) === "restate") return make("other", null);
  const resolved = analysis.imports?.resolve(object);
  if (resolved && SDK_MODULES.has(resolved.module) && resolved.path.length === 1 && resolved.path[0] === "RestatePromise" && (method === "resolve" || method === "reject")) {
    return make("other", null);
  }

  // `ctx.objectClient(X, k).handler(...)`, also through `const client = ctx.objectClient(X, k)`.
  const factoryNode = resolveValue(sourceCode, object, depth + 1);
  const factory = contextCall(analysis, factoryNode, SEND_CLIENT_OF);
  if (factory) return make("call", factory.binding.name, true, unwrap(object) === factoryNode ? (factoryNode as TSESTree.CallExpression) : null);
  // `ctx.objectSendClient(X, k).handler(...)`: an `InvocationHandle`.
  if (contextCall(analysis, factoryNode, SEND_CLIENT_FACTORIES)) return NONE;
  return null;
}

/**
 * The Restate promises a callback returns (`(x) => ctx.run(...)`,
 * `async (x) => { return ctx.run(...) }` — not one that awaits inside), if
 * every value it returns is one; null otherwise.
 */
export function callbackReturnsRestatePromise(analysis: RestateAnalysis, callback: TSESTree.Node): RestatePromiseSource | null {
  const fn = unwrap(callback);
  if (!isFunction(fn)) return null;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return fn.async ? null : restatePromiseOf(analysis, fn.body);
  if (fn.async || fn.generator) return null;
  const returns: TSESTree.ReturnStatement[] = [];
  walkFunctionBody(fn, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement) returns.push(node);
  });
  if (returns.length === 0) return null;
  let first: RestatePromiseSource | null = null;
  for (const statement of returns) {
    const source = statement.argument ? restatePromiseOf(analysis, statement.argument) : null;
    if (!source) return null;
    first ??= source;
  }
  return first;
}

/** Short description of a promise source for messages: `ctx.run("charge")`-like excerpts. */
export function describePromise(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): string {
  return excerpt(sourceCode, node, 50);
}
