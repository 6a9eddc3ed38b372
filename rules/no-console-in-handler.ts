import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type ContextBinding } from "../core/analysis.js";
import { outermostWrapper, unwrap } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { globalHeadNode, resolveApi } from "../core/globals.js";

type MessageIds = "consoleCall" | "consoleCallNoContext" | "consoleUnfixable" | "consoleDestructured";

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
      consoleCall:
        "`{{call}}` runs again every time Restate replays this handler (after each suspension, retry or crash), so the line is printed again each time. `{{ctx}}.console.{{method}}` logs the same with the invocation attached and stays silent during replay: use `{{ctx}}.console.{{method}}(...)`.",
      consoleCallNoContext:
        "`{{call}}` runs again every time Restate replays this code (after each suspension, retry or crash), so the line is printed again each time. Log through the Restate context's `console` (`ctx.console.{{method}}(...)`), which stays silent during replay; this code has no context in scope under its own name, so pass it in.",
      consoleUnfixable:
        "`{{call}}` runs again every time Restate replays this handler, so its output is printed again each time. `{{ctx}}.console` does not silence `{{method}}` during replay (only log, info, warn, error, debug and trace): format the value and log it with `{{ctx}}.console.log(...)`, or move it into a `{{ctx}}.run` action.",
      consoleDestructured:
        "`{{names}}` taken from the global `console` here print again every time Restate replays this handler. Take them from the context instead (`const { {{names}} } = {{ctx}}.console`), which stays silent during replay.",
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

    return {
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
