import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type ContextUse, type RunCall } from "../core/analysis.js";
import { contains } from "../core/ast.js";
import { memberName } from "../core/imports.js";
import { createRule } from "../core/create-rule.js";
import { calleeName, describeRun } from "../core/describe.js";

type MessageIds = "nestedOperation" | "stateRead" | "stateWrite" | "randomInRun" | "contextPassed";

const STATE_READS = new Set(["get", "stateKeys"]);
const STATE_WRITES = new Set(["set", "clear", "clearAll"]);

function messageFor(use: ContextUse): MessageIds {
  if (use.passed) return "contextPassed";
  if (use.member === "rand") return "randomInRun";
  if (STATE_READS.has(use.member!)) return "stateRead";
  if (STATE_WRITES.has(use.member!)) return "stateWrite";
  return "nestedOperation";
}

export default createRule<[], MessageIds>({
  name: "no-context-in-run",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow journaled use of the enclosing Restate context inside a `ctx.run` action",
      recommended: "recommended",
    },
    messages: {
      nestedOperation:
        "`{{ctx}}.{{member}}` is a journaled operation inside the action of {{run}}. Do it before or after {{run}} and pass the result in.",
      stateRead: "`{{ctx}}.{{member}}` reads state inside the action of {{run}}. Read it before {{run}} and use the value in the action.",
      stateWrite:
        "`{{ctx}}.{{member}}` writes state inside the action of {{run}}. Return the value from the action and write it after `await {{run}}`.",
      randomInRun:
        "`{{ctx}}.{{member}}` inside the action of {{run}} changes later `{{ctx}}.rand` values on replay. Draw the value before {{run}} and capture it.",
      contextPassed: "`{{ctx}}` is passed to `{{callee}}` inside the action of {{run}}. Pass the plain values it needs instead.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || analysis.runCalls.length === 0) return {};
    return {
      Program() {
        const reported = new Set<ContextUse>();
        for (const run of analysis.runCalls) {
          if (run.action) check(run, run.action);
        }
        function check(run: RunCall, action: TSESTree.Node) {
          for (const use of analysis.usesWithin(action)) {
            // A context declared inside the action (rare, e.g. a nested handler) is not the enclosing one.
            if (reported.has(use) || contains(action, use.binding.fn)) continue;
            if (!use.journaled && !use.passed) continue;
            reported.add(use);
            const holder = use.passed ? passedTo(use.identifier) : null;
            context.report({
              node: use.node,
              messageId: messageFor(use),
              data: {
                ctx: use.binding.name,
                member: memberText(use),
                run: describeRun(run),
                callee: holder ? calleeName(context.sourceCode, holder) : "another function",
              },
            });
          }
        }
      },
    };
  },
});

/** `date.now()` for `ctx.date.now()`, `rand.uuidv4()` for `ctx.rand.uuidv4()`, else the member itself. */
function memberText(use: ContextUse): string {
  const member = use.member ?? "";
  if ((member === "rand" || member === "date") && use.call?.callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = memberName(use.call.callee);
    if (method) return `${member}.${method}()`;
  }
  return member;
}

function passedTo(node: TSESTree.Node): TSESTree.CallExpression | TSESTree.NewExpression | null {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CallExpression || current.type === AST_NODE_TYPES.NewExpression) return current;
  }
  return null;
}
