/**
 * Sagas as Restate documents them: a local array of compensations, a `try`
 * block that pushes a compensation before each step, and a `catch` that runs
 * them (in reverse) when a step fails with a `TerminalError`.
 *
 * Everything here is syntactic (scope-manager references, no traversal of the
 * whole file); type information only sharpens what counts as a `TerminalError`
 * and what counts as a console (a call that only logs the compensations).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { tsApiUtils } from "#ts-api-utils";
import type * as ts from "typescript";
import type { RestateAnalysis } from "../../core/analysis.js";
import { callOfCallee, constantBinding, constantDefinition, contains, enclosingFunction, isFunction, neverReassigned, outermostWrapper, unwrap, variableOf, walk, type FunctionNode } from "../../core/ast.js";
import { memberName } from "../../core/imports.js";
import { SDK_MODULES } from "../../core/sdk.js";
import { exportSpelling } from "../../core/spelling.js";
import { isGlobalVariable, resolveApi } from "../../core/globals.js";
import { summariesOf, type Callee } from "../../core/summaries.js";
import type { TypeInfo } from "../../core/types.js";

type Variable = TSESLint.Scope.Variable;
type SourceCode = TSESLint.SourceCode;

/** A saga: an array of compensations pushed to in a `try` block and run from its `catch`. */
export interface Saga {
  /** The compensations array (`const compensations = []`). */
  readonly array: Variable;
  readonly tryStatement: TSESTree.TryStatement;
  readonly handler: TSESTree.CatchClause;
  /** `array.push(...)` / `array.unshift(...)` calls inside the try block, in source order. */
  readonly pushes: readonly TSESTree.CallExpression[];
  /** References to the array inside the catch that run the compensations (`compensations.reverse()` in a for-of, ...). */
  readonly runs: readonly TSESTree.Identifier[];
}

const ADDING = new Set(["push", "unshift"]);
/** Array methods that return (a copy of) the compensations, still to be run. */
const DERIVING = new Set(["reverse", "toReversed", "slice", "concat", "filter", "toSorted"]);
/** Array methods that call a callback per compensation, and which callback parameter is the compensation. */
const ITERATING = new Map([
  ["forEach", 0],
  ["map", 0],
  ["flatMap", 0],
  ["some", 0],
  ["every", 0],
  ["reduce", 1],
  ["reduceRight", 1],
]);
/** Array methods that take one compensation out. */
const TAKING = new Set(["pop", "shift", "at"]);

/** `compensations.push(fn)`: the array variable when the receiver is a local array literal, else null. Cheap: no analysis. */
export function pushedArray(sourceCode: SourceCode, call: TSESTree.CallExpression): Variable | null {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const name = memberName(callee);
  if (name === null || !ADDING.has(name)) return null;
  const object = unwrap(callee.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return null;
  const variable = variableOf(sourceCode, object);
  return variable && isLocalArray(variable) ? variable : null;
}

/** `const compensations = []`, `let c: Array<() => Promise<void>> = []`, `= new Array()` declared inside a function. */
function isLocalArray(variable: Variable): boolean {
  if (variable.defs.length !== 1) return false;
  const def = variable.defs[0];
  if (def.type !== "Variable" || def.node.id.type !== AST_NODE_TYPES.Identifier || !def.node.init) return false;
  const init = unwrap(def.node.init);
  const isArray =
    (init.type === AST_NODE_TYPES.ArrayExpression && init.elements.length === 0) ||
    (init.type === AST_NODE_TYPES.NewExpression &&
      init.callee.type === AST_NODE_TYPES.Identifier &&
      init.callee.name === "Array" &&
      init.arguments.length === 0);
  return isArray && enclosingFunction(def.node) !== null;
}

/**
 * Groups `push` calls (already filtered by `pushedArray`) into sagas: for each
 * array and each enclosing `try` whose catch runs that array's compensations.
 */
export function findSagas(sourceCode: SourceCode, pushes: readonly TSESTree.CallExpression[], analysis: RestateAnalysis): Saga[] {
  const byKey = new Map<TSESTree.TryStatement, Map<Variable, TSESTree.CallExpression[]>>();
  for (const call of pushes) {
    const array = pushedArray(sourceCode, call);
    if (!array) continue;
    const declaration = array.defs[0].node;
    for (let node: TSESTree.Node | undefined = call; node?.parent; node = node.parent) {
      const parent: TSESTree.Node = node.parent;
      if (parent.type !== AST_NODE_TYPES.TryStatement || parent.block !== node || !parent.handler) continue;
      // The array must be declared outside the try, or the catch could not see it.
      if (contains(parent, declaration)) break;
      let perArray = byKey.get(parent);
      if (!perArray) byKey.set(parent, (perArray = new Map()));
      const list = perArray.get(array);
      if (list) list.push(call);
      else perArray.set(array, [call]);
    }
  }
  const sagas: Saga[] = [];
  for (const [tryStatement, perArray] of byKey) {
    const handler = tryStatement.handler!;
    for (const [array, calls] of perArray) {
      const runs: TSESTree.Identifier[] = [];
      for (const reference of array.references) {
        const identifier = reference.identifier as TSESTree.Identifier;
        if (contains(handler.body, identifier) && runsCompensations(sourceCode, identifier, handler.body, analysis, 0)) runs.push(identifier);
      }
      if (runs.length === 0) continue;
      calls.sort((a, b) => a.range[0] - b.range[0]);
      sagas.push({ array, tryStatement, handler, pushes: calls, runs });
    }
  }
  return sagas.sort((a, b) => a.tryStatement.range[0] - b.tryStatement.range[0]);
}

/**
 * Whether this reference to the array (in the catch) runs its compensations.
 * A helper the array is handed to (`await runCompensations(compensations)`)
 * is looked into when it can be resolved: it runs them when its parameter is run the same way.
 * `analysis` is the model of the file `reference` is in.
 */
function runsCompensations(
  sourceCode: SourceCode,
  reference: TSESTree.Identifier,
  within: TSESTree.Node,
  analysis: RestateAnalysis,
  depth: number,
): boolean {
  let expr: TSESTree.Node = outermostWrapper(reference);
  // Through `.reverse()`, `.slice().reverse()`, `[...compensations]`, `Array.from(compensations)`.
  for (;;) {
    const parent = expr.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === expr) {
      const name = memberName(parent);
      const call = callOfCallee(parent);
      if (call && name !== null && DERIVING.has(name)) {
        expr = outermostWrapper(call);
        continue;
      }
    } else if (parent?.type === AST_NODE_TYPES.SpreadElement && parent.parent?.type === AST_NODE_TYPES.ArrayExpression) {
      expr = outermostWrapper(parent.parent);
      continue;
    } else if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === expr && isArrayFrom(parent.callee)) {
      expr = outermostWrapper(parent);
      continue;
    }
    break;
  }
  const parent = expr.parent;
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.ForOfStatement && parent.right === expr) {
    const element = loopVariable(sourceCode, parent.left);
    return element !== null && isCalled(analysis, element, parent.body);
  }
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === expr) {
    const name = memberName(parent);
    const call = callOfCallee(parent);
    if (call && name !== null && ITERATING.has(name)) {
      const callback = call.arguments[0];
      if (!callback || callback.type === AST_NODE_TYPES.SpreadElement) return false;
      const fn = unwrap(callback);
      if (!isFunction(fn)) return true; // `.forEach(run)`: handed to a function that runs them
      const param = fn.params[ITERATING.get(name)!];
      if (param?.type !== AST_NODE_TYPES.Identifier) return false;
      const element = sourceCode.scopeManager!.getDeclaredVariables(fn).find((v) => v.name === param.name);
      return element !== undefined && isCalled(analysis, element, fn.body);
    }
    if (call && name !== null && TAKING.has(name)) return takenIsCalled(analysis, call, within);
    if (parent.computed && name === null) return takenIsCalled(analysis, parent, within);
    return false;
  }
  // `await compensate(ctx, compensations)`: a helper that runs them (but not `console.log(compensations)`).
  if (
    (parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) &&
    parent.arguments.includes(expr as TSESTree.CallExpressionArgument)
  ) {
    if (isLogging(analysis, parent.callee)) return false;
    const index = parent.arguments.indexOf(expr as TSESTree.CallExpressionArgument);
    return parent.type === AST_NODE_TYPES.CallExpression ? helperRuns(analysis, parent, index, depth) !== "no" : true;
  }
  return false;
}

/**
 * Per analysis of the helper's file (one per file per program), then per function: the editor plugin keeps a file's
 * ESTree while its SourceFile is unchanged, so a function node can outlive an edit of a file its answer depends on;
 * an analysis cannot. Keyed by depth too: an answer cut at the depth limit is not the answer of a shallower query.
 */
const runnerMemo = new WeakMap<RestateAnalysis, WeakMap<FunctionNode, Map<string, Tristate | typeof IN_PROGRESS>>>();

/**
 * Whether the helper `call` runs its argument `index` as a list of
 * compensations: "yes"/"no" when its body can be seen (the same recognition
 * as in a catch, on the parameter), "unknown" when it cannot (a helper from a
 * package, or from another file without types), which counts as running them
 * as before.
 */
function helperRuns(analysis: RestateAnalysis, call: TSESTree.CallExpression, index: number, depth: number): Tristate {
  if (depth > 4) return "unknown";
  const callee = summariesOf(analysis).resolveCallee(call);
  if (!callee) return "unknown";
  const fn = callee.fn;
  const param = fn.params[index];
  if (param?.type !== AST_NODE_TYPES.Identifier) return "unknown"; // `...all`, `{ list }`, a default: not followed
  const memoKey = `${index}@${depth}`;
  let perAnalysis = runnerMemo.get(callee.analysis);
  if (!perAnalysis) runnerMemo.set(callee.analysis, (perAnalysis = new WeakMap()));
  let perFunction = perAnalysis.get(fn);
  if (!perFunction) perAnalysis.set(fn, (perFunction = new Map()));
  const known = perFunction.get(memoKey);
  if (known === IN_PROGRESS) return "unknown";
  if (known !== undefined) return known;
  perFunction.set(memoKey, IN_PROGRESS);
  let result: Tristate = "unknown";
  try {
    const sourceCode = callee.analysis.sourceCode;
    const variable = sourceCode.scopeManager!.getDeclaredVariables(fn).find((v) => v.name === param.name);
    if (variable) {
      const runs = variable.references.some(
        (ref) => !ref.init && contains(fn.body, ref.identifier) && runsCompensations(sourceCode, ref.identifier as TSESTree.Identifier, fn.body, callee.analysis, depth + 1),
      );
      result = runs ? "yes" : "no";
    }
  } catch {
    result = "unknown";
  }
  perFunction.set(memoKey, result);
  return result;
}

function isArrayFrom(callee: TSESTree.Node): boolean {
  const node = unwrap(callee);
  return (
    node.type === AST_NODE_TYPES.MemberExpression &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === "Array" &&
    memberName(node) === "from"
  );
}

function loopVariable(sourceCode: SourceCode, left: TSESTree.ForOfStatement["left"]): Variable | null {
  if (left.type === AST_NODE_TYPES.VariableDeclaration) {
    const declarator = left.declarations[0];
    if (declarator?.id.type !== AST_NODE_TYPES.Identifier) return null;
    return sourceCode.scopeManager!.getDeclaredVariables(declarator)[0] ?? null;
  }
  return left.type === AST_NODE_TYPES.Identifier ? variableOf(sourceCode, left) : null;
}

/** `compensations.pop()!()`, `const undo = compensations.pop(); await undo?.()`, `await compensations[i]()`. */
function takenIsCalled(analysis: RestateAnalysis, taken: TSESTree.Node, within: TSESTree.Node): boolean {
  if (usedAsCall(analysis, taken)) return true;
  const outer = outermostWrapper(taken);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer && parent.id.type === AST_NODE_TYPES.Identifier) {
    const variable = analysis.sourceCode.scopeManager!.getDeclaredVariables(parent)[0];
    return variable !== undefined && isCalled(analysis, variable, within);
  }
  return false;
}

/** Whether some reference to `variable` inside `within` calls it (`c()`, `c.undo()`, `run(c)`). */
function isCalled(analysis: RestateAnalysis, variable: Variable, within: TSESTree.Node): boolean {
  return variable.references.some((reference) => contains(within, reference.identifier) && usedAsCall(analysis, reference.identifier));
}

function usedAsCall(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  if (callOfCallee(node)) return true;
  const outer = outermostWrapper(node);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer && callOfCallee(parent)) return true;
  // Handed to a function that may run it (`run(c)`), but not logged (`ctx.console.log("booked", id)`).
  return (
    (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) &&
    parent.arguments.includes(outer as TSESTree.CallExpressionArgument) &&
    !isLogging(analysis, parent.callee)
  );
}

// ---- logging ----------------------------------------------------------------

/** `ts.SymbolFlags.Interface` (stable across TypeScript versions; `typescript` is only a type import here). */
const INTERFACE_FLAG = 64;
/** Aliases of a console (`const log = ctx.console`) are followed this deep. */
const MAX_CONSOLE_ALIAS_DEPTH = 4;

/**
 * Whether calling `callee` only records its arguments, so handing it the
 * compensations does not run them: a method of the real global `console`
 * (`console.log`, `globalThis.console.warn`, `const { error } = console`), of
 * a Restate context's `console` (`ctx.console.info`, under any alias of the
 * context or of its console), or, with type information, of a value whose
 * type is the global `Console` interface. Any other call may run them
 * (`logger.info(compensations)` with a logger the rule knows nothing about).
 */
function isLogging(analysis: RestateAnalysis, callee: TSESTree.Node): boolean {
  const target = unwrap(callee);
  const api = resolveApi(analysis.sourceCode, analysis.imports, target);
  if (api?.module === null && api.path.length === 2 && api.path[0] === "console") return true;
  if (target.type === AST_NODE_TYPES.MemberExpression) return isConsole(analysis, target.object, 0);
  if (target.type !== AST_NODE_TYPES.Identifier) return false;
  // `const { info } = ctx.console; info(compensations)`
  const binding = constantBinding(variableOf(analysis.sourceCode, target));
  return binding !== null && binding.path.length === 1 && isConsole(analysis, binding.init, 0);
}

/** Whether `node` is the global `console`, a context's `console`, or (with types) a value typed as the global `Console`. */
function isConsole(analysis: RestateAnalysis, node: TSESTree.Node, depth: number): boolean {
  const target = unwrap(node);
  const api = resolveApi(analysis.sourceCode, analysis.imports, target);
  if (api?.module === null && api.path.length === 1 && api.path[0] === "console") return true;
  if (target.type === AST_NODE_TYPES.MemberExpression && memberName(target) === "console" && isContextValue(analysis, target.object)) return true;
  if (target.type === AST_NODE_TYPES.Identifier && depth < MAX_CONSOLE_ALIAS_DEPTH) {
    // `const log = ctx.console`, `const { console: log } = ctx`
    const binding = constantBinding(variableOf(analysis.sourceCode, target));
    if (binding?.path.length === 0 && isConsole(analysis, binding.init, depth + 1)) return true;
    if (binding?.path.length === 1 && binding.path[0] === "console" && isContextValue(analysis, binding.init)) return true;
  }
  return hasConsoleType(analysis, target);
}

/** A Restate context (a handler's, an annotated or typed parameter, or an alias of one). */
function isContextValue(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  const target = unwrap(node);
  if (target.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = variableOf(analysis.sourceCode, target);
  return variable !== null && analysis.contexts.some((binding) => binding.variable === variable);
}

/** With types: every (non-nullish) part of the type of `node` is the global `Console` interface (lib.dom's, @types/node's, merged). */
function hasConsoleType(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  const types = analysis.types;
  if (!types) return false;
  return types.safely(() => {
    const globalConsole = types.checker.resolveName("Console", undefined, INTERFACE_FLAG, false);
    if (!globalConsole) return false;
    const parts = tsApiUtils().unionTypeParts(types.checker.getNonNullableType(types.typeOf(node)));
    return parts.length > 0 && parts.every((part) => part.getSymbol() === globalConsole);
  }, false);
}

// ---- TerminalError guards ----------------------------------------------

/** The SDK's terminal error classes: `instanceof` any of them means "not retried by Restate". */
const TERMINAL_CLASSES = new Set(["TerminalError", "TimeoutError", "CancelledError"]);
const TERMINAL_TYPES: ReadonlySet<string> = TERMINAL_CLASSES;

export type Tristate = "yes" | "no" | "unknown";

/**
 * Accepted guard forms, on the catch parameter (or a `const err = e` alias):
 * - `if (e instanceof T) { ...compensate... }` (also `e instanceof T && ...`, or the `else` of `!(e instanceof T)`);
 * - an early exit before the compensations: `if (!(e instanceof T)) throw e;` (or `return ...`, or a block ending so);
 * - a call of a guard helper before the compensations: `rethrowIfNotTerminal(e);` (`guardHelper`);
 * - a predicate helper in a test: `if (!isTerminal(e)) throw e;` (`predicateHelper`).
 * `T` is the SDK's `TerminalError` (or `TimeoutError`/`CancelledError`) under any import alias, a local class
 * extending one, or — with type information — any class whose instances are one. A class imported from
 * another module is trusted when there is no type information to check it; so is, then, a helper imported
 * from a relative module that is handed the error (its body is in a file the rule cannot see).
 *
 * The same logic runs on a helper's parameter (`scope` a function, `index` its parameter), in the helper's
 * own file, to decide whether the helper is a guard or a predicate.
 */
export class TerminalGuards {
  private readonly errors = new Set<Variable>();
  private readonly body: TSESTree.Node;

  constructor(
    private readonly analysis: RestateAnalysis,
    private readonly sourceCode: SourceCode,
    scope: TSESTree.CatchClause | FunctionNode,
    index = 0,
  ) {
    this.body = scope.body;
    const param = scope.type === AST_NODE_TYPES.CatchClause ? scope.param : scope.params[index];
    if (param?.type !== AST_NODE_TYPES.Identifier) return;
    const variable = sourceCode.scopeManager!.getDeclaredVariables(scope).find((v) => v.name === param.name);
    if (!variable) return;
    // A helper's parameter reassigned in its body no longer holds the caller's error.
    if (scope.type !== AST_NODE_TYPES.CatchClause && !neverReassigned(variable)) return;
    this.errors.add(variable);
    // `const err = e as Error`
    for (const reference of variable.references) {
      const outer = outermostWrapper(reference.identifier);
      const parent = outer.parent;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer && parent.id.type === AST_NODE_TYPES.Identifier) {
        const alias = sourceCode.scopeManager!.getDeclaredVariables(parent)[0];
        if (alias && alias.defs.length === 1) this.errors.add(alias);
      }
    }
  }

  /** Whether there is an error to reason about (a plain identifier parameter). */
  get hasError(): boolean {
    return this.errors.size > 0;
  }

  /** Whether `node` (inside the catch body) only runs when the error is terminal. */
  isGuarded(node: TSESTree.Node): boolean {
    const body = this.body;
    for (let child: TSESTree.Node = node, parent = node.parent; parent && child !== body; child = parent, parent = parent.parent) {
      switch (parent.type) {
        case AST_NODE_TYPES.IfStatement:
        case AST_NODE_TYPES.ConditionalExpression:
          if (parent.consequent === child && this.impliesTerminal(parent.test)) return true;
          if (parent.alternate === child && this.impliesNonTerminal(parent.test)) return true;
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (parent.right === child && parent.operator === "&&" && this.impliesTerminal(parent.left)) return true;
          if (parent.right === child && parent.operator === "||" && this.impliesNonTerminal(parent.left)) return true;
          break;
        case AST_NODE_TYPES.BlockStatement:
        case AST_NODE_TYPES.SwitchCase: {
          const list: readonly TSESTree.Statement[] = parent.type === AST_NODE_TYPES.BlockStatement ? parent.body : parent.consequent;
          if (this.guardedAfter(list, child)) return true;
          break;
        }
        default:
          break;
      }
    }
    return false;
  }

  /**
   * Whether a statement of `list` before `stop` (or any, when `stop` is null)
   * lets only terminal errors continue: `if (!(e instanceof T)) throw e;` or a
   * guard helper's call `rethrowIfNotTerminal(e);`.
   */
  guardedAfter(list: readonly TSESTree.Statement[], stop: TSESTree.Node | null): boolean {
    for (const statement of list) {
      if (statement === stop) break;
      if (statement.type === AST_NODE_TYPES.ExpressionStatement && this.isGuardCall(statement.expression)) return true;
      if (statement.type !== AST_NODE_TYPES.IfStatement) continue;
      if (this.impliesNonTerminal(statement.test) && alwaysExits(statement.consequent)) return true;
      if (statement.alternate && this.impliesTerminal(statement.test) && alwaysExits(statement.alternate)) return true;
    }
    return false;
  }

  /**
   * `rethrowIfNotTerminal(e)` / `await assertTerminal(err)`: a call of a helper
   * that returns normally only when its argument, the caught error, is terminal.
   * (An async helper's throw is a rejection: the call must be awaited.)
   */
  isGuardCall(expression: TSESTree.Node): boolean {
    let node = unwrap(expression);
    const awaited = node.type === AST_NODE_TYPES.AwaitExpression;
    if (node.type === AST_NODE_TYPES.AwaitExpression) node = unwrap(node.argument);
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    const index = this.errorArgument(node);
    if (index < 0) return false;
    return helperOnError(this.analysis, node, index, "guard", awaited);
  }

  /** The index of the argument that is the caught error (or its alias), or -1. */
  private errorArgument(call: TSESTree.CallExpression): number {
    return call.arguments.findIndex((argument) => {
      const value = unwrap(argument);
      if (value.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = variableOf(this.sourceCode, value);
      return variable !== null && this.errors.has(variable);
    });
  }

  /** True when `test` can only be true for a terminal error. */
  impliesTerminal(test: TSESTree.Node): boolean {
    const node = unwrap(test);
    if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === "!") return this.impliesNonTerminal(node.argument);
    if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === "&&") {
      return this.impliesTerminal(node.left) || this.impliesTerminal(node.right);
    }
    if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === "||") {
      return this.impliesTerminal(node.left) && this.impliesTerminal(node.right);
    }
    if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === "===" || node.operator === "==")) {
      const other = booleanOperand(node);
      if (other) return other.value ? this.impliesTerminal(other.rest) : this.impliesNonTerminal(other.rest);
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      // `isTerminal(e)`: a predicate helper that is only true for a terminal error.
      const index = this.errorArgument(node);
      return index >= 0 && helperOnError(this.analysis, node, index, "predicate", false);
    }
    return this.isTerminalTest(node);
  }

  /** True when `test` is true for every error that is not terminal. */
  impliesNonTerminal(test: TSESTree.Node): boolean {
    const node = unwrap(test);
    if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === "!") return this.impliesTerminal(node.argument);
    if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === "||") {
      return this.impliesNonTerminal(node.left) || this.impliesNonTerminal(node.right);
    }
    if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === "&&") {
      return this.impliesNonTerminal(node.left) && this.impliesNonTerminal(node.right);
    }
    if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === "===" || node.operator === "==")) {
      const other = booleanOperand(node);
      if (other) return other.value ? this.impliesNonTerminal(other.rest) : this.impliesTerminal(other.rest);
    }
    return false;
  }

  /** `e instanceof T` with `e` the caught error and `T` a terminal error class (or one we cannot check). */
  private isTerminalTest(node: TSESTree.Node): boolean {
    if (node.type !== AST_NODE_TYPES.BinaryExpression || node.operator !== "instanceof") return false;
    const left = unwrap(node.left);
    if (left.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = variableOf(this.sourceCode, left);
    if (!variable || !this.errors.has(variable)) return false;
    return terminalClass(this.analysis, this.sourceCode, node.right) !== "no";
  }
}

// ---- guard and predicate helpers ------------------------------------------

type HelperKind = "guard" | "predicate";
const IN_PROGRESS = Symbol("in progress");
/** Per analysis of the helper's file, then per function (see `runnerMemo`). */
const helperMemo = new WeakMap<RestateAnalysis, WeakMap<FunctionNode, Map<string, boolean | typeof IN_PROGRESS>>>();

/**
 * Whether `call` (in `analysis`'s file) calls a helper that is, on its
 * argument `index`:
 * - a "guard": it returns normally only when the argument is a terminal error
 *   (`if (!(e instanceof TerminalError)) throw e;`, `if (e instanceof TerminalError) return; throw e;`);
 * - a "predicate": it returns a truthy value only for a terminal error
 *   (`(e: unknown) => e instanceof TerminalError`).
 * The callee is resolved by the summary engine (with types, in another file)
 * and judged in its own file with the guard logic above. Without types, a
 * helper imported from a relative module is trusted (see `TerminalGuards`).
 */
function helperOnError(analysis: RestateAnalysis, call: TSESTree.CallExpression, index: number, kind: HelperKind, awaited: boolean): boolean {
  const callee = summariesOf(analysis).resolveCallee(call);
  if (!callee) return !analysis.types && importedFromRelativeModule(analysis, call.callee);
  if (kind === "guard" && callee.fn.async && !awaited) return false;
  return isHelperOnParameter(callee, index, kind);
}

/** `rethrowIfNotTerminal` / `errors.rethrowIfNotTerminal` imported from `./…` or `../…`. */
function importedFromRelativeModule(analysis: RestateAnalysis, callee: TSESTree.Node): boolean {
  const resolved = analysis.imports?.resolve(unwrap(callee)) ?? null;
  return resolved !== null && resolved.path.length === 1 && resolved.module.startsWith(".");
}

function isHelperOnParameter(callee: Callee, index: number, kind: HelperKind): boolean {
  const fn = callee.fn;
  let perAnalysis = helperMemo.get(callee.analysis);
  if (!perAnalysis) helperMemo.set(callee.analysis, (perAnalysis = new WeakMap()));
  let perFunction = perAnalysis.get(fn);
  if (!perFunction) perAnalysis.set(fn, (perFunction = new Map()));
  const key = `${kind}:${index}`;
  const known = perFunction.get(key);
  if (known === IN_PROGRESS) return false; // recursion: not proven
  if (known !== undefined) return known;
  perFunction.set(key, IN_PROGRESS);
  let result = false;
  try {
    const guards = new TerminalGuards(callee.analysis, callee.analysis.sourceCode, fn, index);
    if (guards.hasError && !fn.generator) result = kind === "guard" ? isGuardBody(fn, guards) : !fn.async && isPredicateBody(fn, guards);
  } catch {
    result = false;
  }
  perFunction.set(key, result);
  return result;
}

/** Every way out of `fn` other than a throw (its `return`s, falling off its end) is only taken for a terminal error. */
function isGuardBody(fn: FunctionNode, guards: TerminalGuards): boolean {
  const body = fn.body;
  if (body.type !== AST_NODE_TYPES.BlockStatement) return guards.isGuardCall(body);
  if (!returnsOf(body).every((ret) => guards.isGuarded(ret))) return false;
  return alwaysExits(body) || guards.guardedAfter(body.body, null);
}

/** Every value `fn` returns is falsy unless the error is terminal. */
function isPredicateBody(fn: FunctionNode, guards: TerminalGuards): boolean {
  const body = fn.body;
  if (body.type !== AST_NODE_TYPES.BlockStatement) return guards.impliesTerminal(body);
  const returns = returnsOf(body);
  return (
    returns.length > 0 &&
    returns.every((ret) => !ret.argument || isFalsyLiteral(ret.argument) || guards.impliesTerminal(ret.argument) || guards.isGuarded(ret))
  );
}

function isFalsyLiteral(node: TSESTree.Node): boolean {
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.Literal) return !value.value;
  return value.type === AST_NODE_TYPES.Identifier && value.name === "undefined";
}

/** The `return` statements of a function body, not of functions nested in it. */
function returnsOf(body: TSESTree.BlockStatement): TSESTree.ReturnStatement[] {
  const result: TSESTree.ReturnStatement[] = [];
  walk(body, (node) => {
    if (node !== body && (isFunction(node) || node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression)) return false;
    if (node.type === AST_NODE_TYPES.ReturnStatement) result.push(node);
  });
  return result;
}

/** `x === true` / `false === x`: the boolean and the other operand. */
function booleanOperand(node: TSESTree.BinaryExpression): { value: boolean; rest: TSESTree.Node } | null {
  const right = unwrap(node.right);
  const left = unwrap(node.left);
  if (right.type === AST_NODE_TYPES.Literal && typeof right.value === "boolean") return { value: right.value, rest: node.left };
  if (left.type === AST_NODE_TYPES.Literal && typeof left.value === "boolean") return { value: left.value, rest: node.right };
  return null;
}

/** A statement after which control never continues: `throw`, `return`, or a block containing one at its top level. */
export function alwaysExits(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ThrowStatement || statement.type === AST_NODE_TYPES.ReturnStatement) return true;
  return statement.type === AST_NODE_TYPES.BlockStatement && statement.body.some(alwaysExits);
}

/**
 * Whether the class expression `node` is a Restate terminal error class:
 * "yes" (the SDK's, a local subclass, or typed as one), "no" (a global like
 * `Error`, another SDK class, a local non-terminal class, or typed as not one),
 * "unknown" (imported from elsewhere and no type information).
 */
export function terminalClass(analysis: RestateAnalysis, sourceCode: SourceCode, node: TSESTree.Node, depth = 0): Tristate {
  if (depth > 5) return "unknown";
  const target = unwrap(node);
  const resolved = analysis.imports?.resolve(target) ?? null;
  if (resolved) {
    if (SDK_MODULES.has(resolved.module)) return resolved.path.length === 1 && TERMINAL_CLASSES.has(resolved.path[0]) ? "yes" : "no";
    return typedTerminal(analysis, target) ?? "unknown";
  }
  if (target.type !== AST_NODE_TYPES.Identifier) return typedTerminal(analysis, target) ?? "unknown";
  const variable = variableOf(sourceCode, target);
  if (isGlobalVariable(variable)) return "no"; // a global: Error, TypeError, ...
  const def = variable!.defs[0];
  const declaration = def.node;
  if (declaration.type === AST_NODE_TYPES.ClassDeclaration || declaration.type === AST_NODE_TYPES.ClassExpression) {
    if (!declaration.superClass) return "no";
    return terminalClass(analysis, sourceCode, declaration.superClass, depth + 1);
  }
  const init = declaration.type === AST_NODE_TYPES.VariableDeclarator ? constantDefinition(variable) : null;
  if (init) {
    if (init.type === AST_NODE_TYPES.ClassExpression) {
      return init.superClass ? terminalClass(analysis, sourceCode, init.superClass, depth + 1) : "no";
    }
    return terminalClass(analysis, sourceCode, init, depth + 1);
  }
  return typedTerminal(analysis, target) ?? "unknown";
}

/** With types: whether the instances a constructor builds are (subclasses of) the SDK's terminal errors. */
function typedTerminal(analysis: RestateAnalysis, node: TSESTree.Node): Tristate | null {
  const types = analysis.types;
  if (!types) return null;
  const signatures = types.typeOf(node).getConstructSignatures();
  if (signatures.length === 0) return null; // any, error types: cannot tell
  for (const signature of signatures) {
    if (inheritsTerminal(types, signature.getReturnType(), 0)) return "yes";
  }
  return "no";
}

function inheritsTerminal(types: TypeInfo, type: ts.Type, depth: number): boolean {
  if (depth > 8) return false;
  if (types.namedType(type, TERMINAL_TYPES, "sdk")) return true;
  if (!type.isClassOrInterface()) return false;
  return (type.getBaseTypes() ?? []).some((base) => inheritsTerminal(types, base, depth + 1));
}

/** How to spell `TerminalError` in this file: the local name of its import, or `<namespace>.TerminalError`. */
export function terminalErrorName(analysis: RestateAnalysis): string {
  return exportSpelling(analysis.imports, analysis.sourceCode, analysis.sourceCode.ast, SDK_MODULES, "TerminalError")?.text ?? "TerminalError";
}
