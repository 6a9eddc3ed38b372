import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis } from "../core/analysis.js";
import { contains, enclosingFunction, isFunction, outermostWrapper, unwrap, walkFunctionBody, type FunctionNode } from "../core/ast.js";
import { clientCalls } from "../core/calls.js";
import { ARRAY_CALLBACK_METHODS } from "../core/globals.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { memberName } from "../core/imports.js";
import { callbackReturnsRestatePromise, contextUseAt, restatePromiseOf, SEND_CLIENT_OF, type RestatePromiseSource } from "../core/promises.js";
import { SDK_MODULES } from "../core/sdk.js";

type MessageIds =
  | "floatingRun"
  | "floatingCall"
  | "floatingWait"
  | "floatingOther"
  | "voidRun"
  | "voidSleep"
  | "droppedCallback"
  | "suggestAwait"
  | "suggestVoidToAwait"
  | "suggestSend";

/** Context members whose work (a run's action, a sleep's wait, `ctx.date.now()`'s run) happens only while the handler awaits it. */
const AWAITED_WORK: ReadonlySet<string> = new Set(["run", "sleep", "date"]);

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
      floatingRun: "`{{promise}}` is never awaited, so its action never runs. Add `await` (or combine it with `RestatePromise.all`).",
      floatingCall:
        "`{{promise}}` is a call nothing awaits. Add `await`, or send a one-way message with `{{ctx}}.{{send}}(...)` if the result is not needed.",
      floatingWait: "`{{promise}}` is never awaited, so it waits for nothing. Add `await`, or remove it.",
      floatingOther:
        "`{{promise}}` is a Restate promise nothing awaits, so a `run` action behind it never runs. Add `await`, or discard it with `void`.",
      voidRun: "`void {{promise}}` never runs the action. Replace `void` with `await`.",
      voidSleep: "`void {{promise}}` waits for nothing: the handler goes straight on. Replace `void` with `await`, or remove it.",
      droppedCallback:
        "`{{receiver}}.{{method}}` drops the callback's promises: `{{op}}` is lost when the handler returns. Use `for...of` with `await`, or `RestatePromise.all(….map(…))`.",
      suggestAwait: "Add `await`.",
      suggestVoidToAwait: "Replace `void` with `await`.",
      suggestSend: "Send a one-way message with `{{ctx}}.{{send}}(...)`.",
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
      UnaryExpression(node) {
        if (node.operator !== "void") return;
        const argument = unwrap(node.argument);
        // Only a promise created right here: a stored one (`void p`) may be awaited elsewhere.
        if (argument.type !== AST_NODE_TYPES.CallExpression) return;
        if (!analysis.isDurable(node)) return;
        const source = restatePromiseOf(analysis, argument);
        // A voided request-response call still reaches its callee (verified on restate-server), as a send would.
        if (!source || source.viaThen || (source.kind !== "run" && source.kind !== "date" && source.kind !== "sleep")) return;
        const fn = enclosingFunction(node);
        const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
        if (fn?.async === true) {
          suggest.push({
            messageId: "suggestVoidToAwait",
            fix: (fixer) => fixer.replaceTextRange([node.range[0], node.range[0] + "void".length], "await"),
          });
        }
        context.report({
          node,
          messageId: source.kind === "sleep" ? "voidSleep" : "voidRun",
          data: { promise: excerpt(sourceCode, argument, 50) },
          suggest,
        });
      },
      CallExpression(call) {
        const callee = unwrap(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(callee);
        if (method === null) return;
        // forEach always drops the callback's promise; the others only when their own result is dropped.
        if (method !== "forEach") {
          if (!ARRAY_CALLBACK_METHODS.has(method)) return;
          const holder = outermostWrapper(call).parent;
          if (holder?.type !== AST_NODE_TYPES.ExpressionStatement) return;
        }
        const callback = call.arguments[0] ? unwrap(call.arguments[0]) : null;
        if (!callback || !isFunction(callback)) return;
        if (!analysis.isDurable(call)) return;
        // `ctx.run(...).map(fn)` is RestatePromise.map, not an array method.
        if (restatePromiseOf(analysis, callee.object)) return;
        const op = lostWork(callback);
        if (!op) return;
        context.report({
          node: callee.property,
          messageId: "droppedCallback",
          data: { receiver: excerpt(sourceCode, callee.object, 24), method, op: opLabel(op) },
        });
      },
    };

    /** `ctx.run(…)` for a call, else a short excerpt. */
    function opLabel(op: TSESTree.Node): string {
      return op.type === AST_NODE_TYPES.CallExpression ? `${excerpt(sourceCode, op.callee, 30)}(…)` : excerpt(sourceCode, op, 30);
    }

    /**
     * The first journaled operation of an array callback whose work is lost when
     * the callback's promise is dropped: a run, sleep or `ctx.date.now()` (their
     * work happens only while awaited), or any journaled operation after the
     * callback's first `await` (it would run after the handler returned).
     * Operations before the first `await` other than those run synchronously
     * and are journaled, so they are not lost.
     */
    function lostWork(callback: FunctionNode): TSESTree.Node | null {
      if (!callback.async) {
        if (callback.generator) return null;
        const returned = callbackReturnsRestatePromise(analysis, callback);
        if (!returned || (returned.kind !== "run" && returned.kind !== "sleep" && returned.kind !== "date")) return null;
        return callback.body.type === AST_NODE_TYPES.BlockStatement ? callback : callback.body;
      }
      const firstAwait = firstAwaitIn(callback);
      const ops: TSESTree.Node[] = [];
      for (const use of analysis.usesWithin(callback)) {
        if (!use.journaled || !use.call || enclosingFunction(use.node) !== callback) continue;
        if (use.member !== null && AWAITED_WORK.has(use.member)) {
          // A run or sleep written as a statement of its own is reported as floating itself.
          if (outermostWrapper(use.call).parent?.type === AST_NODE_TYPES.ExpressionStatement) continue;
          return use.call;
        }
        ops.push(use.call);
      }
      for (const client of clientCalls(analysis)) {
        if (contains(callback, client.call) && enclosingFunction(client.call) === callback) ops.push(client.call);
      }
      if (!firstAwait) return null;
      ops.sort((a, b) => a.range[0] - b.range[0]);
      return ops.find((op) => op.range[0] >= firstAwait.range[1]) ?? null;
    }

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

/** The first `await` (or `for await`) directly in `fn`, by source position. */
function firstAwaitIn(fn: FunctionNode): TSESTree.Node | null {
  let first: TSESTree.Node | null = null;
  walkFunctionBody(fn, (node) => {
    if (first) return false; // the walk is in source order: the first one found is the first
    if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) first = node;
  });
  return first;
}

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
