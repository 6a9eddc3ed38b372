import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { contains, isFunction, unwrap, walk } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { describeRun, excerpt } from "../core/describe.js";
import { memberName } from "../core/imports.js";
import { intersection, Resources, strictSuperset } from "./compensation-before-action/resources.js";
import { findSagas, pushedArray, terminalErrorName, TerminalGuards, type Saga } from "./compensation-before-action/sagas.js";

type MessageIds = "registeredAfterAction" | "usesActionResult" | "catchDoesNotRethrow" | "compensatesNonTerminal";
type Variable = TSESLint.Scope.Variable;
type StatementList = readonly TSESTree.Statement[];

export default createRule<[], MessageIds>({
  name: "compensation-before-action",
  meta: {
    type: "problem",
    docs: {
      description: "Enforce Restate's saga pattern: register each compensation before its step, compensate only on `TerminalError`, and rethrow",
      recommended: "recommended",
    },
    fixable: "code",
    messages: {
      registeredAfterAction:
        "This compensation is pushed to `{{array}}` after {{action}}, the step it undoes. Push it before the step, or use `Saga` from restate-guard-runtime.",
      usesActionResult:
        "This compensation needs `{{variable}}` from {{action}}. Create it first (`{{ctx}}.rand.uuidv4()`) for both and push the compensation before, or use `Saga` from restate-guard-runtime.",
      catchDoesNotRethrow:
        "This catch runs `{{array}}` but swallows non-terminal errors, so Restate never retries them. Start it with `if (!({{error}} instanceof {{terminal}})) throw {{error}};`.",
      compensatesNonTerminal:
        "The compensations in `{{array}}` also run for errors Restate would retry. Run them only if `{{error}} instanceof {{terminal}}`, or rethrow other errors first.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;
    const candidates: TSESTree.CallExpression[] = [];
    return {
      CallExpression(node) {
        // Cheap filter: `x.push(...)` / `x.unshift(...)` on a plain identifier.
        const callee = node.callee;
        if (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          !callee.computed &&
          callee.property.type === AST_NODE_TYPES.Identifier &&
          (callee.property.name === "push" || callee.property.name === "unshift") &&
          unwrap(callee.object).type === AST_NODE_TYPES.Identifier &&
          node.arguments.length > 0
        ) {
          candidates.push(node);
        }
      },
      "Program:exit"() {
        if (candidates.length === 0) return;
        const pushes = candidates.filter((call) => pushedArray(sourceCode, call) !== null);
        if (pushes.length === 0) return;
        const reportedPushes = new Set<TSESTree.Node>();
        for (const saga of findSagas(sourceCode, pushes, analysis)) {
          if (!analysis.isDurable(saga.tryStatement)) continue;
          new SagaChecker(context, analysis, saga, reportedPushes).check();
        }
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<MessageIds, []>>;

class SagaChecker {
  private readonly sourceCode: TSESLint.SourceCode;
  private readonly pushStatements: Set<TSESTree.Node>;
  private readonly arrayName: string;
  private resources: Resources | null = null;

  constructor(
    private readonly context: Context,
    private readonly analysis: RestateAnalysis,
    private readonly saga: Saga,
    private readonly reportedPushes: Set<TSESTree.Node>,
  ) {
    this.sourceCode = context.sourceCode;
    this.arrayName = saga.array.name;
    this.pushStatements = new Set(saga.pushes.map(pushStatement).filter((s): s is TSESTree.ExpressionStatement => s !== null));
  }

  check(): void {
    this.checkOrder();
    this.checkCatch();
  }

  // ---- 1. push before the step ------------------------------------------

  private checkOrder(): void {
    for (const statement of this.pushStatements) {
      const list = statementList(statement);
      if (!list || this.reportedPushes.has(statement) || !this.analysis.isDurable(statement)) continue;
      const index = list.indexOf(statement as TSESTree.Statement);
      const prevIndex = this.previousAction(list, index);
      if (prevIndex < 0) continue;
      const prev = list[prevIndex];
      const call = (statement as TSESTree.ExpressionStatement).expression;
      const compensation = unwrap(call) as TSESTree.CallExpression;
      const next = this.nextAction(list, index) ?? this.nextActionOutside(statement);
      if (next && !this.belongsToStepBefore(compensation, prev, next)) continue;
      this.reportedPushes.add(statement);
      const later = this.declaredFrom(compensation, list.slice(prevIndex, index));
      const action = describeAction(this.analysis, this.sourceCode, prev);
      if (later) {
        this.context.report({
          node: statement,
          messageId: "usesActionResult",
          data: { array: this.arrayName, variable: later.name, action, ctx: this.analysis.contextAt(statement)?.name ?? "ctx" },
        });
        continue;
      }
      const movable = this.safeToMove(compensation, list.slice(prevIndex, index));
      this.context.report({
        node: statement,
        messageId: "registeredAfterAction",
        data: { array: this.arrayName, action },
        fix: movable ? (fixer) => this.moveBefore(fixer, list, statement as TSESTree.Statement, prev) : null,
      });
    }
  }

  /**
   * A push with a step on each side: the compensation belongs to the step
   * before only when it shares strictly more with it than with the step after
   * (every resource it shares with the step after, and more). Shared values
   * that do not tell the two apart (the same id passed to both steps), or
   * nothing shared at all, leave it undecided: not reported.
   */
  private belongsToStepBefore(compensation: TSESTree.CallExpression, prev: TSESTree.Statement, next: TSESTree.Statement): boolean {
    const resources = (this.resources ??= new Resources(this.analysis, this.saga.array));
    const undoes = resources.of(compensation.arguments);
    if (undoes.size === 0) return false;
    const before = intersection(undoes, resources.of([prev]));
    const after = intersection(undoes, resources.of([next]));
    return strictSuperset(before, after);
  }

  /** The nearest awaiting statement before `index`, back to the previous push. */
  private previousAction(list: StatementList, index: number): number {
    for (let i = index - 1; i >= 0; i--) {
      if (this.pushStatements.has(list[i])) return -1;
      if (containsAwait(this.sourceCode, list[i])) return i;
    }
    return -1;
  }

  /** The nearest statement after `index` that may be a step (awaits, calls the context, returns a value), before the next push. */
  private nextAction(list: StatementList, index: number): TSESTree.Statement | null {
    for (let i = index + 1; i < list.length; i++) {
      if (this.pushStatements.has(list[i])) return null;
      if (this.mayBeStep(list[i])) return list[i];
    }
    return null;
  }

  /**
   * A push at the end of an `if` branch or a nested block may be for a step
   * that follows the block (still inside the try). Loop bodies are not looked
   * through: the next iteration's step has its own compensation.
   */
  private nextActionOutside(statement: TSESTree.Node): TSESTree.Statement | null {
    const tryBlock = this.saga.tryStatement.block;
    let block = statement.parent;
    while (block && block !== tryBlock && block.type === AST_NODE_TYPES.BlockStatement) {
      let holder: TSESTree.Node = block;
      for (;;) {
        const parent: TSESTree.Node | undefined = holder.parent;
        if (
          parent &&
          ((parent.type === AST_NODE_TYPES.IfStatement && (parent.consequent === holder || parent.alternate === holder)) ||
            parent.type === AST_NODE_TYPES.LabeledStatement ||
            (parent.type === AST_NODE_TYPES.TryStatement && parent.block === holder))
        ) {
          holder = parent;
          continue;
        }
        break;
      }
      const list = statementList(holder);
      if (!list) return null;
      const index = list.indexOf(holder as TSESTree.Statement);
      for (let i = index + 1; i < list.length; i++) {
        if (this.pushStatements.has(list[i]) || this.containsPush(list[i])) return null;
        if (this.mayBeStep(list[i])) return list[i];
      }
      block = holder.parent;
    }
    return null;
  }

  private containsPush(statement: TSESTree.Node): boolean {
    for (const push of this.pushStatements) if (contains(statement, push)) return true;
    return false;
  }

  private mayBeStep(statement: TSESTree.Statement): boolean {
    if (containsAwait(this.sourceCode, statement)) return true;
    if (statement.type === AST_NODE_TYPES.ReturnStatement && statement.argument) return true;
    return this.analysis.usesWithin(statement).some((use) => use.journaled);
  }

  /** A variable the compensation uses that is declared in `statements` (from the step on), if any. */
  private declaredFrom(compensation: TSESTree.CallExpression, statements: StatementList): Variable | null {
    if (statements.length === 0) return null;
    for (const variable of referencedVariables(this.sourceCode, compensation)) {
      if (variable === this.saga.array) continue;
      if (variable.defs.some((def) => statements.some((s) => contains(s, def.name)))) return variable;
    }
    return null;
  }

  /**
   * Whether moving the push before `statements` (the step up to the push)
   * keeps what is pushed: each argument must be a function (it reads its
   * variables when the catch calls it) or a variable those statements do not
   * assign. Anything evaluated on the spot (`undo.bind(null, id)`,
   * `makeUndo(order)`, `undoFn` assigned by the step) would see the values from
   * before the step. Nor may those statements look at the array itself.
   */
  private safeToMove(compensation: TSESTree.CallExpression, statements: StatementList): boolean {
    const writtenIn = (variable: Variable) => variable.references.some((ref) => ref.isWrite() && statements.some((s) => contains(s, ref.identifier)));
    for (const argument of compensation.arguments) {
      const value = unwrap(argument);
      if (value.type === AST_NODE_TYPES.ArrowFunctionExpression || value.type === AST_NODE_TYPES.FunctionExpression) continue;
      if (value.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = [...referencedVariables(this.sourceCode, value)][0];
      if (!variable || writtenIn(variable)) return false;
    }
    return !this.saga.array.references.some((ref) => statements.some((s) => contains(s, ref.identifier)));
  }

  /**
   * Moves the push (with its own comments) to just before `prev` (and the
   * comments above `prev`), indented as `prev` is: an insertion before `prev`
   * and a removal of the push with the line break before it.
   */
  private moveBefore(fixer: TSESLint.RuleFixer, list: StatementList, push: TSESTree.Statement, prev: TSESTree.Statement): TSESLint.RuleFix[] {
    const sourceCode = this.sourceCode;
    const before = list[list.indexOf(push) - 1];
    const leading = sourceCode.getCommentsBefore(push).filter((c) => c.loc.start.line > before.loc.end.line); // text for a fix
    const trailing = sourceCode.getCommentsAfter(push).filter((c) => c.loc.start.line === push.loc.end.line); // text for a fix
    const first = leading[0] ?? push;
    const moveEnd = trailing.length > 0 ? trailing[trailing.length - 1].range[1] : push.range[1];
    const removeStart = sourceCode.getTokenBefore(first, { includeComments: true })!.range[1]; // text for a fix
    const prevIndex = list.indexOf(prev);
    const boundary = prevIndex > 0 ? list[prevIndex - 1].loc.end.line : (sourceCode.getTokenBefore(prev)?.loc.end.line ?? 0);
    const prevComments = sourceCode.getCommentsBefore(prev).filter((c) => c.loc.start.line > boundary); // text for a fix
    const insertAt = prevComments.length > 0 ? prevComments[0].range[0] : prev.range[0];
    const gapStart = sourceCode.getTokenBefore(prevComments[0] ?? prev, { includeComments: true })?.range[1] ?? 0; // text for a fix
    const gap = sourceCode.text.slice(gapStart, insertAt); // text for a fix
    const lineBreak = gap.lastIndexOf("\n");
    const separator = lineBreak < 0 ? " " : gap.slice(gap[lineBreak - 1] === "\r" ? lineBreak - 1 : lineBreak);
    const moved = sourceCode.text.slice(first.range[0], moveEnd); // text for a fix
    return [fixer.insertTextBeforeRange([insertAt, insertAt], `${moved}${separator}`), fixer.removeRange([removeStart, moveEnd])];
  }

  // ---- 2 and 3. the catch -----------------------------------------------

  private checkCatch(): void {
    const handler = this.saga.handler;
    const guards = new TerminalGuards(this.analysis, this.sourceCode, handler);
    const param = handler.param;
    const error = param?.type === AST_NODE_TYPES.Identifier ? param.name : "e";
    const caught = param?.type === AST_NODE_TYPES.Identifier ? `\`${param.name}\`` : "the error (bind it with `catch (e)`)";
    const where = param
      ? { node: param }
      : { node: handler, loc: this.sourceCode.getFirstToken(handler)!.loc };
    const terminal = terminalErrorName(this.analysis);

    if (!this.rethrowsNonTerminal(handler, guards)) {
      this.context.report({
        ...where,
        messageId: "catchDoesNotRethrow",
        data: { array: this.arrayName, caught, error, terminal },
      });
    }
    if (this.saga.runs.some((run) => !guards.isGuarded(run))) {
      this.context.report({
        ...where,
        messageId: "compensatesNonTerminal",
        data: { array: this.arrayName, error, terminal },
      });
    }
  }

  /**
   * Whether some `throw` (or `return Promise.reject(...)`, or a guard helper's
   * call such as `rethrowIfNotTerminal(e)`) in the catch is reachable for a non-terminal error.
   */
  private rethrowsNonTerminal(handler: TSESTree.CatchClause, guards: TerminalGuards): boolean {
    let found = false;
    walk(handler.body, (node) => {
      if (found || isFunction(node)) return false;
      if (
        node.type === AST_NODE_TYPES.ThrowStatement ||
        isPromiseReject(node) ||
        (node.type === AST_NODE_TYPES.ExpressionStatement && guards.isGuardCall(node.expression))
      ) {
        if (!guards.isGuarded(node)) found = true;
        return false;
      }
      return true;
    });
    return found;
  }
}

// ---- statements -----------------------------------------------------------

function pushStatement(call: TSESTree.CallExpression): TSESTree.ExpressionStatement | null {
  let node: TSESTree.Node = call;
  while (
    node.parent &&
    (node.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      node.parent.type === AST_NODE_TYPES.TSAsExpression ||
      node.parent.type === AST_NODE_TYPES.ChainExpression ||
      (node.parent.type === AST_NODE_TYPES.UnaryExpression && node.parent.operator === "void"))
  ) {
    node = node.parent;
  }
  return node.parent?.type === AST_NODE_TYPES.ExpressionStatement ? node.parent : null;
}

function statementList(statement: TSESTree.Node): StatementList | null {
  const parent = statement.parent;
  if (parent?.type === AST_NODE_TYPES.BlockStatement) return parent.body;
  if (parent?.type === AST_NODE_TYPES.SwitchCase) return parent.consequent;
  return null;
}

/** An `await` (or `for await`) in the statement itself, not in a function nested in it. */
function containsAwait(sourceCode: TSESLint.SourceCode, statement: TSESTree.Node): boolean {
  let found = false;
  walk(statement, (node) => {
    if (found || (node !== statement && isFunction(node))) return false;
    if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) found = true;
    return !found;
  });
  return found;
}

function isPromiseReject(node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.ReturnStatement || !node.argument) return false;
  const call = unwrap(node.argument);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(call.callee);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === "Promise" &&
    memberName(callee) === "reject"
  );
}

/** Variables referenced from inside `node` (resolved through the scope manager). */
function referencedVariables(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): Set<Variable> {
  const result = new Set<Variable>();
  const visit = (scope: TSESLint.Scope.Scope) => {
    for (const reference of scope.references) {
      if (reference.resolved && contains(node, reference.identifier)) result.add(reference.resolved);
    }
    for (const child of scope.childScopes) if (contains(node, child.block)) visit(child);
  };
  visit(sourceCode.getScope(node));
  return result;
}

/** `ctx.run("Book flight")`, or the awaited call `flightClient.book(...)`, for messages. */
function describeAction(analysis: RestateAnalysis, sourceCode: TSESLint.SourceCode, statement: TSESTree.Statement): string {
  const run = analysis.runCalls.find((r) => contains(statement, r.call));
  if (run) return `\`${describeRun(run)}\``;
  let awaited: TSESTree.Node | null = null;
  walk(statement, (node) => {
    if (awaited || (node !== statement && isFunction(node))) return false;
    if (node.type === AST_NODE_TYPES.AwaitExpression) {
      awaited = unwrap(node.argument);
      return false;
    }
    return true;
  });
  const target = awaited as TSESTree.Node | null;
  if (target?.type === AST_NODE_TYPES.CallExpression) return `\`${excerpt(sourceCode, target.callee, 50)}(...)\``;
  return `\`${excerpt(sourceCode, statement)}\``;
}
