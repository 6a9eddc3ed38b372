import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type ContextUse } from "../core/analysis.js";
import { constantBinding, contains, resolveLocalFunction, unwrap, variableOf } from "../core/ast.js";
import { CollectionResolver, type IteratedCollection, type KeyKind } from "./no-map-iteration-with-context-calls/collections.js";
import { ARRAY_CALLBACK_METHODS } from "../core/globals.js";
import { createRule } from "../core/create-rule.js";
import { calleeName, excerpt } from "../core/describe.js";
import { memberName } from "../core/imports.js";
import { RUNTIME_MODULES } from "../core/sdk.js";
import { exportSpelling } from "../core/spelling.js";

type MessageIds = "mapIteration" | "iterateSorted" | "iterateOrdered";

/** Array (and iterator-helper) methods that call their callback once per element, in order. */
const ITERATING_METHODS: ReadonlySet<string> = new Set(["forEach", ...ARRAY_CALLBACK_METHODS]);

/** Methods whose result keeps (a reordering of) the receiver's order, so the order still comes from the Map/Set. */
const ORDER_KEEPING: ReadonlySet<string> = new Set([
  "filter",
  "map",
  "flatMap",
  "slice",
  "reverse",
  "toReversed",
  "flat",
  "concat",
  "with",
  "toSpliced",
  "take",
  "drop",
  "toArray",
]);

/** Methods that make the order explicit. */
const SORTING: ReadonlySet<string> = new Set(["sort", "toSorted"]);

const ENTRY_COMPARATOR = "([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)";

/** How an iterated expression gets its order from a Map/Set. */
interface Order {
  readonly iterated: IteratedCollection;
  /** The expression is the Map/Set or one of its views itself (not an array copy). */
  readonly direct: boolean;
  /** The `[...m]` / `Array.from(m)` copy a `.sort(...)` can be appended to, when the order reaches the loop unchanged otherwise. */
  readonly conversion: TSESTree.Node | null;
  /** Where to report: the Map/Set itself, or the local holding a copy of it (`for (const x of copy)`). */
  readonly at: TSESTree.Node;
}

interface Finding {
  readonly order: Order;
  readonly use: ContextUse;
  /** "this loop", "the `forEach` callback", ... */
  readonly site: string;
  /** The `for...of` whose iterated expression a suggestion may replace. */
  readonly forOf: TSESTree.ForOfStatement | null;
}

export default createRule<[], MessageIds>({
  name: "no-map-iteration-with-context-calls",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow iterating a `Map` or `Set` with journaled Restate context operations in the loop body",
      recommended: "recommended",
    },
    hasSuggestions: true,
    messages: {
      mapIteration: "`{{name}}` is a {{kind}} whose order may vary on replay, and {{site}} {{operation}}. Use {{sorted}}.",
      iterateSorted: "Iterate `{{replacement}}` (sorted by key).",
      iterateOrdered: "Iterate `{{replacement}}` (restate-guard's `ordered`, sorted by key).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active || !analysis.uses.some((use) => use.journaled || use.passed)) return {};
    const sourceCode = context.sourceCode;
    let resolver: CollectionResolver | null = null;
    const collections = () => (resolver ??= new CollectionResolver(sourceCode, analysis.types));
    /** One finding per Map/Set expression (or copy of one) iterated: the earliest journaled operation wins. */
    const findings = new Map<TSESTree.Node, Finding>();

    /** The first journaled use (or the context handed to a helper) inside `body`. */
    function firstJournaledUse(body: TSESTree.Node): ContextUse | null {
      for (const use of analysis.usesWithin(body)) {
        if ((use.journaled || use.passed) && !contains(body, use.binding.fn)) return use;
      }
      return null;
    }

    function orderOf(node: TSESTree.Node, depth = 0): Order | null {
      if (depth > 4) return null;
      const target = unwrap(node);
      const iterated = collections().iterated(target);
      if (iterated) return { iterated, direct: true, conversion: null, at: iterated.collection.node };
      const array = collections().arrayFrom(target);
      if (array) return { iterated: array, direct: false, conversion: isSortableCopy(target) ? target : null, at: array.collection.node };
      if (target.type === AST_NODE_TYPES.CallExpression) {
        const callee = unwrap(target.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
        const method = memberName(callee);
        if (method === null || SORTING.has(method) || !ORDER_KEEPING.has(method)) return null;
        const inner = orderOf(callee.object, depth + 1);
        // A Map or Set itself has no `filter`/`map`: only its iterators (iterator helpers) and array copies do.
        if (!inner || (inner.direct && inner.iterated.view === "self")) return null;
        return { ...inner, direct: false };
      }
      if (target.type === AST_NODE_TYPES.Identifier) {
        const init = aliasInitializer(sourceCode, target);
        if (!init) return null;
        const inner = orderOf(init, depth + 1);
        return inner ? { iterated: inner.iterated, direct: false, conversion: null, at: target } : null;
      }
      return null;
    }

    function consider(site: TSESTree.Node, body: TSESTree.Node, iteratedNode: TSESTree.Node, describe: string, forOf: TSESTree.ForOfStatement | null, method: string | null) {
      // Cheap checks first: a journaled operation in the body, in durable code.
      const use = firstJournaledUse(body);
      if (!use || !analysis.isDurable(site)) return;
      const order = orderOf(iteratedNode);
      if (!order || order.iterated.collection.stable) return;
      // On a Map or Set itself only `forEach` iterates; `m.map` is not a Map method.
      if (method !== null && method !== "forEach" && order.direct && order.iterated.view === "self") return;
      const key = order.at;
      const previous = findings.get(key);
      if (!previous || use.identifier.range[0] < previous.use.identifier.range[0]) {
        findings.set(key, { order, use, site: describe, forOf });
      }
    }

    return {
      ForOfStatement(node) {
        consider(node, node.body, node.right, "this loop", node, null);
      },
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(callee);
        if (method === null) return;
        if (ITERATING_METHODS.has(method)) {
          const callbackArg = node.arguments[0];
          const callback = callbackArg && callbackArg.type !== AST_NODE_TYPES.SpreadElement ? resolveLocalFunction(sourceCode, callbackArg) : null;
          if (callback) consider(node, callback, callee.object, `the \`${method}\` callback`, null, method);
        } else if (method === "from" && node.arguments.length >= 2 && collections().isGlobalMember(callee, "Array", "from")) {
          const [source, callbackArg] = node.arguments;
          if (source.type === AST_NODE_TYPES.SpreadElement || callbackArg.type === AST_NODE_TYPES.SpreadElement) return;
          const callback = resolveLocalFunction(sourceCode, callbackArg);
          if (callback) consider(node, callback, source, "the `Array.from` callback", null, null);
        }
      },
      "Program:exit"() {
        for (const finding of findings.values()) report(finding);
      },
    };

    function report({ order, use, site, forOf }: Finding) {
      const collection = order.iterated.collection;
      const name = collection.node.type === AST_NODE_TYPES.Identifier ? collection.node.name : excerpt(sourceCode, collection.node, 30);
      const operation = use.passed
        ? `passes \`${use.binding.name}\` to \`${passedToName(sourceCode, use.identifier)}\``
        : `calls \`${use.binding.name}.${use.member}\``;
      // An iterator known only by its type is no Map/Set `ordered` accepts: only the spread copy applies.
      const sorted = collection.iterator
        ? `\`[...${name}].sort(...)\``
        : `\`${collection.kind === "Map" ? `[...${name}.entries()]` : `[...${name}]`}.sort(...)\` or restate-guard-runtime's \`ordered(${name})\``;
      const suggestion = suggest(order, forOf);
      const helper = suggestOrdered(order, forOf);
      const suggestions: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      if (suggestion) {
        suggestions.push({
          messageId: "iterateSorted",
          data: { replacement: suggestion.replacement },
          fix: (fixer) =>
            suggestion.append ? fixer.insertTextAfter(suggestion.node, suggestion.text) : fixer.replaceText(suggestion.node, suggestion.text),
        });
      }
      if (helper) {
        suggestions.push({
          messageId: "iterateOrdered",
          data: { replacement: helper.text },
          fix: (fixer) => fixer.replaceText(helper.node, helper.text),
        });
      }
      context.report({
        node: order.at,
        messageId: "mapIteration",
        data: { name, kind: collection.kind, site, operation, sorted },
        suggest: suggestions,
      });
    }

    /**
     * `for (const x of m)` → `for (const x of ordered(m))`, only when the file
     * already imports `ordered` from restate-guard-runtime (under its local name): the
     * rule never adds a runtime dependency the project may not have.
     */
    function suggestOrdered(order: Order, forOf: TSESTree.ForOfStatement | null): { node: TSESTree.Node; text: string } | null {
      const { collection, view } = order.iterated;
      if (!forOf || !order.direct || collection.iterator || !analysis.imports) return null;
      if (collection.kind === "Set" && view === "entries") return null;
      const ordered = exportSpelling(analysis.imports, sourceCode, forOf, RUNTIME_MODULES, "ordered")?.text;
      if (!ordered) return null;
      const node = collection.node;
      const argument = node.type === AST_NODE_TYPES.SequenceExpression ? `(${sourceCode.getText(node)})` : sourceCode.getText(node);
      const call = `${ordered}(${argument})`;
      // `ordered(map)` is the entries; a Map's keys or values are taken from them.
      const text =
        collection.kind === "Map" && view === "keys"
          ? `${call}.map(([key]) => key)`
          : collection.kind === "Map" && view === "values"
            ? `${call}.map(([, value]) => value)`
            : call;
      return { node: forOf.right, text };
    }

    /** Sorting the iteration: replace a `for...of`'s Map/Set with a sorted copy, or sort an existing `[...m]` copy. */
    function suggest(order: Order, forOf: TSESTree.ForOfStatement | null): { node: TSESTree.Node; text: string; append: boolean; replacement: string } | null {
      const { collection, view } = order.iterated;
      if (collection.iterator) return null;
      const entries = collection.kind === "Map" && (view === "self" || view === "entries");
      const keys = (collection.kind === "Map" && view === "keys") || (collection.kind === "Set" && view !== "entries");
      const sort = entries ? `.sort(${ENTRY_COMPARATOR})` : keys ? sortOf(collection.keyKind) : null;
      if (sort === null) return null;
      if (order.direct && forOf) {
        const object = collectionText(sourceCode, collection.node);
        const copy = collection.kind === "Map" ? `[...${object}.${entries ? "entries" : "keys"}()]` : `[...${object}]`;
        return { node: forOf.right, text: copy + sort, append: false, replacement: copy + sort };
      }
      if (order.conversion) {
        return { node: order.conversion, text: sort, append: true, replacement: sourceCode.getText(order.conversion) + sort };
      }
      return null;
    }
  },
});

function sortOf(keyKind: KeyKind): string | null {
  if (keyKind === "string") return ".sort()";
  if (keyKind === "number") return ".sort((a, b) => a - b)";
  return null;
}

/** `[...m]` or `Array.from(m)` with nothing else in it: `.sort(...)` sorts exactly the Map/Set's elements. */
function isSortableCopy(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.ArrayExpression) return node.elements.length === 1;
  return node.type === AST_NODE_TYPES.CallExpression && node.arguments.length === 1;
}

function collectionText(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): string {
  const text = sourceCode.getText(node);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.ThisExpression:
    case AST_NODE_TYPES.NewExpression:
      return text;
    default:
      return `(${text})`;
  }
}

/** The initializer of a never-reassigned local that holds a copy or view of a Map/Set, unless the copy is sorted in place. */
function aliasInitializer(sourceCode: TSESLint.SourceCode, identifier: TSESTree.Identifier): TSESTree.Node | null {
  const variable = variableOf(sourceCode, identifier);
  const constant = constantBinding(variable);
  if (!constant || constant.path.length > 0) return null;
  for (const reference of variable!.references) {
    if (reference.init) continue;
    const parent = reference.identifier.parent;
    // `copy.sort()` anywhere, or handing the copy to a function that may sort it: the order is not the Map's any more.
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier) {
      const name = memberName(parent);
      if (name === "sort") return null;
    }
    if ((parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(reference.identifier as TSESTree.Identifier)) {
      return null;
    }
  }
  return constant.init;
}

function passedToName(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): string {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CallExpression || current.type === AST_NODE_TYPES.NewExpression) return calleeName(sourceCode, current);
  }
  return "another function";
}
