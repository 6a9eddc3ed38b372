import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { getAnalysis } from "../core/analysis.js";
import { enclosingFunction } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { isLazyInitialisation, MutationFinder, type Mutation, type MutationOptions } from "../core/mutation.js";

type MessageIds = "moduleState";

/** Module state is only reported when it is certainly a change: known collections and plain objects, never arbitrary client methods. */
const OPTIONS: MutationOptions = { arrayMethodsOnUnknown: false, propertyWritesOnKnownOnly: true };

export default createRule<[], MessageIds>({
  name: "no-module-state-in-handler",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow changing module-level variables from durable handler code",
      recommended: "strict",
    },
    messages: {
      moduleState:
        "`{{write}}` changes module-level `{{name}}` in durable code. That state lives in one process and is not journaled: a replay of this handler changes it again, and the next call (even for the same key) may run in another process or a fresh Lambda that never saw it. Keep it in Restate state (`{{ctx}}.get`/`{{ctx}}.set` in a virtual object), or compute it inside `{{ctx}}.run` and use the journaled result.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || analysis.contexts.length === 0) return {};
    const sourceCode = context.sourceCode;
    return {
      Program() {
        const scopeManager = sourceCode.scopeManager;
        if (!scopeManager) return;
        const global = scopeManager.globalScope;
        if (!global) return;
        const scopes = [global, ...global.childScopes.filter((scope) => scope.type === "module")];
        const finder = new MutationFinder(sourceCode, analysis.types);
        for (const scope of scopes) {
          for (const variable of scope.variables) {
            if (isModuleState(variable)) check(variable);
          }
        }

        function check(variable: TSESLint.Scope.Variable) {
          const reported = new Set<string>();
          for (const reference of variable.references) {
            if (reference.init) continue;
            const mutation =
              variable.defs[0].type === "ClassName" ? finder.staticFieldMutation(reference, OPTIONS) : finder.mutationOf(reference, OPTIONS);
            if (!mutation || isLazyInitialisation(mutation) || !analysis.isDurable(mutation.node)) continue;
            const name = mutation.field !== null ? `${variable.name}.${mutation.field}` : variable.name;
            // One report per piece of state and function.
            const fn = enclosingFunction(mutation.node);
            const key = `${name}@${fn ? fn.range[0] : -1}`;
            if (reported.has(key)) continue;
            reported.add(key);
            report(mutation, name);
          }
        }

        function report(mutation: Mutation, name: string) {
          context.report({
            node: mutation.node,
            messageId: "moduleState",
            data: { write: excerpt(sourceCode, mutation.node), name, ctx: analysis.contextAt(mutation.node)?.name ?? "ctx" },
          });
        }
      },
    };
  },
});

/**
 * Variables and classes declared at module level in this file. Imports cannot
 * be assigned, functions are code, and `declare`d things are provided from
 * elsewhere (their mutations are that provider's business).
 */
function isModuleState(variable: TSESLint.Scope.Variable): boolean {
  const def = variable.defs[0];
  if (!def) return false;
  if (def.type === "ClassName") return (def.node as TSESTree.ClassDeclaration).declare !== true;
  if (def.type !== "Variable") return false;
  const declaration = def.parent as TSESTree.VariableDeclaration | null;
  return declaration?.declare !== true;
}
