import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis, type RunCall } from "../core/analysis.js";
import { contains, isFunction, unwrap, walk } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { describeRun, excerpt } from "../core/describe.js";
import { memberName } from "../core/imports.js";
import { findSagas, pushedArray, terminalErrorName, TerminalGuards, type Saga } from "./compensation-before-action/sagas.js";
import { CLIENT_FACTORIES } from "../core/sdk.js";

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
      if (next) {
        // Both a step before and a step after: only report when the compensation clearly undoes the one before.
        const undoes = targetsOf(this.analysis, this.sourceCode, compensation.arguments);
        if (!undoes.matches(targetsOf(this.analysis, this.sourceCode, [prev])) || undoes.matches(targetsOf(this.analysis, this.sourceCode, [next]))) continue;
      }
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

  /** Moves the push (with its own comments) to just before `prev` (and the comments above `prev`). */
  private moveBefore(fixer: TSESLint.RuleFixer, list: StatementList, push: TSESTree.Statement, prev: TSESTree.Statement): TSESLint.RuleFix {
    const sourceCode = this.sourceCode;
    const text = sourceCode.text;
    const before = list[list.indexOf(push) - 1];
    const leading = sourceCode.getCommentsBefore(push).filter((c) => c.loc.start.line > before.loc.end.line);
    const trailing = sourceCode.getCommentsAfter(push).filter((c) => c.loc.start.line === push.loc.end.line);
    const moveStart = leading.length > 0 ? leading[0].range[0] : push.range[0];
    const moveEnd = trailing.length > 0 ? trailing[trailing.length - 1].range[1] : push.range[1];
    const prevIndex = list.indexOf(prev);
    const tokenBefore = sourceCode.getTokenBefore(prev, { includeComments: false });
    const boundary = prevIndex > 0 ? list[prevIndex - 1].loc.end.line : (tokenBefore?.loc.end.line ?? 0);
    const prevComments = sourceCode.getCommentsBefore(prev).filter((c) => c.loc.start.line > boundary);
    const insertAt = prevComments.length > 0 ? prevComments[0].range[0] : prev.range[0];
    const lineStart = text.lastIndexOf("\n", insertAt - 1) + 1;
    const indent = text.slice(lineStart, insertAt);
    const separator = /^\s*$/.test(indent) ? `${text.includes("\r\n") ? "\r\n" : "\n"}${indent}` : " ";
    const kept = text.slice(insertAt, moveStart).replace(/\s+$/, "");
    return fixer.replaceTextRange([insertAt, moveEnd], `${text.slice(moveStart, moveEnd)}${separator}${kept}`);
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

// ---- what a step or a compensation acts on --------------------------------

/** Verbs that say what is done, not to what: removed before comparing a step with a compensation. */
const GENERIC_WORDS = new Set(
  (
    "book cancel reserve release create delete remove add undo redo refund charge pay revert rollback roll back compensate " +
    "confirm commit abort do perform execute run call send make place submit register unregister subscribe unsubscribe " +
    "activate deactivate enable disable start stop open close lock unlock allocate deallocate insert update set unset clear " +
    "get fetch put post void withdraw deposit credit debit increment decrement hold unhold restore apply unapply mark unmark " +
    "archive unarchive link unlink assign unassign grant revoke notify ship return reverse new handle process try init " +
    "reset approve reject accept decline provision deprovision issue invalidate schedule unschedule attach detach " +
    "capture purchase buy acquire claim upload save store write authorize " +
    // glue and infrastructure
    "client service svc api ctx context restate step saga compensation action then promise await async all or and to for " +
    "of the with from by in on at into it id ids key request req res result response data payload input output timeout " +
    "console log json math date now object array string number"
  ).split(" "),
);
/** Compensating verbs and the verbs of the steps they undo. */
const UNDOES = new Map<string, Set<string>>(
  Object.entries({
    cancel: "book reserve create place schedule start subscribe submit hold open add request",
    refund: "charge pay capture debit withdraw purchase buy",
    release: "reserve hold lock allocate acquire claim",
    unlock: "lock",
    delete: "create add insert register put upload provision save store write",
    remove: "create add insert register put upload provision save store write",
    deactivate: "activate",
    disable: "enable",
    unsubscribe: "subscribe",
    credit: "debit withdraw",
    debit: "credit deposit",
    deposit: "withdraw",
    revoke: "grant issue",
    unassign: "assign",
    unlink: "link",
    detach: "attach",
    deprovision: "provision",
    unregister: "register",
    unschedule: "schedule",
    close: "open",
    void: "authorize charge",
  }).map(([verb, steps]) => [verb, new Set(steps.split(" "))]),
);
const UNDONE = new Set([...UNDOES.values()].flatMap((steps) => [...steps]));

function tokens(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map(singular)
    .filter((w) => w.length > 1 && !/^\d+$/.test(w));
}

function singular(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The nouns a piece of code acts on: run names (`"Book flight"` → flight),
 * called functions (`bookFlight` → flight), clients and services
 * (`flightClient.book`, `ctx.serviceClient(flights).book` → flight).
 */
function targetsOf(analysis: RestateAnalysis, sourceCode: TSESLint.SourceCode, nodes: readonly TSESTree.Node[]): Targets {
  const result = new Targets();
  const runs = new Map<TSESTree.CallExpression, RunCall>(analysis.runCalls.map((run) => [run.call, run]));
  const add = (text: string) => result.add(text);
  const contextIdentifiers = new Set<TSESTree.Node>(analysis.uses.map((use) => use.identifier));
  const isContext = (node: TSESTree.Node) => contextIdentifiers.has(node);
  const addReceiver = (node: TSESTree.Node, depth: number): void => {
    if (depth > 6) return;
    const target = unwrap(node);
    if (target.type === AST_NODE_TYPES.Identifier) {
      if (!isContext(target)) add(target.name);
    } else if (target.type === AST_NODE_TYPES.MemberExpression) {
      add(memberName(target) ?? "");
      addReceiver(target.object, depth + 1);
    } else if (target.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrap(target.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && CLIENT_FACTORIES.has(memberName(callee) ?? "")) {
        // `ctx.serviceClient(flights)` (or an ingress client's): the service is what is acted on.
        const definition = target.arguments[0];
        if (definition) addDefinition(definition);
      } else {
        addCallee(target.callee, depth + 1);
      }
    }
  };
  const addDefinition = (node: TSESTree.Node) => {
    const target = unwrap(node);
    if (target.type === AST_NODE_TYPES.Identifier) add(target.name);
    else if (target.type === AST_NODE_TYPES.MemberExpression) add(memberName(target) ?? "");
    else if (target.type === AST_NODE_TYPES.Literal && typeof target.value === "string") add(target.value);
    else if (target.type === AST_NODE_TYPES.ObjectExpression) addProperties(target, ["name"]);
  };
  const addProperties = (object: TSESTree.ObjectExpression, keys: readonly string[]) => {
    for (const property of object.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
      const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : null;
      if (key && keys.includes(key) && property.value.type === AST_NODE_TYPES.Literal && typeof property.value.value === "string") {
        add(property.value.value);
      }
    }
  };
  const addCallee = (callee: TSESTree.Node, depth: number) => {
    const target = unwrap(callee);
    if (target.type === AST_NODE_TYPES.Identifier) add(target.name);
    else if (target.type === AST_NODE_TYPES.MemberExpression) {
      add(memberName(target) ?? "");
      addReceiver(target.object, depth);
    }
  };
  for (const root of nodes) {
    // `compensations.push(cancelFlight)`: a function passed by name.
    const bare = unwrap(root);
    if (bare.type === AST_NODE_TYPES.Identifier || bare.type === AST_NODE_TYPES.MemberExpression) addCallee(bare, 0);
    walk(root, (node) => {
      if (node.type === AST_NODE_TYPES.CallExpression) {
        const run = runs.get(node);
        if (run) {
          const nameNode = run.call.arguments[0] ? unwrap(run.call.arguments[0]) : null;
          if (run.name !== null) add(run.name);
          else if (nameNode?.type === AST_NODE_TYPES.TemplateLiteral) {
            for (const quasi of nameNode.quasis) add(quasi.value.cooked ?? "");
            for (const expression of nameNode.expressions) if (expression.type === AST_NODE_TYPES.Identifier) add(expression.name);
          }
        } else {
          const callee = unwrap(node.callee);
          if (
            callee.type === AST_NODE_TYPES.MemberExpression &&
            memberName(callee) === "genericCall" &&
            isContext(unwrap(callee.object)) &&
            node.arguments[0] &&
            unwrap(node.arguments[0]).type === AST_NODE_TYPES.ObjectExpression
          ) {
            addProperties(unwrap(node.arguments[0]) as TSESTree.ObjectExpression, ["service", "method"]);
          } else if (!(callee.type === AST_NODE_TYPES.MemberExpression && isContext(unwrap(callee.object)))) {
            addCallee(node.callee, 0);
          }
        }
      }
      return true;
    });
  }
  return result;
}

/** What a step or a compensation acts on (nouns) and what it does (verbs). */
class Targets {
  readonly nouns = new Set<string>();
  readonly verbs = new Set<string>();

  add(text: string): void {
    for (const token of tokens(text)) {
      if (!GENERIC_WORDS.has(token)) this.nouns.add(token);
      else if (UNDOES.has(token) || UNDONE.has(token)) this.verbs.add(token);
    }
  }

  /**
   * Whether this compensation undoes `step`: by the nouns when both name
   * something (`cancelFlight` / `bookFlight`), else by an inverse verb pair
   * (`refund` / `requestCharge`).
   */
  matches(step: Targets): boolean {
    if (this.nouns.size > 0 && step.nouns.size > 0) {
      for (const noun of this.nouns) if (step.nouns.has(noun)) return true;
      return false;
    }
    for (const verb of this.verbs) {
      const inverse = UNDOES.get(verb);
      if (inverse) for (const done of step.verbs) if (inverse.has(done)) return true;
    }
    return false;
  }
}
