import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type ContextBinding, type RestateAnalysis } from "../core/analysis.js";
import { isFunction, outermostWrapper, unwrap, type FunctionNode } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { isGlobalReference, resolveApi, type ApiReference } from "../core/globals.js";
import { memberName } from "../core/imports.js";
import { restatePromiseOf } from "../core/promises.js";
import { reportCallThrough } from "../core/related.js";
import type { Effect } from "../core/summaries.js";
import { promiseCombinator } from "../core/waits.js";

type MessageIds = "nativeTimer" | "nativeTimerNoContext" | "timerThroughCall" | "useSleep" | "useOrTimeout";

/** Callback timers: globals, and the same functions exported by `node:timers`. */
const CALLBACK_TIMERS: ReadonlySet<string> = new Set(["setTimeout", "setInterval", "setImmediate"]);

/** The promise-returning timers of `node:timers/promises` (also reachable as `timers.promises`). */
const PROMISE_TIMERS: ReadonlySet<string> = new Set(["setTimeout", "setInterval", "setImmediate", "scheduler.wait"]);

const TIMER_MODULES: ReadonlySet<string> = new Set(["timers", "timers/promises"]);

/** Last names of every recognised callee, for a cheap first look at each call. */
const CANDIDATE_NAMES: ReadonlySet<string> = new Set(["setTimeout", "setInterval", "setImmediate", "wait"]);

export interface Timer {
  readonly reference: ApiReference;
  /** Whether it returns a promise (`timers/promises`) rather than taking a callback. */
  readonly promised: boolean;
  /** The name for messages: `setTimeout`, `globalThis.setTimeout`, `scheduler.wait`. */
  readonly name: string;
}

/**
 * The native timer `call` starts, in `analysis`'s file (which may be another
 * file than the one being linted), or null. A cheap look at the callee's last
 * name comes before any scope query.
 */
export function timerCall(call: TSESTree.CallExpression, analysis: RestateAnalysis): Timer | null {
  const callee = unwrap(call.callee);
  const last =
    callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : null;
  if (last === null) return null;
  if (!CANDIDATE_NAMES.has(last) && !timerAliasesOf(analysis).has(last)) return null;
  return matchTimer(analysis.sourceCode, analysis, call.callee);
}

const aliasesPerFile = new WeakMap<RestateAnalysis, ReadonlySet<string>>();

/** Local names of timer imports under an alias: `import { setTimeout as wait } from "node:timers/promises"`. */
function timerAliasesOf(analysis: RestateAnalysis): ReadonlySet<string> {
  let aliases = aliasesPerFile.get(analysis);
  if (!aliases) {
    aliases = new Set((analysis.imports?.bindings ?? []).filter((binding) => TIMER_MODULES.has(binding.module)).map((binding) => binding.local));
    aliasesPerFile.set(analysis, aliases);
  }
  return aliases;
}

/**
 * Native timers as an effect of calling a function (core/summaries.ts): a
 * plain helper that starts one, called from durable code. Helpers that take
 * the context are durable code themselves and reported where the timer is.
 */
export const timerEffect: Effect = {
  id: "native-timer",
  throughDurable: false,
  sink(node, analysis) {
    if (node.type !== AST_NODE_TYPES.CallExpression) return null;
    const timer = timerCall(node, analysis);
    return timer ? { label: timer.name } : null;
  },
};

/** Recognises the callee of a call as a native timer, or returns null. */
function matchTimer(sourceCode: TSESLint.SourceCode, analysis: RestateAnalysis, callee: TSESTree.Node): Timer | null {
  const reference = resolveApi(sourceCode, analysis.imports, callee);
  if (!reference) return null;
  const path = reference.path.join(".");
  const name = sourceCode.getText(unwrap(callee)).replace(/\s+/g, "");
  if (reference.module === null || reference.module === "timers") {
    if (CALLBACK_TIMERS.has(path)) return { reference, promised: false, name };
    if (reference.module === "timers" && path.startsWith("promises.") && PROMISE_TIMERS.has(path.slice("promises.".length))) {
      return { reference, promised: true, name };
    }
    return null;
  }
  if (reference.module === "timers/promises" && PROMISE_TIMERS.has(path)) return { reference, promised: true, name };
  return null;
}

export default createRule<[], MessageIds>({
  name: "no-native-timers",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow native timers (`setTimeout`, `setInterval`, `setImmediate`, `timers/promises`) in durable handler code",
      recommended: "recommended",
    },
    hasSuggestions: true,
    messages: {
      nativeTimer: "`{{call}}` is not journaled: the wait is lost on suspension or retry and restarts on replay. Use `await {{ctx}}.sleep(ms)` or `.orTimeout(ms)`, or call it inside `{{ctx}}.run`.",
      nativeTimerNoContext: "`{{call}}` is not journaled: the wait is lost on suspension or retry and restarts on replay. Pass the Restate context in and use its `sleep(ms)`, or `.orTimeout(ms)`.",
      timerThroughCall: "`{{call}}` starts a native timer Restate does not journal: {{chain}}. Use `{{ctx}}.sleep(ms)`, or call it in `{{ctx}}.run`.",
      useSleep: "Replace with a durable sleep: `{{ctx}}.sleep({{ms}})`.",
      useOrTimeout: "Use `{{promise}}.orTimeout({{ms}})` (it rejects with Restate's `TimeoutError`).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;
    const timerAliases = timerAliasesOf(analysis);

    /** The context usable by its own name at `node`, if any (double-checked against shadowing). */
    function usableContext(node: TSESTree.Node): ContextBinding | null {
      const binding = analysis.contextAt(node);
      if (!binding) return null;
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), binding.name);
      return variable === binding.variable ? binding : null;
    }

    function text(node: TSESTree.Node): string {
      const inner = sourceCode.getText(node);
      return node.type === AST_NODE_TYPES.SequenceExpression ? `(${inner})` : inner;
    }

    function suggestions(call: TSESTree.CallExpression, timer: Timer): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const result: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      const name = timer.reference.path[timer.reference.path.length - 1];
      if (timer.promised) {
        // `await setTimeout(ms)` / `await scheduler.wait(ms)` from timers/promises.
        const ms = call.arguments[0];
        if (name !== "setInterval" && name !== "setImmediate" && call.arguments.length === 1 && ms.type !== AST_NODE_TYPES.SpreadElement && isAwaited(call)) {
          const binding = usableContext(call);
          if (binding) {
            const replacement = `${binding.name}.sleep(${text(ms)})`;
            result.push({ messageId: "useSleep", data: { ctx: binding.name, ms: text(ms) }, fix: (fixer) => fixer.replaceText(call, replacement) });
          }
        }
        return result;
      }
      if (name !== "setTimeout") return result;
      const executor = timerPromiseExecutor(sourceCode, call);
      if (!executor) return result;
      const { promise, settle, ms } = executor;
      if (settle === 0 && isAwaited(promise)) {
        // `await new Promise((resolve) => setTimeout(resolve, ms))`
        const binding = usableContext(promise);
        if (binding) {
          const replacement = `${binding.name}.sleep(${text(ms)})`;
          result.push({ messageId: "useSleep", data: { ctx: binding.name, ms: text(ms) }, fix: (fixer) => fixer.replaceText(promise, replacement) });
        }
      } else if (settle === 1) {
        // `Promise.race([p, new Promise((_, reject) => setTimeout(reject, ms))])`
        const race = raceOf(promise);
        if (race && promiseCombinator(sourceCode, analysis, race.call) !== null && isRestatePromise(analysis, race.other)) {
          const promiseText = needsParentheses(race.other) ? `(${sourceCode.getText(race.other)})` : sourceCode.getText(race.other);
          const replacement = `${promiseText}.orTimeout(${text(ms)})`;
          result.push({
            messageId: "useOrTimeout",
            data: { promise: sourceCode.getText(race.other), ms: text(ms) },
            fix: (fixer) => fixer.replaceText(race.call, replacement),
          });
        }
      }
      return result;
    }

    /** A call of a plain helper (local, a class's or object's method, or with types another file's) that starts a timer. */
    function checkThrough(call: TSESTree.CallExpression | TSESTree.NewExpression): void {
      reportCallThrough(context, analysis, call, timerEffect, { messageId: "timerThroughCall" });
    }

    return {
      NewExpression: checkThrough,
      CallExpression(node) {
        const callee = unwrap(node.callee);
        const last =
          callee.type === AST_NODE_TYPES.Identifier
            ? callee.name
            : callee.type === AST_NODE_TYPES.MemberExpression
              ? memberName(callee)
              : null;
        if (last === null || (!CANDIDATE_NAMES.has(last) && !timerAliases.has(last))) return checkThrough(node);
        const timer = matchTimer(sourceCode, analysis, node.callee);
        if (!timer) return checkThrough(node);
        if (!analysis.isDurable(node)) return;
        const binding = usableContext(node);
        context.report({
          node,
          messageId: binding ? "nativeTimer" : "nativeTimerNoContext",
          data: { call: timer.name, ctx: binding?.name ?? "ctx" },
          suggest: suggestions(node, timer),
        });
      },
    };
  },
});

/** Whether the value of `node` is awaited right where it is produced (`await node`). */
function isAwaited(node: TSESTree.Node): boolean {
  return outermostWrapper(node).parent?.type === AST_NODE_TYPES.AwaitExpression;
}

/**
 * For `setTimeout(settleFn, ms)` that is the whole body of a `new Promise(executor)`,
 * the promise, which executor parameter the timer settles it with (0 resolve,
 * 1 reject) and the delay. `setTimeout(() => reject(...), ms)` counts too.
 */
function timerPromiseExecutor(
  sourceCode: TSESLint.SourceCode,
  call: TSESTree.CallExpression,
): { promise: TSESTree.NewExpression; settle: 0 | 1; ms: TSESTree.Expression } | null {
  if (call.arguments.length !== 2) return null;
  const [callback, ms] = call.arguments;
  if (callback.type === AST_NODE_TYPES.SpreadElement || ms.type === AST_NODE_TYPES.SpreadElement) return null;
  // The executor: `(r) => setTimeout(...)` or `(r) => { setTimeout(...); }`.
  const statementOrBody = outermostWrapper(call).parent;
  let executor: TSESTree.Node | undefined;
  if (isFunction(statementOrBody) && statementOrBody.body === outermostWrapper(call)) {
    executor = statementOrBody;
  } else if (
    statementOrBody?.type === AST_NODE_TYPES.ExpressionStatement &&
    statementOrBody.parent?.type === AST_NODE_TYPES.BlockStatement &&
    statementOrBody.parent.body.length === 1 &&
    isFunction(statementOrBody.parent.parent)
  ) {
    executor = statementOrBody.parent.parent;
  }
  if (!isFunction(executor)) return null;
  const fn: FunctionNode = executor;
  const promise = outermostWrapper(fn).parent;
  if (
    promise?.type !== AST_NODE_TYPES.NewExpression ||
    promise.arguments.length !== 1 ||
    promise.arguments[0] !== outermostWrapper(fn) ||
    unwrap(promise.callee).type !== AST_NODE_TYPES.Identifier ||
    (unwrap(promise.callee) as TSESTree.Identifier).name !== "Promise" ||
    !isGlobalReference(sourceCode, unwrap(promise.callee) as TSESTree.Identifier)
  ) {
    return null;
  }
  const settled = settlingName(callback);
  if (settled === null) return null;
  const index = fn.params.findIndex((param) => param.type === AST_NODE_TYPES.Identifier && param.name === settled);
  if (index !== 0 && index !== 1) return null;
  return { promise, settle: index, ms };
}

/** `r` for `r` or `() => r(...)` / `() => { r(...); }`, else null. */
function settlingName(callback: TSESTree.Expression): string | null {
  const target = unwrap(callback);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name;
  if (target.type !== AST_NODE_TYPES.ArrowFunctionExpression && target.type !== AST_NODE_TYPES.FunctionExpression) return null;
  if (target.params.length !== 0) return null;
  let expression: TSESTree.Node = target.body;
  if (expression.type === AST_NODE_TYPES.BlockStatement) {
    if (expression.body.length !== 1 || expression.body[0].type !== AST_NODE_TYPES.ExpressionStatement) return null;
    expression = expression.body[0].expression;
  }
  expression = unwrap(expression);
  if (expression.type !== AST_NODE_TYPES.CallExpression) return null;
  const callee = unwrap(expression.callee);
  return callee.type === AST_NODE_TYPES.Identifier ? callee.name : null;
}

/** `….race([other, timerPromise])` (either order) around `promise`: the race call and the other element; the caller checks that it is `Promise.race` or `RestatePromise.race`. */
function raceOf(promise: TSESTree.NewExpression): { call: TSESTree.CallExpression; other: TSESTree.Expression } | null {
  const element = outermostWrapper(promise);
  const array = element.parent;
  if (array?.type !== AST_NODE_TYPES.ArrayExpression || array.elements.length !== 2) return null;
  const call = outermostWrapper(array).parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments.length !== 1 || call.arguments[0] !== outermostWrapper(array)) return null;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || memberName(callee) !== "race") return null;
  const other = array.elements.find((e) => e !== element);
  if (!other || other.type === AST_NODE_TYPES.SpreadElement) return null;
  return { call, other };
}

/**
 * Whether `node` is a Restate promise that has `orTimeout` (a `RestatePromise`,
 * not a `.then` chain, a bare durable promise or `ctx.date.now()`), by the
 * shared recognition in core/promises.ts.
 */
function isRestatePromise(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  const source = restatePromiseOf(analysis, node);
  return source !== null && source.combinable && !source.viaThen;
}

function needsParentheses(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.ThisExpression:
      return false;
    default:
      return true;
  }
}
