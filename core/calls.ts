import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { ContextBinding, ContextUse, RestateAnalysis } from "./analysis.js";
import { constantBinding, enclosingFunction, neverReassigned, outermostWrapper, propertyKeyName, unwrap, variableOf } from "./ast.js";
import type { ComponentInfo, HandlerInfo } from "./handlers.js";
import { memberName } from "./imports.js";
import { CLIENT_FACTORIES, SDK_MODULES } from "./sdk.js";

/**
 * Calls made through a context's clients, from the shared analysis:
 * `ctx.objectClient(Def, key).handler(arg, opts)`, directly or through a
 * local const holding the client, and which component definition, handler
 * and key they target.
 */

/** One `client.method(...)` call on a client made by a context. */
export interface ClientCall {
  /** The use of the context that creates the client (`ctx.objectClient`, or `ctx.scope` for scoped clients). */
  readonly use: ContextUse;
  /** `objectClient`, `serviceSendClient`, ... */
  readonly factory: string;
  /** `ctx.objectClient(Def, key)`. */
  readonly factoryCall: TSESTree.CallExpression;
  /** Whether the client comes from `ctx.scope(...)`. */
  readonly scoped: boolean;
  /** The called handler's name, when it is written literally. */
  readonly method: string | null;
  /** The call of the handler: `client.method(arg, opts)`. */
  readonly call: TSESTree.CallExpression;
  /** The definition argument (`Def`) and the key argument, when given. */
  readonly definition: TSESTree.Node | null;
  readonly key: TSESTree.Node | null;
}

const cache = new WeakMap<RestateAnalysis, readonly ClientCall[]>();

/** Every handler call made through a context client in the file, in source order of the client's creation. */
export function clientCalls(analysis: RestateAnalysis): readonly ClientCall[] {
  let calls = cache.get(analysis);
  if (!calls) {
    calls = findClientCalls(analysis);
    cache.set(analysis, calls);
  }
  return calls;
}

function findClientCalls(analysis: RestateAnalysis): ClientCall[] {
  const result: ClientCall[] = [];
  const sourceCode = analysis.sourceCode;
  for (const use of analysis.uses) {
    if (!use.call || use.call.callee !== outermostWrapper(use.node)) continue;
    let factoryCall: TSESTree.CallExpression | null = null;
    let factory: string | null = null;
    let scoped = false;
    if (use.member !== null && CLIENT_FACTORIES.has(use.member)) {
      factoryCall = use.call;
      factory = use.member;
    } else if (use.member === "scope") {
      // `ctx.scope("tenant").serviceClient(Def)`.
      const member = outermostWrapper(use.call).parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outermostWrapper(use.call)) continue;
      const name = memberName(member);
      const call = name !== null && CLIENT_FACTORIES.has(name) ? callOf(member) : null;
      if (!call) continue;
      factoryCall = call;
      factory = name;
      scoped = true;
    }
    if (!factoryCall || !factory) continue;
    const args = factoryCall.arguments;
    const definition = args[0] && args[0].type !== AST_NODE_TYPES.SpreadElement ? args[0] : null;
    const key = args[1] && args[1].type !== AST_NODE_TYPES.SpreadElement ? args[1] : null;
    if (args.some((a) => a.type === AST_NODE_TYPES.SpreadElement)) continue;
    for (const { call, method } of methodCalls(sourceCode, factoryCall)) {
      result.push({ use, factory, factoryCall, scoped, method, call, definition, key });
    }
  }
  return result;
}

function callOf(callee: TSESTree.Node): TSESTree.CallExpression | null {
  const outer = outermostWrapper(callee);
  const parent = outer.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer ? parent : null;
}

/** `client.method(...)` where `client` is `expression` itself or a never-reassigned local holding it. */
function* methodCalls(
  sourceCode: TSESLint.SourceCode,
  expression: TSESTree.Node,
): Generator<{ call: TSESTree.CallExpression; method: string | null }> {
  const outer = outermostWrapper(expression);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) {
    const call = callOf(parent);
    if (call) yield { call, method: memberName(parent) };
    return;
  }
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer || parent.id.type !== AST_NODE_TYPES.Identifier) return;
  const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0] ?? null;
  if (!variable || !constantBinding(variable)) return;
  for (const reference of variable.references) {
    if (reference.init) continue;
    const ref = outermostWrapper(reference.identifier);
    const member = ref.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref) continue;
    const call = callOf(member);
    if (call) yield { call, method: memberName(member) };
  }
}

// ---- targets -----------------------------------------------------------------

function literalName(object: TSESTree.ObjectExpression): string | null {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || propertyKeyName(property) !== "name") continue;
    const value = unwrap(property.value);
    return value.type === AST_NODE_TYPES.Literal && typeof value.value === "string" ? value.value : null;
  }
  return null;
}

/**
 * Whether a client's definition argument refers to `component` (declared in
 * this file): the identifier of the very `object()`/`workflow()` call, or a
 * definition whose `name` equals the component's name (an object literal
 * `{ name: "cart" }`, a local const holding one, or, with types, any
 * expression whose `name` has that literal type). Null when it cannot be told.
 */
export function targetsComponent(analysis: RestateAnalysis, definition: TSESTree.Node, component: ComponentInfo): boolean | null {
  const sourceCode = analysis.sourceCode;
  let node = unwrap(definition);
  if (node.type === AST_NODE_TYPES.Identifier) {
    const constant = constantBinding(variableOf(sourceCode, node));
    if (constant && constant.path.length === 0) {
      if (constant.init === component.call) return true;
      node = constant.init;
    }
  }
  if (node.type === AST_NODE_TYPES.ObjectExpression) {
    const name = literalName(node);
    if (name !== null && component.name !== null) return name === component.name;
  }
  if (node.type === AST_NODE_TYPES.CallExpression && isComponentCall(analysis, node)) {
    return node === component.call;
  }
  const types = analysis.types;
  if (types && component.name !== null) {
    const name = types.safely(() => {
      const property = types.typeOf(definition).getProperty("name");
      if (!property) return null;
      const type = types.checker.getTypeOfSymbolAtLocation(property, types.tsNode(definition));
      return type.isStringLiteral() ? type.value : null;
    }, null);
    if (name !== null) return name === component.name;
  }
  return null;
}

function isComponentCall(analysis: RestateAnalysis, call: TSESTree.CallExpression): boolean {
  const resolved = analysis.imports?.resolve(call.callee);
  return !!resolved && SDK_MODULES.has(resolved.module) && resolved.path.length === 1 && ["object", "workflow", "service"].includes(resolved.path[0]);
}

/** The handler registered under `name` in `component`, when this file registers it. */
export function handlerOf(analysis: RestateAnalysis, component: ComponentInfo, name: string): HandlerInfo | null {
  for (const handler of analysis.handlers.values()) {
    if (handler.component.call === component.call && handler.name === name) return handler;
  }
  return null;
}

/** The context binding a binding aliases, followed to its origin. */
function rootBinding(binding: ContextBinding): ContextBinding {
  let current = binding;
  while (current.aliasOf) current = current.aliasOf;
  return current;
}

/**
 * Whether `key` is the key of `handler`'s own invocation: `ctx.key` on the
 * handler's context (or an alias of it), or a never-reassigned local holding
 * it (`const key = ctx.key`, `const { key } = ctx`). Returns the text to show.
 */
export function ownKey(analysis: RestateAnalysis, key: TSESTree.Node, handler: HandlerInfo): string | null {
  const sourceCode = analysis.sourceCode;
  const node = unwrap(key);
  if (isKeyMember(analysis, node, handler)) return sourceCode.getText(node);
  if (node.type !== AST_NODE_TYPES.Identifier) return null;
  const constant = constantBinding(variableOf(sourceCode, node));
  if (!constant) return null;
  const { init, path } = constant;
  if (path.length === 0) return isKeyMember(analysis, init, handler) ? node.name : null;
  // `const { key } = ctx`, `const { key: k } = ctx`.
  if (path.length !== 1 || path[0] !== "key" || init.type !== AST_NODE_TYPES.Identifier) return null;
  return isHandlerContext(analysis, init, handler) ? node.name : null;
}

function isKeyMember(analysis: RestateAnalysis, node: TSESTree.Node, handler: HandlerInfo): boolean {
  if (node.type !== AST_NODE_TYPES.MemberExpression || memberName(node) !== "key") return false;
  const object = unwrap(node.object);
  return object.type === AST_NODE_TYPES.Identifier && isHandlerContext(analysis, object, handler);
}

function isHandlerContext(analysis: RestateAnalysis, identifier: TSESTree.Identifier, handler: HandlerInfo): boolean {
  const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(identifier), identifier);
  if (!variable) return false;
  const binding = analysis.contexts.find((b) => b.variable === variable);
  return !!binding && rootBinding(binding).fn === handler.fn;
}

/**
 * Whether the function that makes `call` waits for it: `await call`, or
 * `return call` / an arrow's expression body, directly in `fn`.
 */
export function isWaitedFor(call: TSESTree.CallExpression, fn: TSESTree.Node): boolean {
  const outer = outermostWrapper(call);
  const parent = outer.parent;
  if (!parent || enclosingFunction(call) !== fn) return false;
  if (parent.type === AST_NODE_TYPES.AwaitExpression) return true;
  if (parent.type === AST_NODE_TYPES.ReturnStatement) return true;
  return parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === outer;
}

// ---- through helpers -------------------------------------------------------------

const callIndex = new WeakMap<RestateAnalysis, Map<TSESTree.CallExpression, ClientCall>>();

/** The client call `call` is (`ctx.objectClient(Def, key).handler(...)`), if it is one. */
export function clientCallAt(analysis: RestateAnalysis, call: TSESTree.CallExpression): ClientCall | null {
  let index = callIndex.get(analysis);
  if (!index) {
    index = new Map(clientCalls(analysis).map((client) => [client.call, client]));
    callIndex.set(analysis, index);
  }
  return index.get(call) ?? null;
}

/** Whether `node` is the context of `handler` itself, or a context alias of it (`ctx`, `const c = ctx`). */
export function isContextOf(analysis: RestateAnalysis, node: TSESTree.Node, handler: HandlerInfo): boolean {
  const inner = unwrap(node);
  return inner.type === AST_NODE_TYPES.Identifier && isHandlerContext(analysis, inner, handler);
}

/** Where a key comes from in a helper: the `key` of the context it receives as parameter `index`. */
export interface ParameterKey {
  readonly index: number;
  /** The key as written, for messages (`ctx.key`, `key`). */
  readonly text: string;
}

/**
 * Whether `key`, in function `fn`, is the key of the context `fn` receives as
 * a parameter: `ctx.key` (through aliases of `ctx`), or a never-reassigned
 * local holding it (`const key = ctx.key`, `const { key } = ctx`). Returns
 * the parameter's position, so a caller can check what it passes there.
 */
export function parameterKey(analysis: RestateAnalysis, key: TSESTree.Node, fn: TSESTree.Node): ParameterKey | null {
  const sourceCode = analysis.sourceCode;
  const node = unwrap(key);
  const direct = keyMemberParameter(analysis, node, fn);
  if (direct !== null) return { index: direct, text: sourceCode.getText(node) };
  if (node.type !== AST_NODE_TYPES.Identifier) return null;
  const constant = constantBinding(variableOf(sourceCode, node));
  if (!constant) return null;
  const { init, path } = constant;
  if (path.length === 0) {
    const viaConst = keyMemberParameter(analysis, init, fn);
    return viaConst === null ? null : { index: viaConst, text: node.name };
  }
  // `const { key } = ctx`, `const { key: k } = ctx`.
  if (path.length !== 1 || path[0] !== "key" || init.type !== AST_NODE_TYPES.Identifier) return null;
  const index = contextParameterIndex(analysis, init, fn);
  return index === null ? null : { index, text: node.name };
}

function keyMemberParameter(analysis: RestateAnalysis, node: TSESTree.Node, fn: TSESTree.Node): number | null {
  if (node.type !== AST_NODE_TYPES.MemberExpression || memberName(node) !== "key") return null;
  const object = unwrap(node.object);
  return object.type === AST_NODE_TYPES.Identifier ? contextParameterIndex(analysis, object, fn) : null;
}

/** The position of the parameter of `fn` that `identifier` (a context, or an alias of one) is, when it is one. */
function contextParameterIndex(analysis: RestateAnalysis, identifier: TSESTree.Identifier, fn: TSESTree.Node): number | null {
  const variable = ASTUtils.findVariable(analysis.sourceCode.getScope(identifier), identifier);
  if (!variable) return null;
  const binding = analysis.contexts.find((b) => b.variable === variable);
  if (!binding) return null;
  const root = rootBinding(binding);
  // A parameter, not a constant: what it holds is the caller's argument, so only "never reassigned" is asked here.
  if (root.fn !== fn || !neverReassigned(root.variable)) return null;
  const def = root.variable.defs[0];
  if (root.variable.defs.length !== 1 || def?.type !== "Parameter") return null;
  const params = (fn as { params?: TSESTree.Parameter[] }).params ?? [];
  const index = params.findIndex((p) => p === def.name || (p.type === AST_NODE_TYPES.AssignmentPattern && p.left === def.name));
  return index >= 0 ? index : null;
}

/**
 * `targetsComponent` for a definition written in another file of the program
 * (`analysis`), where `component` is declared in `home`: with types, the
 * definition resolves (through imports and re-exports) to the very `const`
 * that holds `component`'s `object()`/`workflow()` call; otherwise, as in one
 * file, by the definition's `name`. Null when it cannot be told.
 */
export function targetsComponentFrom(
  analysis: RestateAnalysis,
  definition: TSESTree.Node,
  home: RestateAnalysis,
  component: ComponentInfo,
): boolean | null {
  if (analysis === home) return targetsComponent(home, definition, component);
  const types = analysis.types;
  const homeTypes = home.types;
  if (types && homeTypes) {
    const same = types.safely(() => {
      const node = unwrap(definition);
      const nameNode =
        node.type === AST_NODE_TYPES.Identifier ? node : node.type === AST_NODE_TYPES.MemberExpression && !node.computed ? node.property : null;
      if (!nameNode) return false;
      let symbol = types.checker.getSymbolAtLocation(types.tsNode(nameNode));
      for (let i = 0; symbol && symbol.flags & ALIAS_SYMBOL && i < 8; i++) symbol = types.checker.getAliasedSymbol(symbol);
      const homeFile = homeTypes.sourceFile(home.sourceCode.ast);
      return (symbol?.getDeclarations() ?? []).some((declaration) => {
        if (declaration.getSourceFile() !== homeFile) return false;
        const declarator = homeTypes.esNode(declaration);
        return declarator?.type === AST_NODE_TYPES.VariableDeclarator && !!declarator.init && unwrap(declarator.init) === component.call;
      });
    }, false);
    if (same) return true;
  }
  return targetsComponent(analysis, definition, component);
}

const ALIAS_SYMBOL = 2097152; // ts.SymbolFlags.Alias (no value import of typescript: tsserver hands the plugin its own copy)

/** The position of the parameter of `fn` that `node` is, when it is a context parameter of `fn` (or an alias of one). */
export function contextParameterOf(analysis: RestateAnalysis, node: TSESTree.Node, fn: TSESTree.Node): number | null {
  const inner = unwrap(node);
  return inner.type === AST_NODE_TYPES.Identifier ? contextParameterIndex(analysis, inner, fn) : null;
}
