import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis } from "../core/analysis.js";
import { constantValueOf, propertyKeyName, unwrap } from "../core/ast.js";
import { clientCalls } from "../core/calls.js";
import { createRule } from "../core/create-rule.js";
import { SDK_MODULES } from "../core/sdk.js";

type MessageIds = "idempotencyKeyInHandler" | "removeKey";

/** `rpc.opts(...)`, `rpc.sendOpts(...)` and the classes' `from(...)`: paths inside the SDK module. */
const OPTION_BUILDERS = new Set(["rpc.opts", "rpc.sendOpts", "Opts.from", "SendOpts.from"]);
const GENERIC_CALLS = new Set(["genericCall", "genericSend"]);

export default createRule<[], MessageIds>({
  name: "no-idempotency-key-in-handler",
  meta: {
    type: "suggestion",
    docs: {
      description: "Disallow idempotency keys on calls made from inside a Restate handler",
      recommended: "strict",
    },
    hasSuggestions: true,
    messages: {
      idempotencyKeyInHandler:
        "`idempotencyKey` on `{{call}}` is redundant: the call is journaled and never sent twice. Remove it unless you want deduplication across invocations.",
      removeKey: "Remove `idempotencyKey` (retries of this invocation are already deduplicated).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;
    // The cheap first look: an object literal with an `idempotencyKey` property somewhere (collected while ESLint walks the file).
    let keyWritten = false;

    function report(object: TSESTree.ObjectExpression, call: string, editable: boolean) {
      const property = idempotencyKeyProperty(object);
      if (!property) return;
      context.report({
        node: property,
        messageId: "idempotencyKeyInHandler",
        data: { call },
        suggest: editable
          ? [
              {
                messageId: "removeKey",
                fix: (fixer) =>
                  // `{}` for a lone key, unless that would drop comments written inside the braces.
                  object.properties.length === 1 && !sourceCode.commentsExistBetween(sourceCode.getFirstToken(object)!, sourceCode.getLastToken(object)!) // text for a fix
                    ? fixer.replaceText(object, "{}")
                    : fixer.removeRange(removalRange(sourceCode, property)),
              },
            ]
          : [],
      });
    }

    /** The options object of an argument: `rpc.opts({...})` inline or through a local const. */
    function optionsObject(argument: TSESTree.Node): { object: TSESTree.ObjectExpression; editable: boolean } | null {
      let node = unwrap(argument);
      if (node.type === AST_NODE_TYPES.Identifier) {
        const init = constantValueOf(sourceCode, node);
        if (!init) return null;
        node = init;
      }
      if (node.type !== AST_NODE_TYPES.CallExpression) return null;
      const resolved = analysis.imports?.resolve(node.callee);
      if (!resolved || !SDK_MODULES.has(resolved.module) || !OPTION_BUILDERS.has(resolved.path.join("."))) return null;
      const first = node.arguments[0] ? unwrap(node.arguments[0]) : null;
      return first?.type === AST_NODE_TYPES.ObjectExpression ? { object: first, editable: true } : null;
    }

    return {
      Property(node) {
        if (!keyWritten && node.parent.type === AST_NODE_TYPES.ObjectExpression && propertyKeyName(node) === "idempotencyKey") keyWritten = true;
      },
      "Program:exit"() {
        if (!keyWritten) return;
        for (const client of clientCalls(analysis)) {
          for (const argument of client.call.arguments) {
            if (argument.type === AST_NODE_TYPES.SpreadElement) continue;
            const options = optionsObject(argument);
            if (options) report(options.object, `${sourceCode.getText(client.use.node)}(…).${client.method ?? "…"}`, options.editable);
          }
        }
        for (const use of analysis.uses) {
          if (use.member === null || !GENERIC_CALLS.has(use.member) || !use.call) continue;
          const first = use.call.arguments[0] ? unwrap(use.call.arguments[0]) : null;
          if (first?.type === AST_NODE_TYPES.ObjectExpression) report(first, sourceCode.getText(use.node), true);
        }
      },
    };
  },
});

/** The `idempotencyKey` property of an options object, unless its value is `undefined`. */
function idempotencyKeyProperty(object: TSESTree.ObjectExpression): TSESTree.Property | null {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || propertyKeyName(property) !== "idempotencyKey") continue;
    const value = unwrap(property.value);
    if (value.type === AST_NODE_TYPES.Identifier && value.name === "undefined") return null;
    return property;
  }
  return null;
}

/** The property and its comma: the one after it, else the one before it. */
function removalRange(sourceCode: TSESLint.SourceCode, property: TSESTree.Property): TSESTree.Range {
  const after = sourceCode.getTokenAfter(property);
  if (after && ASTUtils.isCommaToken(after)) {
    const next = sourceCode.getTokenAfter(after, { includeComments: true });
    const end = next && next.loc.start.line === after.loc.end.line ? next.range[0] : after.range[1];
    return [property.range[0], end];
  }
  const before = sourceCode.getTokenBefore(property);
  if (before && ASTUtils.isCommaToken(before)) return [before.range[0], property.range[1]];
  return property.range;
}
