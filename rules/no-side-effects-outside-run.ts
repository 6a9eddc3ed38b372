import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { tsApiUtils } from "#ts-api-utils";
import type * as ts from "typescript";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { GLOBAL_OBJECT_NAMES } from "../core/globals.js";
import { enclosingFunction, outermostWrapper, unwrap, type FunctionNode } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { canAwaitAt, reachesOnlyOutput } from "../core/nondeterminism.js";
import { ioEffect, IoMatcher, isChainInner, isClientDerivation, type IoCall } from "./no-side-effects-outside-run/side-effects.js";
import { reportCallThrough } from "../core/related.js";

type Options = [{ modules?: string[]; functions?: string[]; allowModules?: string[] }];
type MessageIds = "ioOutsideRun" | "ioThroughCall" | "suggestRun" | "suggestRunVoid";

export default createRule<Options, MessageIds>({
  name: "no-side-effects-outside-run",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow I/O (HTTP, files, databases, SDK clients) in durable Restate code outside `ctx.run`",
      recommended: "recommended",
    },
    hasSuggestions: true,
    messages: {
      ioOutsideRun:
        "`{{call}}` does I/O outside `{{ctx}}.run`, so it repeats on every replay and retry. Move it into `await {{ctx}}.run(\"{{name}}\", () => …)` and return plain JSON data.",
      ioThroughCall: "`{{call}}` does I/O outside `{{ctx}}.run`: {{chain}}. Call it inside `{{ctx}}.run`.",
      suggestRun: "Wrap it in `await {{ctx}}.run(\"{{name}}\", () => …)`.",
      suggestRunVoid: "Wrap it in `await {{ctx}}.run(\"{{name}}\", …)` (the action returns nothing).",
    },
    schema: [
      {
        type: "object",
        properties: {
          modules: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description:
              'Extra modules whose calls do I/O, by import specifier or `prefix/*` glob (e.g. "./db", "@acme/*"): every call of their exports, and every method of an object constructed from them with `new`.',
          },
          functions: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description:
              'Extra functions that do I/O: the name of an unshadowed global or of an imported export whatever its local alias (e.g. "sendEmail"), or `ns.name` for a member of a namespace or default import `ns`.',
          },
          allowModules: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description:
              'Default I/O modules (or globs, exactly as listed in the docs) not to report, e.g. "fs" for code that only reads bundled files.',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ modules: [], functions: [], allowModules: [] }],
  create(context, [options]) {
    const analysis = getAnalysis(context);
    if (!analysis.active || !analysis.imports) return {};
    const sourceCode = context.sourceCode;
    const matcher = new IoMatcher(sourceCode, analysis.imports, options);
    const types = analysis.types;
    // Files without any I/O import, global `fetch` (or global object to reach it through) or configured function
    // have nothing to report (syntax only).
    if (!types && !matcher.relevant && !reachesGlobalFetch(analysis)) return {};

    const effect = ioEffect(options);

    /** A call of a helper, class method or (typed) function of another file that does I/O. */
    function checkThrough(call: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (inRunOnlyHelper(call)) return;
      reportCallThrough(context, analysis, call, effect, { messageId: "ioThroughCall" }, () => !reachesOnlyOutput(analysis, call));
    }

    function check(call: TSESTree.CallExpression): void {
      if (!mayBeCandidate(call)) return checkThrough(call);
      if (isChainInner(call)) return checkThrough(call);
      if (!analysis.isDurable(call) || inRunOnlyHelper(call)) return;
      let found: IoCall | null = matcher.match(call);
      // A method of what the context gives (a client, a RestatePromise) is the SDK's: no checker query.
      if (!found && types && !analysis.derivesFromContext(call.callee)) found = matcher.typedMatch(types, call);
      // A client kept in a constant (`const producer = kafka.producer()`): its calls are reported instead.
      if (!found) return checkThrough(call);
      if (!found.direct && found.origin === call && isClientDerivation(sourceCode, call)) return;
      // The handler's last step (nothing journaled follows): a failure can only retry it, as a run would,
      // and its result only reaches the output. Restate's database examples do exactly this.
      if (reachesOnlyOutput(analysis, call)) return;
      report(call, found);
    }

    const runOnly = new Map<FunctionNode, boolean>();

    /**
     * Inside a helper that takes the context but is only ever called from
     * `ctx.run` actions in this file (`ctx.run("email", () => sendEmail(ctx, to))`,
     * typically to log through `ctx.console`): its I/O is part of those side
     * effects. (Passing the context into the action is `no-context-in-run`'s
     * business.) Exported helpers may be called from anywhere and stay durable.
     */
    function inRunOnlyHelper(node: TSESTree.Node): boolean {
      let fn = enclosingFunction(node);
      while (fn && analysis.functionInfo(fn).reason === "nested") fn = enclosingFunction(fn);
      if (!fn || analysis.functionInfo(fn).reason !== "context-parameter") return false;
      let result = runOnly.get(fn);
      if (result === undefined) {
        result = calledOnlyFromRuns(fn);
        runOnly.set(fn, result);
      }
      return result;
    }

    function calledOnlyFromRuns(fn: FunctionNode): boolean {
      let declared: TSESTree.Node = fn;
      if (fn.type !== AST_NODE_TYPES.FunctionDeclaration) {
        const parent = outermostWrapper(fn).parent;
        if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
        declared = parent;
      }
      const holder = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.parent : declared.parent?.parent;
      if (holder?.type === AST_NODE_TYPES.ExportNamedDeclaration || holder?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return false;
      const variable = sourceCode.scopeManager?.getDeclaredVariables(declared)[0];
      const references = variable?.references.filter((ref) => !ref.init) ?? [];
      return (
        references.length > 0 &&
        references.every((ref) => {
          const callee = outermostWrapper(ref.identifier);
          const isCall = callee.parent?.type === AST_NODE_TYPES.CallExpression && callee.parent.callee === callee;
          return isCall && analysis.scopeOf(ref.identifier)?.durability === "side-effect";
        })
      );
    }

    /** A cheap syntactic look before any scope, durability or type query. */
    function mayBeCandidate(call: TSESTree.CallExpression): boolean {
      let callee = unwrap(call.callee);
      if (callee.type === AST_NODE_TYPES.SequenceExpression) callee = unwrap(callee.expressions[callee.expressions.length - 1]);
      if (callee.type === AST_NODE_TYPES.Identifier) {
        return callee.name === "fetch" || analysis.imports!.bindingOf(callee) !== undefined || (options.functions?.length ?? 0) > 0;
      }
      return callee.type === AST_NODE_TYPES.MemberExpression;
    }

    function report(call: TSESTree.CallExpression, found: IoCall): void {
      const ctx = analysis.contextAt(call);
      const ctxName = ctx?.name ?? "ctx";
      const name = found.name;
      context.report({
        node: call,
        messageId: "ioOutsideRun",
        data: { call: `${excerpt(sourceCode, calleeText(found.origin), 40)}(…)`, ctx: ctxName, name },
        suggest: ctx ? suggestionsFor(call, ctx.name, name) : [],
      });
    }

    /**
     * `await ctx.run(name, …)` around the call, only where the result stays
     * valid: a discarded result (the action then returns nothing, so a
     * response object never has to be serialised), or, with types, an awaited
     * result that is plain JSON data (strings, numbers, booleans).
     */
    function suggestionsFor(call: TSESTree.CallExpression, ctx: string, name: string): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const target = outermostWrapper(call);
      const text = sourceCode.getText(target);
      const runName = JSON.stringify(name);
      const parent = target.parent;
      if (parent?.type === AST_NODE_TYPES.AwaitExpression && parent.argument === target) {
        if (parent.parent?.type === AST_NODE_TYPES.ExpressionStatement) {
          return [
            {
              messageId: "suggestRunVoid",
              data: { ctx, name },
              fix: (fixer) => fixer.replaceText(target, `${ctx}.run(${runName}, async () => { await ${text}; })`),
            },
          ];
        }
        if (types && isPlainData(types.checker, types.tsNode(call) as ts.Expression)) {
          return [{ messageId: "suggestRun", data: { ctx, name }, fix: (fixer) => fixer.replaceText(target, `${ctx}.run(${runName}, () => ${text})`) }];
        }
        return [];
      }
      if (parent?.type === AST_NODE_TYPES.ExpressionStatement && canAwaitAt(target)) {
        return [
          {
            messageId: "suggestRunVoid",
            data: { ctx, name },
            fix: (fixer) => fixer.replaceText(target, `await ${ctx}.run(${runName}, async () => { await ${text}; })`),
          },
        ];
      }
      return [];
    }

    function isPlainData(checker: ts.TypeChecker, node: ts.Expression): boolean {
      return types!.safely(() => {
        const type = checker.getAwaitedType(checker.getTypeAtLocation(node));
        if (!type) return false;
        return tsApiUtils().unionTypeParts(type).every(
          (part) =>
            tsApiUtils().isIntrinsicStringType(part) ||
            tsApiUtils().isIntrinsicNumberType(part) ||
            tsApiUtils().isIntrinsicBooleanType(part) ||
            tsApiUtils().isIntrinsicVoidType(part) ||
            tsApiUtils().isIntrinsicUndefinedType(part) ||
            tsApiUtils().isIntrinsicNullType(part) ||
            tsApiUtils().isStringLiteralType(part) ||
            tsApiUtils().isNumberLiteralType(part) ||
            tsApiUtils().isBooleanLiteralType(part),
        );
      }, false);
    }

    return { CallExpression: check, NewExpression: checkThrough };
  },
});

/** Whether the file references the global `fetch`, or the global object it can be reached through (`globalThis.fetch`). */
function reachesGlobalFetch(analysis: RestateAnalysis): boolean {
  if (analysis.referencesGlobal("fetch")) return true;
  for (const name of GLOBAL_OBJECT_NAMES) if (analysis.referencesGlobal(name)) return true;
  return false;
}

/** The callee to show in messages: `fetch` for `(0, fetch)(url)`. */
function calleeText(call: TSESTree.CallExpression): TSESTree.Node {
  const callee = unwrap(call.callee);
  return callee.type === AST_NODE_TYPES.SequenceExpression ? callee.expressions[callee.expressions.length - 1] : call.callee;
}
