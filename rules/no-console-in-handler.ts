import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type ContextBinding, type RestateAnalysis } from "../core/analysis.js";
import { constantBinding, outermostWrapper, unwrap, variableOf } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { GLOBAL_OBJECT_NAMES, globalHeadNode, resolveApi } from "../core/globals.js";
import { reportCallThrough } from "../core/related.js";
import type { Effect } from "../core/summaries.js";

type MessageIds = "consoleCall" | "consoleCallNoContext" | "consoleUnfixable" | "consoleDestructured" | "consoleThroughCall";

/**
 * The methods `ctx.console` overrides with replay-aware loggers (the SDK's
 * `createLogger` builds `Object.create(console, { trace, debug, info, log, warn, error })`):
 * only these are silenced while the invocation replays.
 */
const REPLAY_AWARE_METHODS: ReadonlySet<string> = new Set(["log", "info", "warn", "error", "debug", "trace"]);

/**
 * Other `Console` methods that print. `ctx.console` inherits them from the
 * global console unchanged, so switching to it would not help: reported without a fix.
 * Methods that print nothing (`time`, `countReset`, `groupEnd`, `clear`, `profile`, ...) are not reported.
 */
const OTHER_PRINTING_METHODS: ReadonlySet<string> = new Set([
  "dir",
  "dirxml",
  "table",
  "timeEnd",
  "timeLog",
  "count",
  "group",
  "groupCollapsed",
  "assert",
]);

/** Whether `node` (`console`, `globalThis.console`) is the global console in `analysis`'s file. */
function isGlobalConsole(node: TSESTree.Node, analysis: RestateAnalysis): boolean {
  const reference = resolveApi(analysis.sourceCode, analysis.imports, node);
  return reference !== null && reference.module === null && reference.path.length === 1 && reference.path[0] === "console";
}

/** The method name of `console.log` / `console["log"]`, or null. */
function methodName(node: TSESTree.MemberExpression): string | null {
  if (node.computed) return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === "string" ? node.property.value : null;
  return node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : null;
}

/**
 * The global console's printing method `call` calls, in `analysis`'s file
 * (which may be another file than the one being linted): `console.log(…)`,
 * `globalThis.console.table(…)`, or `log(…)` taken by `const { log } = console`
 * (the methods the rule reports in a destructuring). The label is how the
 * call reads (`console.log`); null for anything else.
 */
export function consoleCall(call: TSESTree.CallExpression, analysis: RestateAnalysis): { label: string; method: string } | null {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const object = unwrap(callee.object);
    const objectName =
      object.type === AST_NODE_TYPES.Identifier
        ? object.name
        : object.type === AST_NODE_TYPES.MemberExpression && memberIs(object, "console")
          ? "console"
          : null;
    if (objectName !== "console") return null;
    const method = methodName(callee);
    if (method === null || (!REPLAY_AWARE_METHODS.has(method) && !OTHER_PRINTING_METHODS.has(method))) return null;
    if (!isGlobalConsole(callee.object, analysis)) return null;
    return { label: `${analysis.sourceCode.getText(object).replace(/\s+/g, "")}.${method}`, method };
  }
  // `const { log } = console; log(…)`, under any local name (`{ log: print }`), in a file that reaches the global console at all.
  if (callee.type !== AST_NODE_TYPES.Identifier || !reachesGlobalConsole(analysis)) return null;
  const binding = constantBinding(variableOf(analysis.sourceCode, callee));
  if (!binding || binding.path.length !== 1 || !REPLAY_AWARE_METHODS.has(binding.path[0])) return null;
  if (!isGlobalConsole(binding.init, analysis)) return null;
  return { label: callee.name, method: binding.path[0] };
}

/** Whether the file references the global `console`, or the global object it can be reached through (`globalThis.console`). */
function reachesGlobalConsole(analysis: RestateAnalysis): boolean {
  if (analysis.referencesGlobal("console")) return true;
  for (const name of GLOBAL_OBJECT_NAMES) if (analysis.referencesGlobal(name)) return true;
  return false;
}

/**
 * The global console as an effect of calling a function (core/summaries.ts):
 * a plain helper that logs, called from durable code. Helpers that take the
 * context are durable code themselves and reported where they log.
 */
export const consoleEffect: Effect = {
  id: "global-console",
  throughDurable: false,
  sink(node, analysis) {
    if (node.type !== AST_NODE_TYPES.CallExpression) return null;
    const found = consoleCall(node, analysis);
    return found ? { label: found.label } : null;
  },
};

export default createRule<[], MessageIds>({
  name: "no-console-in-handler",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow the global `console` in durable handler code; log with `ctx.console`",
      recommended: "strict",
    },
    fixable: "code",
    messages: {
      consoleCall: "`{{call}}` prints again on every replay. Use `{{ctx}}.console.{{method}}(...)`, which is silent during replay.",
      consoleCallNoContext:
        "`{{call}}` prints again on every replay. Pass the Restate context in and log with `ctx.console.{{method}}(...)`.",
      consoleUnfixable:
        "`{{call}}` prints again on every replay, and `{{ctx}}.console` does not silence `{{method}}`. Log a formatted value with `{{ctx}}.console.log(...)` instead.",
      consoleThroughCall:
        "`{{call}}` logs with the global console on every replay: {{chain}}. Log with `{{ctx}}.console` instead.",
      consoleDestructured:
        "`{{names}}` from the global `console` print again on every replay. Take them from the context: `const { {{names}} } = {{ctx}}.console`.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;

    /** The global console behind `node` (`console`, `globalThis.console`), as the node to replace; null otherwise. */
    function globalConsole(node: TSESTree.Node): TSESTree.Node | null {
      const reference = resolveApi(sourceCode, analysis.imports, node);
      if (!reference || reference.module !== null || reference.path.length !== 1 || reference.path[0] !== "console") return null;
      return globalHeadNode(node, reference);
    }

    /** The context usable by its own name at `node`, if any (double-checked against shadowing). */
    function usableContext(node: TSESTree.Node): ContextBinding | null {
      const binding = analysis.contextAt(node);
      if (!binding) return null;
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), binding.name);
      return variable === binding.variable ? binding : null;
    }

    /** Whether the context may be undefined or null: an optional parameter, a `| undefined` annotation, or (with types) a nullable type. */
    function mayBeNullish(binding: ContextBinding): boolean {
      const declared = binding.variable.defs[0]?.name;
      if (declared?.type === AST_NODE_TYPES.Identifier) {
        if (declared.optional) return true;
        const annotation = declared.typeAnnotation?.typeAnnotation;
        if (annotation?.type === AST_NODE_TYPES.TSUnionType && annotation.types.some((t) => t.type === AST_NODE_TYPES.TSUndefinedKeyword || t.type === AST_NODE_TYPES.TSNullKeyword)) {
          return true;
        }
      }
      if (binding.aliasOf && mayBeNullish(binding.aliasOf)) return true;
      const types = analysis.types;
      if (!types || !declared) return false;
      return types.safely(() => {
        const type = types.typeOf(declared);
        return types.checker.getNonNullableType(type) !== type;
      }, true);
    }

    /** A call of a plain helper (local, a class's or object's method, or with types another file's) that logs with the global console. */
    function checkThrough(call: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (call.type === AST_NODE_TYPES.CallExpression && consoleCall(call, analysis)) return; // reported as itself
      reportCallThrough(context, analysis, call, consoleEffect, { messageId: "consoleThroughCall" });
    }

    return {
      CallExpression: checkThrough,
      NewExpression: checkThrough,
      MemberExpression(node) {
        // Cheap syntactic filter first: the object must end in the name `console`.
        const object = unwrap(node.object);
        const objectName =
          object.type === AST_NODE_TYPES.Identifier
            ? object.name
            : object.type === AST_NODE_TYPES.MemberExpression && !object.computed && object.property.type === AST_NODE_TYPES.Identifier
              ? object.property.name
              : null;
        if (objectName !== "console") return;
        const outer = outermostWrapper(node);
        const call = outer.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== outer) return;
        const method = node.computed
          ? node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === "string"
            ? node.property.value
            : null
          : node.property.type === AST_NODE_TYPES.Identifier
            ? node.property.name
            : null;
        if (method === null) return;
        const replayAware = REPLAY_AWARE_METHODS.has(method);
        if (!replayAware && !OTHER_PRINTING_METHODS.has(method)) return;
        const head = globalConsole(node.object);
        if (!head || !analysis.isDurable(node)) return;
        const callText = `${sourceCode.getText(unwrap(node.object))}.${method}`;
        const binding = usableContext(node);
        if (!replayAware) {
          context.report({ node, messageId: "consoleUnfixable", data: { call: callText, method, ctx: binding?.name ?? "ctx" } });
          return;
        }
        if (!binding) {
          context.report({ node, messageId: "consoleCallNoContext", data: { call: callText, method } });
          return;
        }
        context.report({
          node,
          messageId: "consoleCall",
          data: { call: callText, method, ctx: binding.name },
          // `ctx?: Context`: `ctx.console` would not type-check (and `ctx?.console` would log nothing): no autofix.
          fix: mayBeNullish(binding) ? null : (fixer: TSESLint.RuleFixer) => fixer.replaceText(head, `${binding.name}.console`),
        });
      },
      VariableDeclarator(node) {
        // `const { log, error } = console`: the functions print just like `console.log`.
        if (node.id.type !== AST_NODE_TYPES.ObjectPattern || !node.init) return;
        const init = unwrap(node.init);
        if (
          !(init.type === AST_NODE_TYPES.Identifier && init.name === "console") &&
          !(init.type === AST_NODE_TYPES.MemberExpression && memberIs(init, "console"))
        ) {
          return;
        }
        if (!globalConsole(init) || !analysis.isDurable(node)) return;
        const names: string[] = [];
        for (const property of node.id.properties) {
          if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
          if (property.key.type === AST_NODE_TYPES.Identifier && REPLAY_AWARE_METHODS.has(property.key.name)) names.push(property.key.name);
        }
        if (names.length === 0) return;
        const binding = usableContext(node);
        context.report({
          node: init,
          messageId: "consoleDestructured",
          data: { names: names.join(", "), ctx: binding?.name ?? "ctx" },
        });
      },
    };
  },
});

function memberIs(node: TSESTree.MemberExpression, name: string): boolean {
  return !node.computed && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === name;
}
