import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { RunCall } from "./analysis.js";

/** `ctx.run("charge card")` or `ctx.run(...)`, in the user's own names, for messages. */
export function describeRun(run: RunCall): string {
  return run.name !== null ? `${run.binding.name}.run(${JSON.stringify(run.name)})` : `${run.binding.name}.run(...)`;
}

/** A short source excerpt for messages: whole when short, elided otherwise. */
export function excerpt(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, max = 40): string {
  const text = sourceCode.getText(node).replace(/\s+/g, " ");
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The name a call is made through: `charge` for `charge(x)`, `billing.charge` for `billing.charge(x)`. */
export function calleeName(sourceCode: TSESLint.SourceCode, call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const callee = call.callee;
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return excerpt(sourceCode, callee, 30);
}
