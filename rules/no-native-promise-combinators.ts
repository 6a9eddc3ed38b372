import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { callOfCallee, constantDefinition, isFunction, outermostWrapper, unwrap, variableOf } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
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
  | "suggestMap";

const AWAIT_NEXT =
  'Restate can wait on only one thing at a time per handler: `Promise.{{method}}` makes every promise wait on its own, so the attempt fails with "awaitNext already pending" (over several `ctx.run`s that take different times, on every retry, forever)';

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
      nativeCombinator: `\`Promise.{{method}}\` over Restate promises ({{first}}). ${AWAIT_NEXT}. Use \`{{fix}}\`, which waits on them as one journaled step.`,
      dynamicCombinator: `\`Promise.{{method}}\` over Restate promises ({{arg}}). ${AWAIT_NEXT}. Use \`{{fix}}\` — but make sure the array is never empty: \`{{fix}}([])\` throws, while \`Promise.{{method}}([])\` resolves.`,
      mixedCombinator: `\`Promise.{{method}}\` mixes Restate promises ({{first}}) with \`{{plain}}\`, which is not one. ${AWAIT_NEXT}. \`{{fix}}\` accepts only Restate promises: wrap the other work in \`{{ctx}}.run(...)\` and combine them with \`{{fix}}\`.`,
      notCombinable: `\`Promise.{{method}}\` over Restate promises ({{first}}). ${AWAIT_NEXT}. Use \`{{fix}}\`, after making \`{{element}}\` a Restate promise: \`.get()\` for a durable promise, \`.map(...)\` instead of \`.then(...)\`, and \`await\` \`ctx.date.now()\` before combining.`,
      thenOnRestatePromise:
        "`.{{method}}(...)` on the Restate promise `{{promise}}` starts waiting on it at once, outside the handler's own `await`: if the handler awaits any other Restate operation meanwhile (or combines several), the SDK waits on two things at the same time and the attempt fails with \"awaitNext already pending\". Use `.map(...)`, which runs only when the result is awaited, or `await` it first.",
      suggestRestateCombinator: "Use `{{fix}}` (check that the array is never empty).",
      suggestMap: "Use `.map(...)` (rethrows the failure, like `.then` without a rejection handler).",
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
      if (promiseCombinator(sourceCode, analysis, call) !== "native" || !analysis.isDurable(call)) return;
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
      if (!source) return;
      context.report({
        node: call,
        messageId: source.combinable ? "dynamicCombinator" : "notCombinable",
        data: { method, arg: excerpt(sourceCode, list), first: excerpt(sourceCode, list), fix, element: excerpt(sourceCode, list) },
        suggest: name && source.combinable ? [{ messageId: "suggestRestateCombinator", data: { fix }, fix: replaceCallee }] : [],
      });
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
      return holder?.type === AST_NODE_TYPES.CallExpression && holder.arguments[0] === outermostWrapper(array) && promiseCombinator(sourceCode, analysis, holder) === "native";
    }

    /** `.then(f)` → `.map((value, failure) => { if (failure) throw failure; return f(value!); })`. */
    function mapSuggestion(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, method: string) {
      if (method !== "then" || call.arguments.length !== 1 || callee.computed) return null;
      const handler = call.arguments[0];
      if (handler.type === AST_NODE_TYPES.SpreadElement) return null;
      const text = sourceCode.getText(handler);
      const names = ["value", "failure"].map((base) => {
        let name = base;
        while (new RegExp(`\\b${name}\\b`).test(text)) name += "_";
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
    const callee = unwrap(target.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === "map" && target.arguments[0]) {
      const source = callbackReturnsRestatePromise(analysis, target.arguments[0]);
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
