import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { enclosingFunction } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { isLazyInitialisation, MutationFinder, type Mutation, type MutationOptions } from "../core/mutation.js";
import { reportCallThrough } from "../core/related.js";
import { excerpt } from "../core/describe.js";
import type { Effect } from "../core/summaries.js";

type MessageIds = "moduleState" | "moduleStateThroughCall";

/** Module state is only reported when it is certainly a change: known collections and plain objects, never arbitrary client methods. */
const OPTIONS: MutationOptions = { arrayMethodsOnUnknown: false, propertyWritesOnKnownOnly: true };

/** A change to module-level state of a file: the mutation, and the state's name (`cache`, `Metrics.calls`). */
export interface ModuleStateWrite {
  readonly mutation: Mutation;
  readonly name: string;
}

interface ModuleStateWrites {
  /** Every write, by variable and then in source order. */
  readonly list: readonly ModuleStateWrite[];
  /** The first write of each node (the call, assignment or update). */
  readonly byNode: ReadonlyMap<TSESTree.Node, ModuleStateWrite>;
}

const writesPerFile = new WeakMap<RestateAnalysis, ModuleStateWrites>();

/**
 * Every change to the module-level variables and static class fields of
 * `analysis`'s file, anywhere in that file (module code, handlers, plain
 * helpers), except lazy initialisations (`client ??= new Client()`): what the
 * rule reports in durable code, and what a helper's call reaches. Computed
 * once per file from the scope manager's references.
 */
export function moduleStateWrites(analysis: RestateAnalysis): ModuleStateWrites {
  let writes = writesPerFile.get(analysis);
  if (!writes) {
    writes = findModuleStateWrites(analysis);
    writesPerFile.set(analysis, writes);
  }
  return writes;
}

function findModuleStateWrites(analysis: RestateAnalysis): ModuleStateWrites {
  const list: ModuleStateWrite[] = [];
  const byNode = new Map<TSESTree.Node, ModuleStateWrite>();
  const global = analysis.sourceCode.scopeManager?.globalScope;
  if (!global) return { list, byNode };
  const scopes = [global, ...global.childScopes.filter((scope) => scope.type === "module")];
  const finder = new MutationFinder(analysis.sourceCode, analysis.types);
  for (const scope of scopes) {
    for (const variable of scope.variables) {
      if (!isModuleState(variable)) continue;
      const isClass = variable.defs[0].type === "ClassName";
      for (const reference of isClass ? classReferences(analysis, variable) : variable.references) {
        if (reference.init) continue;
        const mutation = isClass ? finder.staticFieldMutation(reference, OPTIONS) : finder.mutationOf(reference, OPTIONS);
        if (!mutation || isLazyInitialisation(mutation)) continue;
        const write = { mutation, name: mutation.field !== null ? `${variable.name}.${mutation.field}` : variable.name };
        list.push(write);
        if (!byNode.has(mutation.node)) byNode.set(mutation.node, write);
      }
    }
  }
  return { list, byNode };
}

/**
 * The references to a module-level class: from outside it, and through its
 * own name inside its body (`static bump() { Metrics.calls++; }`), which the
 * scope manager binds to the class scope's own variable of the same name.
 */
function classReferences(analysis: RestateAnalysis, variable: TSESLint.Scope.Variable): TSESLint.Scope.Reference[] {
  const node = variable.defs[0].node;
  const inner = analysis.sourceCode.scopeManager?.acquire(node)?.set.get(variable.name);
  return inner && inner !== variable ? [...variable.references, ...inner.references] : [...variable.references];
}

/**
 * Module state as an effect of calling a function (core/summaries.ts): a
 * plain helper that changes module-level state of its own file, called from
 * durable code. Helpers that take the context are durable code themselves and
 * reported where they write.
 */
export const moduleStateEffect: Effect = {
  id: "module-state",
  throughDurable: false,
  sink(node, analysis) {
    const write = moduleStateWrites(analysis).byNode.get(node);
    return write ? { label: excerpt(analysis.sourceCode, write.mutation.node, 30), data: write.name } : null;
  },
};

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
        "`{{write}}` changes module-level `{{name}}`: per-process, not journaled. Keep it in Restate state (`{{ctx}}.get`/`{{ctx}}.set`) or compute it in `{{ctx}}.run`.",
      moduleStateThroughCall:
        "`{{call}}` changes module-level state that is not journaled: {{chain}}. Keep it in Restate state, or call it in `{{ctx}}.run`.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || analysis.contexts.length === 0) return {};
    const sourceCode = context.sourceCode;

    /** A call of a plain helper (local, a class's or object's method, or with types another file's) that changes module state. */
    function checkThrough(call: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (moduleStateWrites(analysis).byNode.has(call)) return; // a write itself (`cache.set(…)`): reported as such
      reportCallThrough(context, analysis, call, moduleStateEffect, { messageId: "moduleStateThroughCall" });
    }

    return {
      Program() {
        // One report per piece of state and function.
        const reported = new Set<string>();
        for (const { mutation, name } of moduleStateWrites(analysis).list) {
          if (!analysis.isDurable(mutation.node)) continue;
          const fn = enclosingFunction(mutation.node);
          const key = `${name}@${fn ? fn.range[0] : -1}`;
          if (reported.has(key)) continue;
          reported.add(key);
          report(mutation, name);
        }
      },
      CallExpression: checkThrough,
      NewExpression: checkThrough,
    };

    function report(mutation: Mutation, name: string) {
      context.report({
        node: mutation.node,
        messageId: "moduleState",
        data: { write: excerpt(sourceCode, mutation.node), name, ctx: analysis.contextAt(mutation.node)?.name ?? "ctx" },
      });
    }
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
