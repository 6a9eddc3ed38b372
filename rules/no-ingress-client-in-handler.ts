import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis } from "../core/analysis.js";
import { callOfCallee, constantValueOf, enclosingFunction, outermostWrapper, unwrap, type FunctionNode } from "../core/ast.js";
import { isGlobalReference } from "../core/globals.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { memberName } from "../core/imports.js";
import {
  getIngressTracker,
  ingressSink,
  isIngressOptionType,
  isIngressTyped,
  isValueRead,
  typedIngressLevel,
  type IngressLevel,
} from "./no-ingress-client-in-handler/ingress.js";
import { CLIENT_FACTORIES, CLIENTS_MODULES, SDK_MODULES } from "../core/sdk.js";

type MessageIds = "createInDurable" | "useInDurable" | "useContextClient";

/** Ingress methods whose context counterpart has the same name and signature: the context's client factories. */
const CLIENT_METHODS = CLIENT_FACTORIES;
/** Their send variants: the ingress returns `Promise<Send>`, the context an `InvocationHandle`. */
const SEND_CLIENT_METHODS: ReadonlySet<string> = new Set(["serviceSendClient", "objectSendClient", "workflowSendClient", "sendClient"]);
/** Ingress returns `Promise<void>`, the context `void`. */
const AWAKEABLE_METHODS: ReadonlySet<string> = new Set(["resolveAwakeable", "rejectAwakeable"]);
/** Calls on an ingress client that a context client does not have (or has with another meaning). */
const INGRESS_ONLY_CALLS: ReadonlySet<string> = new Set(["workflowSubmit", "workflowAttach", "workflowOutput", "result", "attach"]);
/** Expressions that can never hold an ingress client: no need to ask the checker. */
const NEVER_INGRESS: ReadonlySet<AST_NODE_TYPES> = new Set([
  AST_NODE_TYPES.Literal,
  AST_NODE_TYPES.TemplateLiteral,
  AST_NODE_TYPES.ArrayExpression,
  AST_NODE_TYPES.ObjectExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ClassExpression,
  AST_NODE_TYPES.Super,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.UnaryExpression,
  AST_NODE_TYPES.UpdateExpression,
]);

export default createRule<[], MessageIds>({
  name: "no-ingress-client-in-handler",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow creating or using a Restate ingress client (`connect()` from the clients package) inside handler code",
      recommended: "recommended",
    },
    hasSuggestions: true,
    messages: {
      createInDurable:
        "`{{callee}}(...)` creates an ingress client in {{where}}, bypassing the journal. Use the context's client: `{{fix}}`.",
      useInDurable: "`{{name}}` is an ingress client used in {{where}}, bypassing the journal. Use the context's client: `{{fix}}`.",
      useContextClient: "Call `{{method}}` on the context `{{ctx}}` instead.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    // Nothing in the file is durable: nothing to report.
    if (analysis.handlers.size === 0 && analysis.contexts.length === 0) return {};
    const imports = analysis.imports;
    if (!imports) return {};
    const sourceCode = context.sourceCode;
    const tracker = imports.hasModule(CLIENTS_MODULES) ? getIngressTracker(sourceCode, imports) : null;
    const types = analysis.types?.programSees("clients") ? analysis.types : null;
    if (!tracker && !types) return {};

    const reported = new Set<TSESTree.Node>();
    const typedCache = new Map<TSESTree.Node, boolean>();

    function report(
      node: TSESTree.Node,
      messageId: "createInDurable" | "useInDurable",
      level: IngressLevel,
      derivation: TSESTree.CallExpression | null,
    ) {
      if (reported.has(node)) return;
      reported.add(node);
      const binding = analysis.contextAt(node);
      const ctx = binding?.name ?? "ctx";
      const suggestion = level === "ingress" && binding ? suggestionFor(node, binding.name) : null;
      context.report({
        node,
        messageId,
        data: {
          name: excerpt(sourceCode, node, 30),
          callee: messageId === "createInDurable" && node.type === AST_NODE_TYPES.CallExpression ? excerpt(sourceCode, unwrap(node.callee), 30) : "connect",
          where: describeWhere(node),
          fix: fixHint(node, ctx, level, derivation),
        },
        suggest: suggestion ? [suggestion] : [],
      });
    }

    // ---- messages -----------------------------------------------------

    function describeWhere(node: TSESTree.Node): string {
      const handler = analysis.scopeOf(node)?.handler;
      if (handler) return `the handler \`${handler.name}\``;
      for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
        if (analysis.functionInfo(fn).reason !== "context-parameter") continue;
        const name = functionName(fn);
        return name
          ? `\`${name}\`, which takes the Restate context and runs as part of a handler`
          : "a function that takes the Restate context and runs as part of a handler";
      }
      return "durable handler code";
    }

    function argumentsText(call: TSESTree.CallExpression): string {
      const text = call.arguments.map((arg) => sourceCode.getText(arg)).join(", ").replace(/\s+/g, " ");
      return text.length <= 40 ? text : "...";
    }

    function fixHint(node: TSESTree.Node, ctx: string, level: IngressLevel, derivation: TSESTree.CallExpression | null): string {
      if (level === "ingress") {
        const use = methodUse(node);
        if (use) {
          const { method, call } = use;
          if (CLIENT_METHODS.has(method) || method === "scope") {
            const handler = handlerCallOn(call);
            if (handler?.name === "workflowSubmit") return `${ctx}.workflowSendClient(${argumentsText(call)}).run(...)`;
            return `${ctx}.${method}(${argumentsText(call)})...`;
          }
          if (AWAKEABLE_METHODS.has(method)) return `${ctx}.${method}(...)`;
          if (method === "call") return `${ctx}.genericCall(...)`;
          if (method === "send") return `${ctx}.genericSend(...)`;
          if (method === "result") return `${ctx}.invocation(invocationId).attach()`;
        }
      } else if (derivation) {
        const callee = unwrap(derivation.callee);
        const method = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : null;
        if (method) return `${ctx}.${method}(${argumentsText(derivation)})...`;
      }
      return `${ctx}.serviceClient(...) / ${ctx}.objectClient(...) / ${ctx}.workflowClient(...)`;
    }

    // ---- suggestions --------------------------------------------------

    /** `<node>.method(...)`: the method and its call. */
    function methodUse(node: TSESTree.Node): { method: string; call: TSESTree.CallExpression; member: TSESTree.MemberExpression } | null {
      const outer = outermostWrapper(node);
      const member = outer.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outer) return null;
      const method = memberName(member);
      const call = callOfCallee(member);
      return method !== null && call ? { method, call, member } : null;
    }

    /** `<client>.handler(...)` on the client that `call` creates. */
    function handlerCallOn(call: TSESTree.CallExpression): { name: string; call: TSESTree.CallExpression } | null {
      const use = methodUse(call);
      return use ? { name: use.method, call: use.call } : null;
    }

    function suggestionFor(node: TSESTree.Node, ctx: string): TSESLint.SuggestionReportDescriptor<MessageIds> | null {
      const use = methodUse(node);
      if (!use || hasSpread(use.call)) return null;
      const { method, call } = use;
      if (AWAKEABLE_METHODS.has(method)) {
        if (!isDiscarded(call) || call.arguments.some(isIngressOnlyOption)) return null;
      } else if (CLIENT_METHODS.has(method)) {
        const handler = handlerCallOn(call);
        if (!handler || INGRESS_ONLY_CALLS.has(handler.name) || hasSpread(handler.call)) return null;
        // A second argument is the ingress client's own call options.
        if (handler.call.arguments.length > 1 || handler.call.arguments.some(isIngressOnlyOption)) return null;
        if (call.arguments.some(isIngressOnlyOption)) return null;
        if (SEND_CLIENT_METHODS.has(method) && !isDiscarded(handler.call)) return null;
        if (callsOwnObject(node, method, call)) return null;
      } else {
        return null;
      }
      const outer = outermostWrapper(node);
      return {
        messageId: "useContextClient",
        data: { ctx, method },
        fix: (fixer) => fixer.replaceText(outer, ctx),
      };
    }

    /** `clients.rpc.opts(...)`, `new SendOpts(...)`, or (with types) anything typed `Opts` / `SendOpts` of the clients package. */
    function isIngressOnlyOption(arg: TSESTree.Node, depth = 0): boolean {
      const node = unwrap(arg);
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
        const resolved = imports!.resolve(unwrap(node.callee));
        if (resolved && CLIENTS_MODULES.has(resolved.module)) return true;
      } else if (node.type === AST_NODE_TYPES.Identifier && depth === 0) {
        const init = constantValueOf(sourceCode, node);
        if (init && isIngressOnlyOption(init, depth + 1)) return true;
      }
      return types !== null && isIngressOptionType(types, node);
    }

    /**
     * A request to the object this exclusive handler belongs to: through the
     * context it would still wait for the key the handler holds, so the
     * rewrite is not offered.
     */
    function callsOwnObject(node: TSESTree.Node, method: string, call: TSESTree.CallExpression): boolean {
      if (method !== "objectClient" && method !== "client") return false;
      const handler = analysis.scopeOf(node)?.handler;
      if (handler?.kind !== "object-exclusive" || call.arguments.length === 0) return false;
      const target = unwrap(call.arguments[0]);
      if (target.type === AST_NODE_TYPES.ObjectExpression) {
        return target.properties.some(
          (p) =>
            p.type === AST_NODE_TYPES.Property &&
            !p.computed &&
            p.key.type === AST_NODE_TYPES.Identifier &&
            p.key.name === "name" &&
            p.value.type === AST_NODE_TYPES.Literal &&
            p.value.value === handler.component.name,
        );
      }
      if (target.type !== AST_NODE_TYPES.Identifier) return false;
      return constantValueOf(sourceCode, target) === handler.component.call;
    }

    // ---- type-aware part ------------------------------------------------

    function isTypedIngress(node: TSESTree.Node): boolean {
      let known = typedCache.get(node);
      if (known === undefined) {
        known = isIngressTyped(types!, node);
        typedCache.set(node, known);
      }
      return known;
    }

    /** The receiver one step in: `a` for `a.b` and for `a.b(...)`. */
    function innerReceiver(node: TSESTree.Node): TSESTree.Node | null {
      const inner = unwrap(node);
      if (inner.type === AST_NODE_TYPES.MemberExpression) return inner.object;
      if (inner.type === AST_NODE_TYPES.CallExpression) {
        const callee = unwrap(inner.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression) return callee.object;
      }
      return null;
    }

    function chainRoot(node: TSESTree.Node): TSESTree.Node {
      let current = unwrap(node);
      for (;;) {
        if (current.type === AST_NODE_TYPES.MemberExpression) current = unwrap(current.object);
        else if (current.type === AST_NODE_TYPES.CallExpression) current = unwrap(current.callee);
        else return current;
      }
    }

    /** Whether the chain starting at `node` may hold an ingress client that the syntactic pass did not see. */
    function worthAsking(node: TSESTree.Node): boolean {
      const root = chainRoot(node);
      if (NEVER_INGRESS.has(root.type)) return false;
      if (root.type !== AST_NODE_TYPES.Identifier) return true;
      if (tracker?.references.has(root)) return false;
      const binding = imports!.bindingOf(root);
      if (binding) return !SDK_MODULES.has(binding.module) && !CLIENTS_MODULES.has(binding.module);
      if (analysis.usesWithin(root).some((use) => use.identifier === root)) return false;
      return !isGlobalReference(sourceCode, root);
    }

    function checkTyped(node: TSESTree.Node) {
      if (reported.has(node) || !analysis.isDurable(node) || !worthAsking(node)) return;
      if (!isTypedIngress(node)) return;
      const inner = innerReceiver(node);
      if (inner && worthAsking(inner) && isTypedIngress(inner)) {
        checkTyped(inner);
        return;
      }
      // Stored in a local: its own uses are reported.
      if (ingressSink(sourceCode, node)) return;
      report(node, "useInDurable", typedIngressLevel(types!, node), null);
    }

    // ---- listeners --------------------------------------------------------

    const listeners: TSESLint.RuleListener = {
      Program() {
        if (tracker) {
          for (const call of tracker.connectCalls) {
            if (analysis.isDurable(call) && !tracker.isStored(call)) report(call, "createInDurable", "ingress", null);
          }
          for (const tracked of tracker.variables.values()) {
            for (const reference of tracked.variable.references) {
              if (!isValueRead(reference)) continue;
              const identifier = reference.identifier;
              if (!analysis.isDurable(identifier) || tracker.isStored(identifier)) continue;
              report(identifier, "useInDurable", tracked.level, tracked.derivation);
            }
          }
        }
        if (types) {
          // Values imported from other modules (`import { ingress } from "./clients"`), wherever they are used.
          for (const binding of imports.bindings) {
            if (SDK_MODULES.has(binding.module) || CLIENTS_MODULES.has(binding.module)) continue;
            for (const reference of binding.variable.references) {
              if (isValueRead(reference)) checkTyped(reference.identifier);
            }
          }
        }
      },
    };
    if (types) {
      // Receivers of method calls: `deps.ingress.serviceClient(...)`, `getIngress().objectClient(...)`.
      listeners.CallExpression = (call) => {
        const callee = unwrap(call.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression) checkTyped(callee.object);
      };
    }
    return listeners;
  },
});

function hasSpread(call: TSESTree.CallExpression): boolean {
  return call.arguments.some((arg) => arg.type === AST_NODE_TYPES.SpreadElement);
}

/** The call's result is thrown away: `call;`, `await call;`, `void call;`. */
function isDiscarded(call: TSESTree.CallExpression): boolean {
  let outer = outermostWrapper(call);
  let parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.AwaitExpression || (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === "void")) {
    outer = outermostWrapper(parent);
    parent = outer.parent;
  }
  return parent?.type === AST_NODE_TYPES.ExpressionStatement;
}

function functionName(fn: FunctionNode): string | null {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if ((parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.MethodDefinition) && !parent.computed) {
    return parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : null;
  }
  return null;
}
