import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RunCall } from "../core/analysis.js";
import { contains, outermostWrapper, type FunctionNode } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { describeRun, excerpt } from "../core/describe.js";
import { MutationFinder, type Mutation } from "../core/mutation.js";

type MessageIds = "assigned" | "mutated";

export default createRule<[], MessageIds>({
  name: "no-outer-mutation-in-run",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow assigning or mutating variables of the surrounding durable code inside a `ctx.run` action",
      recommended: "recommended",
    },
    messages: {
      assigned:
        "`{{write}}` in {{run}} assigns outer `{{name}}`, which keeps its old value on replay. Return the value and assign the run's result.",
      mutated:
        "`{{write}}` in {{run}} mutates outer `{{name}}`, which stays unchanged on replay. Return the new value and use the run's result.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || analysis.runCalls.length === 0) return {};
    const sourceCode = context.sourceCode;
    return {
      Program() {
        const finder = new MutationFinder(sourceCode, analysis.types);
        const seenActions = new Set<unknown>();
        for (const run of analysis.runCalls) {
          if (!run.action || seenActions.has(run.action)) continue;
          seenActions.add(run.action);
          check(run);
        }

        function check(run: RunCall) {
          const action = run.action!;
          const scope = sourceCode.scopeManager?.acquire(action);
          if (!scope) return;
          // One report per variable and per write (`[a, b] = …` is one report).
          const reported = new Set<TSESLint.Scope.Variable | TSESTree.Node>();
          for (const reference of scope.through) {
            const variable = reference.resolved;
            if (!variable || reported.has(variable) || !declaredInDurableCode(variable)) continue;
            const mutation = finder.mutationOf(reference, { arrayMethodsOnUnknown: true, propertyWritesOnKnownOnly: false });
            if (!mutation || !observable(mutation, action, (node) => analysis.isDurable(node)) || writtenBack(mutation.variable, run)) continue;
            if (reported.has(mutation.node)) continue;
            reported.add(variable);
            reported.add(mutation.node);
            const assigned = mutation.kind === "assignment" || mutation.kind === "update" || mutation.kind === "destructuring";
            context.report({
              node: mutation.node,
              messageId: assigned ? "assigned" : "mutated",
              data: { write: excerpt(sourceCode, mutation.node), name: variable.name, run: describeRun(run) },
            });
          }
        }

        /**
         * Variables of the handler or helper around the action (its locals and
         * parameters). Module-level variables are `no-module-state-in-handler`'s
         * concern only in durable code: a cache filled inside `ctx.run` does not
         * change what the handler's replay does.
         */
        function declaredInDurableCode(variable: TSESLint.Scope.Variable): boolean {
          const scopeType = variable.scope.type;
          if (scopeType === "global" || scopeType === "module") return false;
          const def = variable.defs[0];
          if (!def || def.type === "ImportBinding" || def.type === "ClassName" || def.type === "FunctionName") return false;
          return analysis.isDurable(def.name);
        }
      },
    };
  },
});

/**
 * Whether the change can be seen by the code the replay runs. A mutated
 * object may be reached through other names (a parameter, something returned),
 * so every mutation counts; a reassigned variable only matters when durable
 * code outside this action reads it. (A flag set in one action and read only
 * in a later action is sometimes a deliberate "did this action run now?"
 * probe, as in Restate's two-phase-commit example: not reported.)
 */
function observable(mutation: Mutation, action: FunctionNode, isDurable: (node: TSESTree.Node) => boolean): boolean {
  if (mutation.kind !== "assignment" && mutation.kind !== "update" && mutation.kind !== "destructuring") return true;
  return mutation.variable.references.some(
    (reference) => reference.isRead() && !contains(action, reference.identifier) && isDurable(reference.identifier),
  );
}

/**
 * `lim = await ctx.run(() => { lim.last = now; return lim; })` or
 * `({ lim, r } = await ctx.run(...))`: the variable is overwritten with the
 * journaled result right after the run, on the first execution and on replay
 * alike, so the change inside the action never leaks.
 */
function writtenBack(variable: TSESLint.Scope.Variable, run: RunCall): boolean {
  let result: TSESTree.Node = outermostWrapper(run.call);
  if (result.parent?.type === AST_NODE_TYPES.AwaitExpression) result = outermostWrapper(result.parent);
  const assignment = result.parent;
  if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.right !== result || assignment.operator !== "=") return false;
  return variable.references.some((reference) => reference.isWrite() && contains(assignment.left, reference.identifier));
}
