import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { callOfCallee, constantDefinition, isFunction, outermostWrapper, resolveLocalFunction, unwrap, variableOf, walkFunctionBody, type FunctionNode } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { resolveApi } from "../core/globals.js";
import { memberName } from "../core/imports.js";
import {
  callbackReturnsRestatePromise,
  restatePromiseOf,
  sdkTypeNamed,
  THEN_METHODS,
  type RestatePromiseSource,
} from "../core/promises.js";
import { RESTATE_PROMISE_COMBINATORS, SDK_MODULES } from "../core/sdk.js";
import { exportSpelling } from "../core/spelling.js";
import { promiseCombinator } from "../core/waits.js";

const COMBINABLE_ELEMENT_TYPES: ReadonlySet<string> = new Set(["RestatePromise", "InvocationPromise", "CombineablePromise"]);

type MessageIds =
  | "nativeCombinator"
  | "dynamicCombinator"
  | "mixedCombinator"
  | "notCombinable"
  | "thenOnRestatePromise"
  | "suggestRestateCombinator"
  | "suggestMap"
  | "asyncFanOut"
  | "asyncFanOutSingle"
  | "suggestRestateFanOut";

/** At most 200 characters rendered with either ending: `{{op}}` is at most 21, `{{fix}}` at most 33. */
const FAN_OUT =
  '`Promise.{{method}}` overlaps the items\' `{{op}}`; the SDK waits on one at a time ("awaitNext already pending", retries).';

export default createRule<[], MessageIds>({
  name: "no-native-promise-combinators",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow `Promise.all/race/any/allSettled` and `.then` over Restate promises in durable code",
      recommended: "recommended",
    },
    fixable: "code",
    hasSuggestions: true,
    messages: {
      nativeCombinator: "`Promise.{{method}}` over Restate promises ({{first}}) fails with \"awaitNext already pending\". Use `{{fix}}`.",
      dynamicCombinator: "`Promise.{{method}}` over Restate promises ({{arg}}) fails with \"awaitNext already pending\". Use `{{fix}}` if the array is never empty.",
      mixedCombinator: "`Promise.{{method}}` mixes Restate promises ({{first}}) with `{{plain}}`. Wrap it in `{{ctx}}.run`, then use `{{fix}}`.",
      notCombinable: "`Promise.{{method}}` over Restate promises ({{first}}): `{{element}}` is not one. Make it one, then use `{{fix}}`.",
      thenOnRestatePromise: "`.{{method}}(...)` on the Restate promise `{{promise}}` waits on it at once (\"awaitNext already pending\"). Use `.map(...)`, or `await` it first.",
      suggestRestateCombinator: "Use `{{fix}}` (check that the array is never empty).",
      suggestMap: "Use `.map(...)` (rethrows the failure, like `.then` without a rejection handler).",
      asyncFanOut: `${FAN_OUT} Await them one by one in a \`for...of\`.`,
      asyncFanOutSingle: `${FAN_OUT} Drop \`async\`/\`await\`, use \`{{fix}}\`.`,
      suggestRestateFanOut: "Return `{{op}}` from the callback and use `{{fix}}` (check that the array is never empty).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;
    if (analysis.contexts.length === 0 && !analysis.types) return {};

    return {
      CallExpression(call) {
        const callee = unwrap(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(callee);
        if (method === null) return;
        if (RESTATE_PROMISE_COMBINATORS.has(method)) checkCombinator(call, method);
        else if (THEN_METHODS.has(method)) checkThen(call, callee, method);
      },
    };

    function checkCombinator(call: TSESTree.CallExpression, method: string) {
      const arg = call.arguments[0];
      if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return;
      if (!isNativeCombinator(call) || !analysis.isDurable(call)) return;
      const name = exportSpelling(analysis.imports, sourceCode, call, SDK_MODULES, "RestatePromise", { aliases: ["CombineablePromise"], addImport: true });
      const fix = `${name?.text ?? "RestatePromise"}.${method}`;
      const replaceCallee = (fixer: TSESLint.RuleFixer): TSESLint.RuleFix[] => {
        const fixes = [fixer.replaceText(call.callee, fix)];
        if (name?.importFix) fixes.push(name.importFix(fixer));
        return fixes;
      };
      const list = unwrap(arg);
      if (list.type === AST_NODE_TYPES.ArrayExpression) {
        const elements: { node: TSESTree.Node; source: RestatePromiseSource | null }[] = [];
        let spread: TSESTree.SpreadElement | null = null;
        for (const element of list.elements) {
          if (!element) continue;
          if (element.type === AST_NODE_TYPES.SpreadElement) {
            spread ??= element;
            elements.push({ node: element, source: dynamicSource(analysis, element.argument) });
            continue;
          }
          elements.push({ node: element, source: restatePromiseOf(analysis, element) });
        }
        const restate = elements.filter((e) => e.source);
        if (restate.length === 0) return;
        const first = excerpt(sourceCode, restate[0].node);
        const plain = elements.find((e) => !e.source);
        if (plain) {
          context.report({
            node: call,
            messageId: "mixedCombinator",
            data: { method, first, plain: excerpt(sourceCode, plain.node), fix, ctx: ctxName(analysis, call, restate[0].source!) },
          });
          return;
        }
        const blocked = restate.find((e) => !e.source!.combinable);
        if (blocked) {
          context.report({ node: call, messageId: "notCombinable", data: { method, first, fix, element: excerpt(sourceCode, blocked.node) } });
          return;
        }
        if (spread) {
          context.report({
            node: call,
            messageId: "dynamicCombinator",
            data: { method, arg: excerpt(sourceCode, spread), fix },
            suggest: name ? [{ messageId: "suggestRestateCombinator", data: { fix }, fix: replaceCallee }] : [],
          });
          return;
        }
        context.report({ node: call, messageId: "nativeCombinator", data: { method, first, fix }, fix: name ? replaceCallee : null });
        return;
      }
      const source = dynamicSource(analysis, list);
      if (!source) {
        checkAsyncFanOut(call, method, list, fix, name ? replaceCallee : null);
        return;
      }
      context.report({
        node: call,
        messageId: source.combinable ? "dynamicCombinator" : "notCombinable",
        data: { method, arg: excerpt(sourceCode, list), first: excerpt(sourceCode, list), fix, element: excerpt(sourceCode, list) },
        suggest: name && source.combinable ? [{ messageId: "suggestRestateCombinator", data: { fix }, fix: replaceCallee }] : [],
      });
    }

    /**
     * `Promise.all(items.map(async (item) => { await ctx.run(...); ... }))`: every callback runs up to its first
     * `await` at once, so their journaled operations are waited on side by side.
     */
    function checkAsyncFanOut(
      call: TSESTree.CallExpression,
      method: string,
      list: TSESTree.Node,
      fix: string,
      replaceCallee: ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]) | null,
    ) {
      const callback = fanOutCallback(list);
      if (!callback || !callback.fn.async || callback.fn.generator) return;
      const wait = restateWaitIn(callback.fn);
      if (!wait) return;
      const single = callback.inline ? singleOperation(callback.fn) : null;
      const op = operationText(single ?? wait);
      if (!single) {
        context.report({ node: call, messageId: "asyncFanOut", data: { method, op } });
        return;
      }
      const fn = callback.fn;
      const rewrite = replaceCallee
        ? (fixer: TSESLint.RuleFixer): TSESLint.RuleFix[] => {
            // `async (item) => { return await ctx.run(...); }` → `(item) => ctx.run(...)`
            const asyncToken = sourceCode.getFirstToken(fn)!;
            const head = sourceCode.text.slice(sourceCode.getTokenAfter(asyncToken)!.range[0], fn.body.range[0]); // text for a fix
            return [...replaceCallee(fixer), fixer.replaceText(fn, `${head}${sourceCode.getText(single)}`)];
          }
        : null;
      context.report({
        node: call,
        messageId: "asyncFanOutSingle",
        data: { method, op, fix },
        suggest: rewrite ? [{ messageId: "suggestRestateFanOut", data: { op, fix }, fix: rewrite }] : [],
      });
    }

    /** The callback of `x.map(fn)`, `x.flatMap(fn)`, `Array.from(x, fn)` (through a `const` holding the array). */
    function fanOutCallback(node: TSESTree.Node, depth = 0): { fn: FunctionNode; inline: boolean } | null {
      const target = unwrap(node);
      if (target.type === AST_NODE_TYPES.Identifier) {
        const init = depth < 4 ? constantDefinition(variableOf(sourceCode, target)) : null;
        return init && !isFunction(init) ? fanOutCallback(init, depth + 1) : null;
      }
      const callbackNode = arrayBuilderCallback(analysis, target);
      if (!callbackNode) return null;
      const fn = resolveLocalFunction(sourceCode, callbackNode);
      return fn ? { fn, inline: unwrap(callbackNode) === fn } : null;
    }

    /**
     * The first Restate operation the async function waits on in its own body: an `await`ed or returned Restate
     * promise (a `ctx.run`, a sleep, a call through a context client, ...) or journaled context call (`ctx.get`).
     */
    function restateWaitIn(fn: FunctionNode): TSESTree.Node | null {
      let found: TSESTree.Node | null = null;
      const consider = (expression: TSESTree.Node | null | undefined) => {
        if (found || !expression) return;
        const target = unwrap(expression);
        if (target.type === AST_NODE_TYPES.AwaitExpression) return;
        if (isRestateWait(target)) found = target;
      };
      if (fn.body.type !== AST_NODE_TYPES.BlockStatement) consider(fn.body);
      walkFunctionBody(fn, (node) => {
        if (found) return false;
        if (node.type === AST_NODE_TYPES.AwaitExpression) consider(node.argument);
        else if (node.type === AST_NODE_TYPES.ReturnStatement) consider(node.argument);
      });
      return found;
    }

    function isRestateWait(node: TSESTree.Node): boolean {
      if (!analysis.isDurable(node)) return false;
      if (restatePromiseOf(analysis, node)) return true;
      if (node.type !== AST_NODE_TYPES.CallExpression) return false;
      return analysis.usesWithin(node).some((use) => use.journaled && use.call === node);
    }

    /**
     * The one combinable Restate operation an arrow callback consists of: `async (x) => ctx.run(...)`,
     * `async (x) => await ctx.run(...)`, `async (x) => { return [await] ctx.run(...); }`; null otherwise.
     */
    function singleOperation(fn: FunctionNode): TSESTree.Node | null {
      if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression || fn.returnType || fn.typeParameters) return null;
      let expression: TSESTree.Node | null = null;
      if (fn.body.type !== AST_NODE_TYPES.BlockStatement) expression = fn.body;
      else if (fn.body.body.length === 1 && fn.body.body[0].type === AST_NODE_TYPES.ReturnStatement) expression = fn.body.body[0].argument;
      if (!expression) return null;
      let target = unwrap(expression);
      if (target.type === AST_NODE_TYPES.AwaitExpression) target = unwrap(target.argument);
      if (target.type === AST_NODE_TYPES.ObjectExpression || target.type === AST_NODE_TYPES.SequenceExpression) return null;
      const source = restatePromiseOf(analysis, target);
      return source?.combinable ? target : null;
    }

    /** `ctx.run(…)`, `client.charge(…)`: the operation, short. */
    function operationText(node: TSESTree.Node): string {
      return node.type === AST_NODE_TYPES.CallExpression ? `${excerpt(sourceCode, node.callee, 18)}(…)` : excerpt(sourceCode, node, 21);
    }

    function checkThen(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, method: string) {
      // Only `then` chains on a promise made right here or held in a local are candidates.
      const object = unwrap(callee.object);
      if (object.type !== AST_NODE_TYPES.CallExpression && object.type !== AST_NODE_TYPES.Identifier && object.type !== AST_NODE_TYPES.MemberExpression) return;
      if (!analysis.isDurable(call)) return;
      const source = restatePromiseOf(analysis, object);
      if (!source || source.viaThen) return;
      // `await ctx.run(...).then(f)` (or returning it) waits on that one promise right away, like `await`: fine.
      if (awaitedAtOnce(call)) return;
      // Inside a native combinator over it, the combinator is reported instead.
      if (inNativeCombinator(call)) return;
      const suggestion = mapSuggestion(call, callee, method);
      context.report({
        node: callee.property,
        messageId: "thenOnRestatePromise",
        data: { method, promise: excerpt(sourceCode, object) },
        suggest: suggestion ? [{ messageId: "suggestMap", fix: suggestion }] : [],
      });
    }

    function inNativeCombinator(node: TSESTree.Node): boolean {
      const outer = outermostWrapper(node);
      const array = outer.parent;
      if (array?.type !== AST_NODE_TYPES.ArrayExpression) return false;
      const holder = outermostWrapper(array).parent;
      return holder?.type === AST_NODE_TYPES.CallExpression && holder.arguments[0] === outermostWrapper(array) && isNativeCombinator(holder);
    }

    /** `Promise.all(...)` on the real global `Promise`: `Promise`, `globalThis.Promise`, `const P = Promise`. */
    function isNativeCombinator(call: TSESTree.CallExpression): boolean {
      const verdict = promiseCombinator(sourceCode, analysis, call);
      if (verdict !== null) return verdict === "native";
      const callee = unwrap(call.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const method = memberName(callee);
      if (method === null || !RESTATE_PROMISE_COMBINATORS.has(method)) return false;
      const api = resolveApi(sourceCode, analysis.imports, callee.object);
      return api !== null && api.module === null && api.path.length === 1 && api.path[0] === "Promise";
    }

    /** `.then(f)` → `.map((value, failure) => { if (failure) throw failure; return f(value!); })`. */
    function mapSuggestion(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, method: string) {
      if (method !== "then" || call.arguments.length !== 1 || callee.computed) return null;
      const handler = call.arguments[0];
      if (handler.type === AST_NODE_TYPES.SpreadElement) return null;
      const text = sourceCode.getText(handler);
      const names = ["value", "failure"].map((base) => {
        let name = base;
        while (new RegExp(`\\b${name}\\b`).test(text)) name += "_"; // text for a fix
        return name;
      });
      const [value, failure] = names;
      const fn = isFunction(unwrap(handler)) || handler.type === AST_NODE_TYPES.ConditionalExpression ? `(${text})` : text;
      const replacement = `map((${value}, ${failure}) => { if (${failure}) throw ${failure}; return ${fn}(${value}!); })`;
      return (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange([callee.property.range[0], call.range[1]], replacement);
    }
  },
});

/** Whether a promise-valued call is awaited or returned at once (`await p.then(f)`, `return p.then(f)`, `=> p.then(f)`). */
function awaitedAtOnce(call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = outermostWrapper(call);
  // Through further `.then/.catch/.finally` links of the same chain.
  for (;;) {
    const parent = node.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
      const name = memberName(parent);
      const next = name !== null && THEN_METHODS.has(name) ? callOfCallee(parent) : null;
      if (!next) return false;
      node = outermostWrapper(next);
      continue;
    }
    break;
  }
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.AwaitExpression) return true;
  if (parent?.type === AST_NODE_TYPES.ReturnStatement) return true;
  return parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node;
}

function ctxName(analysis: RestateAnalysis, at: TSESTree.Node, source: RestatePromiseSource): string {
  return source.ctx ?? analysis.contextAt(at)?.name ?? "ctx";
}

/** The callback of an array built per item: `x.map(fn)`, `x.flatMap(fn)`, `Array.from(x, fn)` (the global `Array`). */
function arrayBuilderCallback(analysis: RestateAnalysis, node: TSESTree.Node): TSESTree.Node | null {
  if (node.type !== AST_NODE_TYPES.CallExpression) return null;
  const callee = unwrap(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const method = memberName(callee);
  const [first, second] = node.arguments;
  if ((method === "map" || method === "flatMap") && first && first.type !== AST_NODE_TYPES.SpreadElement) return first;
  if (method !== "from" || !second || second.type === AST_NODE_TYPES.SpreadElement || first?.type === AST_NODE_TYPES.SpreadElement) return null;
  const api = resolveApi(analysis.sourceCode, analysis.imports, callee);
  return api && api.module === null && api.path.length === 2 && api.path[0] === "Array" && api.path[1] === "from" ? second : null;
}

/**
 * An array built from Restate promises whose length the syntax does not tell:
 * `items.map((x) => ctx.run(...))`, a local holding one, a local array that
 * Restate promises are pushed into, or (with types) any array of them.
 */
function dynamicSource(analysis: RestateAnalysis, node: TSESTree.Node, depth = 0): RestatePromiseSource | null {
  if (depth > 8) return null;
  const target = unwrap(node);
  const sourceCode = analysis.sourceCode;
  if (target.type === AST_NODE_TYPES.CallExpression) {
    const callback = arrayBuilderCallback(analysis, target);
    if (callback) {
      const source = callbackReturnsRestatePromise(analysis, callback);
      if (source) return source;
    }
  } else if (target.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, target);
    const init = constantDefinition(variable);
    if (variable && init) {
      if (init.type !== AST_NODE_TYPES.ArrayExpression) {
        const source = dynamicSource(analysis, init, depth + 1);
        if (source) return source;
      } else {
        // `const promises = []; for (...) promises.push(ctx.run(...));`
        let found: RestatePromiseSource | null = null;
        for (const element of init.elements) {
          if (!element || element.type === AST_NODE_TYPES.SpreadElement) continue;
          const source = restatePromiseOf(analysis, element);
          if (!source) return null;
          found ??= source;
        }
        for (const reference of variable.references) {
          const member = outermostWrapper(reference.identifier).parent;
          if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outermostWrapper(reference.identifier)) continue;
          if (memberName(member) !== "push") continue;
          const push = callOfCallee(member);
          if (!push) continue;
          for (const arg of push.arguments) {
            if (arg.type === AST_NODE_TYPES.SpreadElement) return null;
            const source = restatePromiseOf(analysis, arg);
            if (!source) return null;
            found ??= source;
          }
        }
        if (found) return found;
      }
    }
  }
  const types = analysis.types;
  if (!types) return null;
  const elementType = types.safely(() => types.typeOf(target).getNumberIndexType() ?? null, null);
  if (!elementType) return null;
  if (sdkTypeNamed(types, elementType, COMBINABLE_ELEMENT_TYPES)) {
    return { kind: "other", ctx: null, combinable: true, clientFactory: null, viaThen: false };
  }
  return null;
}
