import { AST_NODE_TYPES, type TSESLint } from "@typescript-eslint/utils";
import { getAnalysis } from "../core/analysis.js";
import { unwrap } from "../core/ast.js";
import { clientCalls, handlerOf, isWaitedFor, ownKey, targetsComponent, type ClientCall } from "../core/calls.js";
import { createRule } from "../core/create-rule.js";

type MessageIds = "selfDeadlock" | "useSendClient";

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
        "`{{handler}}` of `{{component}}` waits for `{{call}}`, an exclusive handler of the same {{what}} with the same key (`{{key}}`). That call cannot start before `{{handler}}` finishes ({{why}}), and `{{handler}}` waits for it: neither ever completes, and nothing detects the deadlock. If the result is not needed, use `{{ctx}}.{{send}}(...)` instead; otherwise call the logic directly as a local function.",
      useSendClient:
        "Send `{{call}}` with `{{ctx}}.{{send}}(...)` instead of waiting for it: it then runs after `{{handler}}` releases the lock.",
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
  const keyword: [number, number] = [waiting.range[0], client.call.range[0]];
  if (!/^await\s+$/.test(sourceCode.text.slice(keyword[0], keyword[1]))) return null;
  const property = factory.property;
  return (fixer) => [fixer.removeRange(keyword), fixer.replaceText(property, send)];
}
