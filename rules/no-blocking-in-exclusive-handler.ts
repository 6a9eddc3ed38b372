import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { outermostWrapper, unwrap, type FunctionNode } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import type { HandlerInfo } from "../core/handlers.js";
import { reportThrough } from "../core/related.js";
import { describeReach, summariesOf, type Effect, type ExecutedNode, type SinkMatch } from "../core/summaries.js";
import { awakeablePromises, followPromise, isAwakeableObject } from "../core/waits.js";

type MessageIds = "sleep" | "awakeable" | "waitThroughCall";

type WaitKind = "sleep" | "awakeable";

/** A promise that suspends the handler until time passes or someone else acts. */
interface Wait {
  readonly node: TSESTree.Node;
  readonly kind: WaitKind;
  readonly ctx: string;
}

/** Everything that ends up awaited at one `await` (or handler `return`). */
interface Awaited {
  readonly node: TSESTree.Node;
  readonly returned: boolean;
  combined: boolean;
  awakeable: boolean;
  readonly sleeps: Wait[];
}

export default createRule<[], MessageIds>({
  name: "no-blocking-in-exclusive-handler",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow sleeping or awaiting an awakeable in an exclusive virtual-object handler",
      // Holding a key's lock on purpose (per-key sequencing, pacing) is legitimate: not for `recommended`.
      recommended: "strict",
    },
    messages: {
      sleep: "{{operation}} holds {{object}}'s key in exclusive `{{handler}}`; {{others}} wait. Send {{delayedCall}} instead.",
      awakeable: "`{{awaited}}` holds {{object}}'s key in exclusive `{{handler}}` until the awakeable completes; {{others}} wait. Have the completer call back.",
      waitThroughCall:
        "Holds exclusive `{{handler}}`'s key while waiting: {{chain}}. Use a delayed message, a shared handler or a workflow instead.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const exclusiveNames = exclusiveHandlerNames(analysis);
    // An object with a single exclusive handler only queues more calls to that handler: the per-key
    // sequencing such an object exists for. Shared handlers run concurrently and are never blocked.
    let blocking = false;
    for (const names of exclusiveNames.values()) if (names.length > 1) blocking = true;
    if (!blocking) return {};
    const sourceCode = context.sourceCode;
    const types = analysis.types;
    const promiseMembers: TSESTree.MemberExpression[] = [];

    const handlerAt = (node: TSESTree.Node): HandlerInfo | null => {
      const handler = analysis.handlerAt(node);
      if (handler?.kind !== "object-exclusive") return null;
      return (exclusiveNames.get(handler.component.call)?.length ?? 0) > 1 ? handler : null;
    };
    const others = (handler: HandlerInfo) => otherHandlers(exclusiveNames.get(handler.component.call) ?? [], handler.name);
    const calls: TSESTree.CallExpression[] = [];

    /**
     * A call in an exclusive handler whose callee (a helper, usually taking the
     * context; with types, in another file) awaits a sleep or an awakeable, and
     * whose promise the handler awaits or returns: reported at the call.
     */
    const checkThrough = (call: TSESTree.CallExpression): void => {
      const handler = handlerAt(call);
      if (!handler) return;
      const reach = summariesOf(analysis).reachOfCall(call, waitEffect);
      if (!reach) return;
      // A wait in a function nested in this file's exclusive handler is reported where it is awaited.
      const sink = reach.sink;
      if (sink.analysis === analysis && !(sink.data as WaitSink).returned && handlerAt(sink.node)) return;
      if (!followPromise(sourceCode, analysis, call, returnsFrom).some((end) => handlerAt(end.node))) return;
      reportThrough(
        context,
        {
          node: call,
          messageId: "waitThroughCall",
          data: { handler: handler.name, chain: describeReach(reach) },
        },
        reach,
      );
    };
    const returnsFrom = (fn: FunctionNode) => analysis.handlers.get(fn)?.kind === "object-exclusive";

    return {
      CallExpression(node) {
        calls.push(node);
      },
      // With types, an awakeable reached in ways the syntax cannot follow (`let`, a local factory, a field).
      ...(types
        ? {
            'MemberExpression[computed=false][property.name="promise"]'(node: TSESTree.MemberExpression) {
              promiseMembers.push(node);
            },
          }
        : {}),
      "Program:exit"() {
        const waits = findWaits(sourceCode, analysis, handlerAt);
        if (types) {
          const known = new Set(waits.map((wait) => wait.node));
          for (const member of promiseMembers) {
            if (known.has(member) || !handlerAt(member) || !isAwakeableObject(types, member.object)) continue;
            waits.push({ node: member, kind: "awakeable", ctx: analysis.contextAt(member)?.name ?? "ctx" });
          }
        }

        // Where each wait is awaited, grouped by the await.
        const awaits = new Map<TSESTree.Node, Awaited>();
        for (const wait of waits) {
          for (const end of followPromise(sourceCode, analysis, wait.node, returnsFrom)) {
            if (!handlerAt(end.node)) continue;
            let entry = awaits.get(end.node);
            if (!entry) {
              entry = { node: end.node, returned: end.returned, combined: false, awakeable: false, sleeps: [] };
              awaits.set(end.node, entry);
            }
            entry.combined ||= end.combined;
            if (wait.kind === "awakeable") entry.awakeable = true;
            else entry.sleeps.push(wait);
          }
        }

        const covered = new Set<TSESTree.Node>();
        for (const entry of awaits.values()) {
          // A sleep awaited on its own is reported at the call, below; combinations once, at the await.
          if (!entry.awakeable && !entry.combined) continue;
          const handler = handlerAt(entry.node)!;
          for (const sleep of entry.sleeps) covered.add(sleep.node);
          const awaited = entry.returned
            ? `return ${excerpt(sourceCode, entry.node, 50)}`
            : excerpt(sourceCode, entry.node, 56);
          if (entry.awakeable) {
            context.report({
              node: entry.node,
              messageId: "awakeable",
              data: { awaited, handler: handler.name, object: describeObject(handler), others: others(handler) },
            });
          } else {
            const ctx = entry.sleeps[0]?.ctx ?? analysis.contextAt(entry.node)?.name ?? "ctx";
            context.report({
              node: entry.node,
              messageId: "sleep",
              data: {
                operation: `\`${ctx}.sleep(...)\` awaited through \`${combination(sourceCode, entry)}\``,
                handler: handler.name,
                object: describeObject(handler),
                others: others(handler),
                delayedCall: delayedSelfCall(handler, ctx),
              },
            });
          }
        }

        for (const wait of waits) {
          if (wait.kind !== "sleep" || covered.has(wait.node)) continue;
          const handler = handlerAt(wait.node)!;
          context.report({
            node: wait.node,
            messageId: "sleep",
            data: {
              operation: `\`${wait.ctx}.sleep(...)\``,
              handler: handler.name,
              object: describeObject(handler),
              others: others(handler),
              delayedCall: delayedSelfCall(handler, wait.ctx),
            },
          });
        }

        for (const call of calls) checkThrough(call);
      },
    };
  },
});

// ---- through calls ---------------------------------------------------------------

interface WaitSink {
  /** The wait is returned from its function (the caller awaits it), not awaited there. */
  readonly returned: boolean;
}

/**
 * Awaiting a sleep or an awakeable, in any function a handler calls: the
 * `await` of a `ctx.sleep(…)` / an awakeable's promise (also in a
 * combination, through `.orTimeout(…)` or a `const`), or the `ctx.sleep(…)` /
 * `ctx.awakeable()` call whose promise the function returns to its caller.
 * The search goes through helpers that take the context: it is the caller's
 * lock that the wait holds.
 */
const waitEffect: Effect = {
  id: "no-blocking-in-exclusive-handler/wait",
  throughDurable: true,
  sink(node: ExecutedNode, analysis: RestateAnalysis): SinkMatch | null {
    return waitSinksOf(analysis).get(node) ?? null;
  },
  // Only through calls a function waits for (awaits, or returns to its own caller): a helper
  // that starts another without waiting does not wait for that one's sleep.
  across: (call, analysis, data) =>
    call.type === AST_NODE_TYPES.CallExpression && followPromise(analysis.sourceCode, analysis, call, () => true).length > 0 ? { data } : null,
};

const waitSinks = new WeakMap<RestateAnalysis, Map<TSESTree.Node, SinkMatch>>();

function waitSinksOf(analysis: RestateAnalysis): Map<TSESTree.Node, SinkMatch> {
  let sinks = waitSinks.get(analysis);
  if (sinks) return sinks;
  sinks = new Map();
  waitSinks.set(analysis, sinks);
  const sourceCode = analysis.sourceCode;
  // A function returning the promise hands the wait to its caller; a registered handler returning it is reported directly.
  const returnsFrom = (fn: FunctionNode) => !analysis.handlers.has(fn);
  for (const use of analysis.uses) {
    if ((use.member !== "sleep" && use.member !== "awakeable") || !use.call) continue;
    if (use.call.callee !== outermostWrapper(use.node)) continue;
    const label = `${use.binding.name}.${use.member}`;
    const promises = use.member === "sleep" ? [use.call] : awakeablePromises(sourceCode, use.call);
    for (const promise of promises) {
      for (const end of followPromise(sourceCode, analysis, promise, returnsFrom)) {
        const key = end.returned ? use.call : end.node;
        const known = sinks.get(key);
        // One await of an awakeable and a sleep together is an awakeable wait.
        if (!known || use.member === "awakeable") sinks.set(key, { label, data: { returned: end.returned } satisfies WaitSink });
      }
    }
  }
  return sinks;
}

/**
 * The names of each object's exclusive handlers, by its `object()`
 * (or `implement()`) call, in registration order. Handlers whose kind is unknown (`implement()`
 * without types) do not count.
 */
function exclusiveHandlerNames(analysis: RestateAnalysis): Map<TSESTree.CallExpression, string[]> {
  const names = new Map<TSESTree.CallExpression, string[]>();
  for (const handler of analysis.handlers.values()) {
    if (handler.kind !== "object-exclusive") continue;
    const list = names.get(handler.component.call);
    if (!list) names.set(handler.component.call, [handler.name]);
    else if (!list.includes(handler.name)) list.push(handler.name);
  }
  return names;
}

/** "`addItem`, `removeItem`": the other exclusive handlers that queue, up to three, then "…". */
function otherHandlers(names: readonly string[], own: string): string {
  const others = names.filter((name) => name !== own);
  const listed = others.slice(0, 3).map((name) => `\`${name}\``);
  if (others.length > 3) listed.push("…");
  return listed.join(", ");
}

/** `await RestatePromise.all(...)`: the awaited combination, short. */
function combination(sourceCode: TSESLint.SourceCode, entry: Awaited): string {
  const prefix = entry.returned ? "return " : "await ";
  const expression = unwrap(entry.node.type === AST_NODE_TYPES.AwaitExpression ? entry.node.argument : entry.node);
  return expression.type === AST_NODE_TYPES.CallExpression
    ? `${prefix}${excerpt(sourceCode, expression.callee, 40)}(...)`
    : `${prefix}${excerpt(sourceCode, expression, 40)}`;
}

/** `ctx.sleep(...)` calls and awakeable promises in exclusive handler code, from the shared context uses. */
function findWaits(
  sourceCode: TSESLint.SourceCode,
  analysis: RestateAnalysis,
  handlerAt: (node: TSESTree.Node) => HandlerInfo | null,
): Wait[] {
  const waits: Wait[] = [];
  for (const use of analysis.uses) {
    if ((use.member !== "sleep" && use.member !== "awakeable") || !use.call) continue;
    if (use.call.callee !== outermostWrapper(use.node) || !handlerAt(use.call)) continue;
    const ctx = use.binding.name;
    if (use.member === "sleep") {
      waits.push({ node: use.call, kind: "sleep", ctx });
    } else {
      for (const promise of awakeablePromises(sourceCode, use.call)) {
        if (handlerAt(promise)) waits.push({ node: promise, kind: "awakeable", ctx });
      }
    }
  }
  return waits;
}

/** "virtual object `cart`", from the object's `name`, else the variable it is assigned to. */
function describeObject(handler: HandlerInfo): string {
  const name = handler.component.name ?? componentVariable(handler);
  return name !== null ? `virtual object \`${name}\`` : "its virtual object";
}

/** `cart` in `const cart = restate.object({...})`. */
function componentVariable(handler: HandlerInfo): string | null {
  const parent = outermostWrapper(handler.component.call).parent;
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : null;
}

/**
 * How to schedule the rest of the work as a delayed message to this same
 * object and key, in the file's own names (the docs page shows the
 * `sendOpts({ delay })` and restate-guard's `scheduleSelf` forms).
 */
function delayedSelfCall(handler: HandlerInfo, ctx: string): string {
  const variable = componentVariable(handler);
  const target =
    variable ?? (handler.component.name !== null ? `{ name: ${JSON.stringify(handler.component.name)} }` : "<object>");
  return `a delayed \`${ctx}.objectSendClient(${target}, ${ctx}.key)\` message`;
}

