import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { enclosingFunction, outermostWrapper, propertyKeyName, resolveLocalObject, unwrap } from "../core/ast.js";
import {
  clientCallAt,
  clientCalls,
  contextParameterOf,
  handlerOf,
  isContextOf,
  isWaitedFor,
  ownKey,
  parameterKey,
  targetsComponent,
  targetsComponentFrom,
  type ClientCall,
} from "../core/calls.js";
import { createRule } from "../core/create-rule.js";
import type { HandlerInfo } from "../core/handlers.js";
import { memberName } from "../core/imports.js";
import { reportThrough } from "../core/related.js";
import { describeReach, summariesOf, type Effect } from "../core/summaries.js";
import { awakeablePromises } from "../core/waits.js";

type MessageIds = "selfDeadlock" | "useSendClient" | "selfDeadlockThroughCall" | "awakeableDeadlock";

/** The client factory that reaches the caller's own component, per caller kind. */
const SELF_FACTORY = { "object-exclusive": "objectClient", "workflow-run": "workflowClient" } as const;

export default createRule<[], MessageIds>({
  name: "no-self-deadlock",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow an exclusive handler awaiting a call to an exclusive handler of its own object and key",
      recommended: "recommended",
    },
    hasSuggestions: true,
    messages: {
      selfDeadlock:
        "`{{handler}}` deadlocks awaiting `{{call}}`, an exclusive handler of the same {{what}} and key. Use `{{ctx}}.{{send}}(...)`, or call its logic directly.",
      useSendClient:
        "Send `{{call}}` with `{{ctx}}.{{send}}(...)` instead of waiting for it: it then runs after `{{handler}}` releases the lock.",
      selfDeadlockThroughCall:
        "`{{handler}}` deadlocks: {{chain}} awaits its own {{what}} and key, locked until it ends. Use `{{send}}` or inline the logic.",
      awakeableDeadlock:
        "`{{handler}}` deadlocks: only the exclusive `{{resolver}}` reads this awakeable's id (state `{{key}}`), locked until `{{handler}}` ends. Resolve it in a shared handler, or return.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || analysis.handlers.size === 0) return {};
    return {
      Program() {
        for (const client of clientCalls(analysis)) {
          if (client.scoped || client.method === null || !client.definition || !client.key) continue;
          const handler = analysis.handlerAt(client.call);
          if (!handler || (handler.kind !== "object-exclusive" && handler.kind !== "workflow-run")) continue;
          if (client.factory !== SELF_FACTORY[handler.kind]) continue;
          if (!isWaitedFor(client.call, handler.fn)) continue;
          if (targetsComponent(analysis, client.definition, handler.component) !== true) continue;
          const target = handlerOf(analysis, handler.component, client.method);
          if (!target || target.kind !== handler.kind) continue;
          const key = ownKey(analysis, client.key, handler);
          if (key === null) continue;
          const isObject = handler.kind === "object-exclusive";
          const data = {
            handler: handler.name,
            component: handler.component.name ?? "this component",
            call: `${client.method}`,
            what: isObject ? "object" : "workflow",
            key,
            why: isObject ? "it queues behind the key's lock" : "the workflow's `run` executes once per key",
            ctx: client.use.binding.name,
            send: isObject ? "objectSendClient" : "workflowSendClient",
          };
          const fix = sendInstead(context.sourceCode, client, data.send);
          context.report({
            node: client.call,
            messageId: "selfDeadlock",
            data,
            suggest: fix ? [{ messageId: "useSendClient", data, fix }] : [],
          });
        }
        for (const handler of analysis.handlers.values()) {
          if (isSelfKind(handler)) reportThroughCalls(context, analysis, handler);
          if (handler.kind === "object-exclusive") reportAwakeableDeadlocks(context, analysis, handler);
        }
      },
    };
  },
});

/**
 * `await ctx.objectClient(Obj, ctx.key).h(x);` as a statement of its own (the
 * result is not used) → `ctx.objectSendClient(Obj, ctx.key).h(x);`. Only with
 * the client written inline and no call options (send clients take other
 * options), so the result still type-checks. A suggestion, not an autofix:
 * the call then runs after the handler instead of inside it.
 */
function sendInstead(sourceCode: TSESLint.SourceCode, client: ClientCall, send: string): TSESLint.ReportFixFunction | null {
  if (client.call.arguments.length > 1) return null;
  const factory = unwrap(client.factoryCall.callee);
  if (factory.type !== AST_NODE_TYPES.MemberExpression || factory.computed || factory.property.type !== AST_NODE_TYPES.Identifier) return null;
  const method = unwrap(client.call.callee);
  if (method.type !== AST_NODE_TYPES.MemberExpression || unwrap(method.object) !== client.factoryCall) return null;
  const waiting = client.call.parent;
  if (waiting?.type !== AST_NODE_TYPES.AwaitExpression || waiting.parent?.type !== AST_NODE_TYPES.ExpressionStatement) return null;
  // Only `await` and white space before the call (no parentheses or comments the removal would take along).
  const awaitToken = sourceCode.getFirstToken(waiting);
  const next = awaitToken ? sourceCode.getTokenAfter(awaitToken, { includeComments: true }) : null;
  if (awaitToken?.value !== "await" || next?.range[0] !== client.call.range[0]) return null;
  const keyword: [number, number] = [waiting.range[0], client.call.range[0]];
  const property = factory.property;
  return (fixer) => [fixer.removeRange(keyword), fixer.replaceText(property, send)];
}

// ---- through helpers ---------------------------------------------------------------

type SelfKind = keyof typeof SELF_FACTORY;

function isSelfKind(handler: HandlerInfo): handler is HandlerInfo & { kind: SelfKind } {
  return handler.kind === "object-exclusive" || handler.kind === "workflow-run";
}

/** What the sink of a self call through a helper records: where its key comes from. */
interface SelfCallData {
  /** The parameter (of the function on the chain the data is seen from) whose context's `key` is the key; -1 for the handler's own context. */
  readonly param: number;
}

const analysisIds = new WeakMap<RestateAnalysis, number>();
let nextAnalysisId = 0;

/**
 * A request-response call that waits for an exclusive handler of `handler`'s
 * own component, with a key that is the caller's own: `ctx.key` of a context
 * the function receives as a parameter, or of the handler's own context closed
 * over by a nested function. Calls count only when the function making them
 * waits for them and hands that context on (`across`), so the chain the
 * engine returns is one the handler really blocks on. The answer depends on
 * the handler, so the memo key does too.
 */
function selfCallEffect(home: RestateAnalysis, handler: HandlerInfo & { kind: SelfKind }): Effect {
  let id = analysisIds.get(home);
  if (id === undefined) analysisIds.set(home, (id = nextAnalysisId++));
  return {
    id: `no-self-deadlock:${id}:${handler.fn.range[0]}`,
    throughDurable: true,
    keepAcrossPrograms: false,
    sink(node, analysis) {
      if (node.type !== AST_NODE_TYPES.CallExpression) return null;
      const client = clientCallAt(analysis, node);
      if (!client || client.scoped || client.method === null || !client.definition || !client.key) return null;
      if (client.factory !== SELF_FACTORY[handler.kind]) return null;
      const fn = enclosingFunction(node);
      if (!fn || !isWaitedFor(node, fn)) return null;
      if (targetsComponentFrom(analysis, client.definition, home, handler.component) !== true) return null;
      const target = handlerOf(home, handler.component, client.method);
      if (!target || target.kind !== handler.kind) return null;
      let data: SelfCallData | null = null;
      if (analysis === home && ownKey(analysis, client.key, handler) !== null) data = { param: -1 };
      else {
        const key = parameterKey(analysis, client.key, fn);
        if (key) data = { param: key.index };
      }
      if (!data) return null;
      return { label: `${client.factory}(…).${client.method}`, data };
    },
    across(call, analysis, data) {
      if (call.type !== AST_NODE_TYPES.CallExpression) return null;
      const fn = enclosingFunction(call);
      if (!fn || !isWaitedFor(call, fn)) return null;
      return handOn(call, data as SelfCallData, (arg) => {
        if (analysis === home && isContextOf(home, arg, handler)) return -1;
        return contextParameterOf(analysis, arg, fn);
      });
    },
  };
}

/**
 * The data as seen from the function making `call`: the key's context is
 * the handler's own (-1, unchanged), or the callee's parameter `param`, which
 * `call` must fill with a context `contextOf` maps to the caller's side.
 */
function handOn(call: TSESTree.CallExpression, data: SelfCallData, contextOf: (arg: TSESTree.Node) => number | null): { data: SelfCallData } | null {
  if (data.param === -1) return { data };
  const arg = call.arguments[data.param];
  if (!arg || call.arguments.slice(0, data.param + 1).some((a) => a.type === AST_NODE_TYPES.SpreadElement)) return null;
  const param = contextOf(arg);
  return param === null ? null : { data: { param } };
}

/**
 * At every call an exclusive handler waits for (not a client call itself, which
 * the direct check covers), what the callee reaches; reported when the chain
 * down to the self call is waited for at every step and hands the handler's
 * context (or, for a nested helper, closes over it) to the function making it.
 */
function reportThroughCalls(
  context: Readonly<TSESLint.RuleContext<MessageIds, []>>,
  analysis: RestateAnalysis,
  handler: HandlerInfo & { kind: SelfKind },
): void {
  const summaries = summariesOf(analysis);
  let effect: Effect | null = null;
  for (const node of summaries.executedNodes(handler.fn)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || !isWaitedFor(node, handler.fn)) continue;
    if (clientCallAt(analysis, node)) continue;
    effect ??= selfCallEffect(analysis, handler);
    const reach = summaries.reachOfCall(node, effect);
    // The handler's own step: it must hand its own context to the chain.
    const own = reach && handOn(node, reach.sink.data as SelfCallData, (arg) => (isContextOf(analysis, arg, handler) ? -1 : null));
    if (!reach || !own) continue;
    const isObject = handler.kind === "object-exclusive";
    reportThrough(
      context,
      {
        node,
        messageId: "selfDeadlockThroughCall",
        data: {
          handler: handler.name,
          what: isObject ? "object" : "workflow",
          chain: describeReach(reach),
          send: isObject ? "objectSendClient" : "workflowSendClient",
        },
      },
      reach,
    );
  }
}

// ---- awakeables only this object's exclusive handlers can resolve ------------------

/**
 * `const awk = ctx.awakeable()` awaited in the exclusive handler `handler`,
 * whose id goes nowhere but into this object's state (`ctx.set(K, awk.id)`),
 * where no shared handler of the object can read it, while an exclusive one
 * reads it back and resolves an awakeable: certain deadlock. Anything less
 * certain (the id used any other way, a dynamic state key, a shared reader,
 * handlers this file cannot list) stays silent.
 */
function reportAwakeableDeadlocks(
  context: Readonly<TSESLint.RuleContext<MessageIds, []>>,
  analysis: RestateAnalysis,
  handler: HandlerInfo,
): void {
  if (handler.component.kind !== "object") return;
  const sourceCode = analysis.sourceCode;
  for (const use of analysis.uses) {
    if (use.member !== "awakeable" || !use.call || !isContextOf(analysis, use.identifier, handler)) continue;
    if (enclosingFunction(use.call) !== handler.fn) continue;
    const keys = idStateKeys(analysis, use.call, handler);
    if (!keys || keys.size === 0) continue;
    const awaited = awakeablePromises(sourceCode, use.call).find((promise) => {
      const parent = outermostWrapper(promise).parent;
      return parent?.type === AST_NODE_TYPES.AwaitExpression && enclosingFunction(parent) === handler.fn;
    });
    if (!awaited) continue;
    const found = onlyExclusiveResolver(analysis, handler, keys);
    if (!found) continue;
    context.report({
      node: outermostWrapper(awaited).parent!,
      messageId: "awakeableDeadlock",
      data: { handler: handler.name, resolver: found.resolver.name, key: found.key },
    });
  }
}

/**
 * The state keys the awakeable's id is stored under, when storing it in the
 * handler's own state (`ctx.set("pending", awk.id)`) is the only thing done
 * with it: null as soon as the id, or the awakeable object, is used any other way.
 */
function idStateKeys(analysis: RestateAnalysis, awakeable: TSESTree.CallExpression, handler: HandlerInfo): Set<string> | null {
  const declarator = constDeclarator(awakeable);
  if (!declarator) return null;
  const keys = new Set<string>();
  const sourceCode = analysis.sourceCode;
  const variables = sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? [];
  if (declarator.id.type === AST_NODE_TYPES.Identifier) {
    const variable = variables[0];
    if (!variable) return null;
    for (const reference of variable.references) {
      if (reference.init) continue;
      if (!reference.isRead() || reference.isWrite()) return null;
      const outer = outermostWrapper(reference.identifier);
      const member = outer.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outer) return null;
      const name = memberName(member);
      if (name === "promise") continue;
      if (name !== "id" || !idGoesToState(analysis, member, handler, keys, 0)) return null;
    }
    return keys;
  }
  if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) return null;
  for (const property of declarator.id.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.value.type !== AST_NODE_TYPES.Identifier) return null;
    const name = propertyKeyName(property);
    if (name === "promise") continue;
    if (name !== "id") return null;
    const variable = variables.find((v) => v.identifiers.includes(property.value as TSESTree.Identifier));
    if (!variable) return null;
    for (const reference of variable.references) {
      if (reference.init) continue;
      if (!reference.isRead() || reference.isWrite()) return null;
      if (!idGoesToState(analysis, reference.identifier, handler, keys, 0)) return null;
    }
  }
  return keys;
}

/** Whether the id expression `node` only ends up as the value of `ctx.set(K, id)` on the handler's context (through `const`s). */
function idGoesToState(analysis: RestateAnalysis, node: TSESTree.Node, handler: HandlerInfo, keys: Set<string>, depth: number): boolean {
  if (depth > 4) return false;
  const outer = outermostWrapper(node);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[1] === outer && parent.arguments.length === 2) {
    const callee = unwrap(parent.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || memberName(callee) !== "set" || !isContextOf(analysis, callee.object, handler)) return false;
    const key = stringValue(parent.arguments[0]);
    if (key === null) return false;
    keys.add(key);
    return true;
  }
  const declarator = constDeclarator(node);
  if (!declarator || declarator.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = analysis.sourceCode.scopeManager?.getDeclaredVariables(declarator)[0];
  if (!variable) return false;
  for (const reference of variable.references) {
    if (reference.init) continue;
    if (!reference.isRead() || reference.isWrite()) return false;
    if (!idGoesToState(analysis, reference.identifier, handler, keys, depth + 1)) return false;
  }
  return true;
}

/**
 * The exclusive handler of `handler`'s object that reads one of `keys` back
 * and resolves (or rejects) an awakeable — provided this file lists every
 * handler of the object, and nothing that is not an exclusive handler of it
 * can read those keys: no shared handler reads them (or reads a key it
 * computes, or hands its context to other code), no helper taking a context
 * reads them.
 */
function onlyExclusiveResolver(
  analysis: RestateAnalysis,
  handler: HandlerInfo,
  keys: ReadonlySet<string>,
): { resolver: HandlerInfo; key: string } | null {
  const siblings = componentHandlers(analysis, handler);
  if (!siblings) return null;
  const bySibling = new Map<TSESTree.Node, HandlerInfo>(siblings.map((h) => [h.fn, h]));
  const reads = new Map<HandlerInfo, string>();
  const resolves = new Set<HandlerInfo>();
  for (const use of analysis.uses) {
    const owner = rootHandler(analysis, use.binding.fn);
    const sibling = owner ? bySibling.get(owner.fn) : undefined;
    if (sibling && sibling.kind === "object-shared") {
      // A shared handler of this object: it may read any state, or hand its context to code that does.
      if (use.member === null || use.passed) return null;
    }
    if (use.member === "resolveAwakeable" || use.member === "rejectAwakeable") {
      if (sibling) resolves.add(sibling);
      continue;
    }
    if (use.member !== "get" || !use.call) continue;
    const key = use.call.arguments[0] ? stringValue(use.call.arguments[0]) : null;
    if (key !== null && !keys.has(key)) continue;
    // Reads of one of the keys (or of a key not known here).
    if (owner && !sibling) continue; // another component's state
    if (!sibling || sibling.kind !== "object-exclusive") return null;
    if (key !== null && !reads.has(sibling)) reads.set(sibling, key);
  }
  for (const [resolver, key] of reads) {
    if (resolver !== handler && resolves.has(resolver)) return { resolver, key };
  }
  return null;
}

/** The registered handler whose code `fn` is (itself, or nested in it), or null for helpers and module code. */
function rootHandler(analysis: RestateAnalysis, fn: TSESTree.Node): HandlerInfo | null {
  for (let current: TSESTree.Node | null = fn; current; current = enclosingFunction(current)) {
    const handler = analysis.handlers.get(current as never);
    if (handler) return handler;
  }
  return null;
}

/** Every handler of `handler`'s component, when its handlers object is written in this file without anything unresolved. */
function componentHandlers(analysis: RestateAnalysis, handler: HandlerInfo): HandlerInfo[] | null {
  const sourceCode = analysis.sourceCode;
  const config = handler.component.call.arguments[0] ? resolveLocalObject(sourceCode, handler.component.call.arguments[0]) : null;
  if (!config) return null;
  let handlersObject: TSESTree.ObjectExpression | null = null;
  for (const property of config.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) return null;
    if (propertyKeyName(property) === "handlers") handlersObject = resolveLocalObject(sourceCode, property.value);
  }
  if (!handlersObject) return null;
  const registered = [...analysis.handlers.values()].filter((h) => h.component.call === handler.component.call);
  const result: HandlerInfo[] = [];
  for (const property of handlersObject.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) return null;
    const found = registered.find((h) => h.registration === property);
    if (!found || found.kind === "unknown") return null;
    result.push(found);
  }
  return result;
}

function constDeclarator(node: TSESTree.Node): TSESTree.VariableDeclarator | null {
  const outer = outermostWrapper(node);
  const parent = outer.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer) return null;
  return parent.parent?.type === AST_NODE_TYPES.VariableDeclaration && parent.parent.kind === "const" ? parent : null;
}

function stringValue(node: TSESTree.Node): string | null {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Literal && typeof inner.value === "string") return inner.value;
  if (inner.type === AST_NODE_TYPES.TemplateLiteral && inner.expressions.length === 0) return inner.quasis[0].value.cooked ?? null;
  return null;
}
