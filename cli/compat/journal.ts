/**
 * `compat --in-place`: the journal a handler writes, along each path through its body, for code updated behind an
 * existing deployment (invocations in flight replay their journal on the new code).
 *
 * An entry is a journaled context operation (core/sdk.ts JOURNALED_MEMBERS: `ctx.run("name")`, state operations with
 * their key, sleeps, durable promises, awakeables) or a handler call through a context client (its target). Paths
 * branch at `if`, `switch`, `? :`, `&&`/`||`/`??` and `try`/`catch`, end at `return`/`throw`; a loop's body counts
 * once; callbacks handed to calls (`items.map((i) => ctx.run(...))`) run where they are passed. A handler with more
 * than MAX_PATHS paths is not compared.
 */
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import type { RestateAnalysis } from "../../core/analysis.js";
import { childNodes, isFunction, unwrap, type FunctionNode } from "../../core/ast.js";
import { clientCalls } from "../../core/calls.js";
import { CLIENT_FACTORIES } from "../../core/sdk.js";

export const MAX_PATHS = 256;

interface Path {
  readonly entries: readonly string[];
  /** Ended by `return` or `throw`: nothing after it runs. */
  readonly done: boolean;
}

/** Each path's journal entries (as descriptions), or null when there are more than MAX_PATHS. */
export function journalPaths(analysis: RestateAnalysis, fn: FunctionNode): string[][] | null {
  const entries = new Map<TSESTree.Node, string>();
  for (const use of analysis.uses) {
    if (!use.journaled || !use.call || !use.member || CLIENT_FACTORIES.has(use.member)) continue;
    entries.set(use.call, describe(use.member, use.call));
  }
  for (const call of clientCalls(analysis)) {
    entries.set(call.call, `${call.factory}(${definitionName(analysis, call.definition)}).${call.method ?? "…"}`);
  }
  try {
    const paths = visit(fn.body, entries, [{ entries: [], done: false }]);
    return paths.map((p) => [...p.entries]);
  } catch (error) {
    if (error instanceof TooManyPaths) return null;
    throw error;
  }
}

class TooManyPaths extends Error {}

function describe(member: string, call: TSESTree.CallExpression): string {
  const first = call.arguments[0] ? unwrap(call.arguments[0]) : null;
  const literal = first?.type === AST_NODE_TYPES.Literal && typeof first.value === "string" ? first.value : null;
  return literal !== null && member !== "sleep" ? `ctx.${member}(${JSON.stringify(literal)})` : `ctx.${member}`;
}

function definitionName(analysis: RestateAnalysis, definition: TSESTree.Node | null): string {
  if (!definition) return "";
  const node = unwrap(definition);
  if (node.type === AST_NODE_TYPES.Identifier) {
    for (const handler of analysis.handlers.values()) {
      const declarator = handler.component.call.parent;
      if (declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === node.name && handler.component.name) {
        return handler.component.name;
      }
    }
    return node.name;
  }
  return analysis.sourceCode.getText(node).replace(/\s+/g, "");
}

function append(paths: readonly Path[], entry: string): Path[] {
  return paths.map((p) => (p.done ? p : { entries: [...p.entries, entry], done: false }));
}

function limit(paths: Path[]): Path[] {
  if (paths.length > MAX_PATHS) throw new TooManyPaths();
  return paths;
}

/** The paths after evaluating `node` from each of `paths`. */
function visit(node: TSESTree.Node | null | undefined, entries: ReadonlyMap<TSESTree.Node, string>, paths: Path[]): Path[] {
  if (!node || paths.every((p) => p.done)) return paths;
  switch (node.type) {
    case AST_NODE_TYPES.BlockStatement:
    case AST_NODE_TYPES.Program: {
      let current = paths;
      for (const statement of node.body) current = visit(statement, entries, current);
      return current;
    }
    case AST_NODE_TYPES.IfStatement: {
      const tested = visit(node.test, entries, paths);
      return limit([...visit(node.consequent, entries, tested), ...visit(node.alternate, entries, tested)]);
    }
    case AST_NODE_TYPES.ConditionalExpression: {
      const tested = visit(node.test, entries, paths);
      return limit([...visit(node.consequent, entries, tested), ...visit(node.alternate, entries, tested)]);
    }
    case AST_NODE_TYPES.LogicalExpression: {
      const left = visit(node.left, entries, paths);
      return limit([...left, ...visit(node.right, entries, left)]);
    }
    case AST_NODE_TYPES.SwitchStatement: {
      const tested = visit(node.discriminant, entries, paths);
      const cases = node.cases.flatMap((c) => {
        let current = tested;
        for (const statement of c.consequent) current = visit(statement, entries, current);
        return current;
      });
      return limit(node.cases.some((c) => c.test === null) ? cases : [...tested, ...cases]);
    }
    case AST_NODE_TYPES.TryStatement: {
      const tried = visit(node.block, entries, paths);
      const caught = node.handler ? visit(node.handler.body, entries, paths) : [];
      const both = limit([...tried, ...caught]);
      return node.finalizer ? visit(node.finalizer, entries, both) : both;
    }
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ThrowStatement:
      return visit(node.argument, entries, paths).map((p) => ({ entries: p.entries, done: true }));
    case AST_NODE_TYPES.ForStatement:
      return visit(node.update, entries, visit(node.body, entries, visit(node.test, entries, visit(node.init, entries, paths))));
    case AST_NODE_TYPES.WhileStatement:
      return visit(node.body, entries, visit(node.test, entries, paths));
    case AST_NODE_TYPES.DoWhileStatement:
      return visit(node.test, entries, visit(node.body, entries, paths));
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.ForInStatement:
      return visit(node.body, entries, visit(node.right, entries, paths));
    default:
      break;
  }
  if (isFunction(node)) return paths; // a function written here runs later, if at all (callbacks: see below)
  if (node.type === AST_NODE_TYPES.CallExpression) {
    // Arguments first (callbacks run where they are passed), then the call itself.
    let current = visit(node.callee, entries, paths);
    for (const argument of node.arguments) {
      const value = unwrap(argument);
      current = isFunction(value) && !isRunAction(node, entries) ? visit(value.body, entries, current) : visit(argument, entries, current);
    }
    const entry = entries.get(node);
    return entry ? append(current, entry) : current;
  }
  let current = paths;
  // In source order: property order is not always source order (e.g. a type annotation before its value).
  for (const child of childNodes(node).sort((a, b) => a.range[0] - b.range[0])) current = visit(child, entries, current);
  return current;
}

/** `ctx.run(name, action)`: the action's body is not journaled entry by entry (it is one entry). */
function isRunAction(call: TSESTree.CallExpression, entries: ReadonlyMap<TSESTree.Node, string>): boolean {
  return entries.get(call)?.startsWith("ctx.run") ?? false;
}

/**
 * Whether every journal a base path can have written is still one the head can replay: each base path a prefix of
 * some head path. When not, the first base path that is not, with the head path that shares the longest prefix.
 */
export function journalBreak(base: string[][], head: string[][]): { path: string[]; closest: string[]; at: number } | null {
  for (const path of base) {
    let best: string[] = [];
    let bestLength = -1;
    for (const candidate of head) {
      let i = 0;
      while (i < path.length && i < candidate.length && path[i] === candidate[i]) i++;
      if (i === path.length) {
        bestLength = -2;
        break;
      }
      if (i > bestLength) {
        bestLength = i;
        best = candidate;
      }
    }
    if (bestLength !== -2) return { path, closest: best, at: Math.max(bestLength, 0) };
  }
  return null;
}
