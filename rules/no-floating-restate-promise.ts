import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis } from "../core/analysis.js";
import { enclosingFunction, unwrap } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { memberName } from "../core/imports.js";
import { contextUseAt, restatePromiseOf, SEND_CLIENT_OF, type RestatePromiseSource } from "../core/promises.js";
import { SDK_MODULES } from "../core/sdk.js";

type MessageIds = "floatingRun" | "floatingCall" | "floatingWait" | "floatingOther" | "suggestAwait" | "suggestSend";

export default createRule<[], MessageIds>({
  name: "no-floating-restate-promise",
  meta: {
    type: "problem",
    docs: {
      description: "Require Restate promises in durable code to be awaited, returned, combined or stored",
      recommended: "recommended",
    },
    hasSuggestions: true,
    messages: {
      floatingRun:
        "`{{promise}}` is never awaited. The SDK runs a `run` action only while the handler awaits it: as written the action never executes (no retries, no result, no error) and the handler finishes without the side effect. Add `await` (or combine it with `RestatePromise.all`).",
      floatingCall:
        "`{{promise}}` is a request-response call that nothing awaits: Restate still invokes the handler, but this handler never sees its result or its failure and may finish before it. If you do not need the result, make it a one-way message with `{{ctx}}.{{send}}(...)`; otherwise add `await`.",
      floatingWait:
        "`{{promise}}` is never awaited, so it waits for nothing: the handler goes straight on (and the value, if any, is lost). Add `await`, or remove it.",
      floatingOther:
        "`{{promise}}` is a Restate promise that nothing awaits: any `run` action behind it never executes (the SDK runs actions only while the handler awaits them), and the handler goes on without waiting for the rest. Add `await`, or discard it explicitly with `void`.",
      suggestAwait: "Add `await`.",
      suggestSend: "Send a one-way message with `{{ctx}}.{{send}}(...)` (the result is not needed).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;
    const types = analysis.types;
    if (analysis.contexts.length === 0 && !types) return {};

    return {
      ExpressionStatement(statement) {
        const expression = floatingPart(statement.expression);
        if (!expression) return;
        // Cheap syntactic screen before any analysis: without types only calls and `x.promise` can be Restate promises.
        if (!types && expression.type !== AST_NODE_TYPES.CallExpression && expression.type !== AST_NODE_TYPES.MemberExpression) return;
        if (!analysis.isDurable(statement)) return;
        const source = restatePromiseOf(analysis, expression);
        if (!source || source.viaThen) return;
        report(statement, expression, source);
      },
    };

    function report(statement: TSESTree.ExpressionStatement, expression: TSESTree.Node, source: RestatePromiseSource) {
      const promise = excerpt(sourceCode, expression, 60);
      const fn = enclosingFunction(statement);
      const canAwait = fn?.async === true && unwrap(statement.expression) === expression;
      const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
      const send = source.kind === "call" ? sendSuggestion(source) : null;
      if (send) suggest.push(send);
      if (canAwait) suggest.push({ messageId: "suggestAwait", fix: (fixer) => fixer.insertTextBefore(expression, "await ") });
      const ctx = source.ctx ?? analysis.contextAt(statement)?.name ?? "ctx";
      const factoryMember = source.clientFactory ? factoryName(source.clientFactory) : null;
      context.report({
        node: expression,
        messageId: source.kind === "run" ? "floatingRun" : source.kind === "call" ? "floatingCall" : source.kind === "other" ? "floatingOther" : "floatingWait",
        data: { promise, ctx, send: factoryMember ? SEND_CLIENT_OF.get(factoryMember)! : "objectSendClient" },
        suggest,
      });
    }

    function sendSuggestion(source: RestatePromiseSource): TSESLint.SuggestionReportDescriptor<MessageIds> | null {
      const factory = source.clientFactory;
      if (!factory) return null;
      const callee = unwrap(factory.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return null;
      const member = factoryName(factory);
      const send = member ? SEND_CLIENT_OF.get(member) : undefined;
      if (!send) return null;
      // The handler call: call options (`rpc.opts(...)`) do not fit a send client (`rpc.sendOpts(...)`).
      const holder = factory.parent?.parent;
      const call = holder ? unwrap(holder) : null;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.arguments.some((arg) => isCallOptions(arg))) return null;
      const ctx = source.ctx ?? "ctx";
      return { messageId: "suggestSend", data: { ctx, send }, fix: (fixer) => fixer.replaceText(callee.property, send) };
    }

    /** `rpc.opts(...)` / `restate.rpc.opts(...)` from the SDK, or anything not obviously plain data. */
    function isCallOptions(arg: TSESTree.Node): boolean {
      const node = unwrap(arg);
      if (node.type !== AST_NODE_TYPES.CallExpression) return false;
      const resolved = analysis.imports?.resolve(unwrap(node.callee));
      if (resolved && SDK_MODULES.has(resolved.module)) return resolved.path[resolved.path.length - 1] === "opts";
      const callee = unwrap(node.callee);
      return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === "opts";
    }

    function factoryName(factory: TSESTree.CallExpression): string | null {
      const use = contextUseAt(analysis, unwrap(factory.callee));
      return use?.member ?? null;
    }
  },
});

/**
 * The part of a statement's expression whose value is dropped: the whole
 * expression, the last of a sequence, the right side of `a && b` / `a || b` /
 * `a ?? b`. Null for `void x`, assignments, bare identifiers and others.
 */
function floatingPart(expression: TSESTree.Expression): TSESTree.Node | null {
  const node = unwrap(expression);
  switch (node.type) {
    case AST_NODE_TYPES.SequenceExpression:
      return floatingPart(node.expressions[node.expressions.length - 1]);
    case AST_NODE_TYPES.LogicalExpression:
      return floatingPart(node.right);
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.MemberExpression:
      return node;
    default:
      return null;
  }
}
