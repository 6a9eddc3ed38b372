/**
 * Function summaries: what calling a function does, directly or through the
 * functions it calls, so that rules can report a helper's I/O, clock read,
 * timer, sleep or self-call at the call site in durable code.
 *
 * One engine serves every rule. A rule describes an effect (`Effect`): which
 * nodes of a function body are a sink (`fetch(url)`, `Date.now()`,
 * `ctx.sleep(…)`), and whether the search goes through functions that are
 * durable code on their own (helpers that take the context, whose direct
 * findings the rules already report where they are). The engine resolves
 * callees (`resolveCallee`), walks what a call executes, and memoises one
 * answer per function and effect. Like Temporal's workflowcheck and the
 * DurableTask analyzers, it never follows into `node_modules` or declaration
 * files, never into code inside `ctx.run` actions (it runs once), bounds the
 * depth, and terminates on recursion.
 *
 * Without type information callees are resolved within the file: function
 * declarations, never-reassigned `const` functions, methods of object
 * literals held in constants, class methods through `this.m()`, `new C().m()`
 * and constants holding `new C()`, static methods, constructors. With type
 * information the checker resolves the rest — imports, re-exports, barrel
 * files, methods by the declared type of the receiver — and the declaration
 * is summarised in its own file of the same program (`core/program-files.ts`).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { RestateAnalysis } from "./analysis.js";
import { callRunning, classDefinition, constantDefinition, enclosingFunction, isFunction, outermostWrapper, propertyKeyName, unwrap, variableOf, type FunctionNode } from "./ast.js";
import { isGlobalVariable } from "./globals.js";
import { memberName } from "./imports.js";
import type * as ts from "typescript";
import { analysisOfSourceFile, esNodeInProgramFile, sourceFileName } from "./program-files.js";

/** The nodes of a function body an effect looks at. */
export type ExecutedNode =
  | TSESTree.CallExpression
  | TSESTree.NewExpression
  | TSESTree.AssignmentExpression
  | TSESTree.UpdateExpression
  | TSESTree.AwaitExpression;

/** What a rule looks for through calls. */
export interface Effect {
  /** Memo key: the same id must mean the same answers (include the rule's options when they matter). */
  readonly id: string;
  /**
   * Whether the search continues into functions that are durable code on
   * their own (a helper taking the context, a function nested in a handler):
   * false for what the rules already report inside such a function (I/O,
   * clock reads, timers), true for what only matters from the caller's side
   * (sleeping while holding a lock, calling one's own object).
   */
  readonly throughDurable: boolean;
  /**
   * False for an effect whose answers depend on the file being linted (its
   * id names one handler of one lint): they are memoised for that program
   * only, never kept across programs, where such ids would pile up.
   */
  readonly keepAcrossPrograms?: boolean;
  /** The sink `node` is, in `analysis`'s file, described for messages (`fetch`, `Date.now()`); null when it is none. */
  sink(node: ExecutedNode, analysis: RestateAnalysis): SinkMatch | null;
  /**
   * Whether what a call reaches counts for the function making it, and the
   * sink's data as seen from there: for an effect about values, only calls
   * whose value the function returns; for one about a context, only calls
   * that hand it on (mapping the callee's parameter to the caller's). Null
   * rejects the path and the search goes on with the next call. Without it,
   * every call counts and the data is unchanged.
   */
  across?(call: TSESTree.CallExpression | TSESTree.NewExpression, analysis: RestateAnalysis, data: unknown): { readonly data: unknown } | null;
}

export interface SinkMatch {
  /** How the sink is named in messages: `fetch`, `Date.now()`, `ctx.sleep`. */
  readonly label: string;
  /** Anything else the rule needs about the sink (plain data). */
  readonly data?: unknown;
}

/** Where a sink is, as plain data (it may be in another file). */
export interface SinkSite extends SinkMatch {
  readonly fileName: string;
  /** 1-based line and 0-based column, as ESLint reports. */
  readonly loc: TSESTree.SourceLocation;
  readonly node: TSESTree.Node;
  readonly analysis: RestateAnalysis;
}

/** What a call reaches: the functions it goes through, the called one first, and the sink. */
export interface Reach {
  readonly path: readonly string[];
  readonly sink: SinkSite;
}

/** A callee resolved to the function that runs, in the file that declares it. */
export interface Callee {
  readonly fn: FunctionNode;
  /** The model of the file that declares it. */
  readonly analysis: RestateAnalysis;
  /** How it is named in chains: `getFxRate`, `Ledger.record`, `db.save`. */
  readonly name: string;
}

/** A callee whose file's model is built only when needed (null if that fails). */
interface LazyCallee {
  readonly fn: FunctionNode;
  readonly analysis: RestateAnalysis | null;
  readonly name: string;
  /** The file's `SourceFile`, with types. */
  readonly sourceFile: ts.SourceFile | null;
}

/** A sink as kept across programs: its file, so that its model can be had again. */
interface StoredSink extends SinkSite {
  readonly sourceFile: ts.SourceFile | null;
}

/**
 * A reach without its sink's node and model: the model keeps the program
 * that built it alive, and the node belongs to one parse of the file (ESLint
 * parses the linted file itself; other files are converted here). Both are
 * found again from the sink's range in the current program.
 */
function strip(reach: Reach): Reach {
  const sink = reach.sink as StoredSink;
  const stored = { ...sink, analysis: undefined, node: undefined, nodeRange: sink.node.range, nodeType: sink.node.type };
  return { path: reach.path, sink: stored as unknown as SinkSite };
}

/** The node of `type` that spans exactly `range` in a file's model. */
function nodeAt(analysis: RestateAnalysis, range: TSESTree.Range, type: string): TSESTree.Node | null {
  let node = analysis.sourceCode.getNodeByRangeIndex(range[0]) as TSESTree.Node | null;
  while (node && !(node.range[0] === range[0] && node.range[1] === range[1] && node.type === type)) node = node.parent ?? null;
  return node;
}

function isCurrent(program: ts.Program, deps: ReadonlySet<ts.SourceFile>): boolean {
  for (const dep of deps) if (program.getSourceFile(dep.fileName) !== dep) return false;
  return true;
}

/**
 * `RESTATE_GUARD_SUMMARIES=off` turns call following off (every `reachOfCall`
 * answers null): only for `npm run bench`, which measures what summaries cost.
 */
const SUMMARIES_OFF = typeof process !== "undefined" && process.env?.RESTATE_GUARD_SUMMARIES === "off";

/** How deep calls are followed below the call site. */
export const MAX_DEPTH = 8;

const IN_PROGRESS = Symbol("in progress");

/** A finished answer and the source files it was computed from (with types; empty without). */
interface Answer {
  readonly reach: Reach | null;
  readonly deps: ReadonlySet<ts.SourceFile>;
}
type Memo = Answer | typeof IN_PROGRESS;

/** What one search collects on its way: whether an answer is provisional, and the files it read. */
interface SearchState {
  /** A function on the path was still being summarised (recursion), or the depth bound cut the search. */
  incomplete: boolean;
  readonly deps: Set<ts.SourceFile>;
}

/**
 * Answers kept across programs, per source file: an editor builds a new
 * program after every keystroke, and TypeScript reuses the `SourceFile` of
 * every file that did not change. An answer is reused while every file it was
 * computed from is still the same `SourceFile` in the current program, so
 * after an edit only the summaries that read the edited file are computed
 * again. Sinks are stored without their file's model (which holds a program);
 * a reused positive answer gets the current program's model back.
 */
const acrossPrograms = new WeakMap<ts.SourceFile, Map<string, Map<number, Answer>>>();

const NO_DEPS: ReadonlySet<ts.SourceFile> = new Set();

/** How many function summaries were computed, per file (for tests and the benchmark: what an edit recomputes). */
export const summaryStats = { searches: new Map<string, number>() };

/** The summaries of one file's functions; obtained with `summariesOf(analysis)`. */
export class Summaries {
  private readonly memo = new Map<string, Map<FunctionNode, Memo>>();
  private readonly executed = new Map<FunctionNode, readonly ExecutedNode[]>();
  private readonly callees = new Map<TSESTree.Node, LazyCallee | null>();

  constructor(readonly analysis: RestateAnalysis) {}

  /**
   * What calling `call` (a call or `new` in this file) reaches for `effect`,
   * or null. The call itself is not a sink here: rules match direct sinks
   * themselves and ask this for the rest.
   */
  reachOfCall(call: TSESTree.CallExpression | TSESTree.NewExpression, effect: Effect): Reach | null {
    if (SUMMARIES_OFF) return null;
    const callee = this.resolveLazily(call);
    if (!callee) return null;
    return this.reachOfCallee(callee, effect, 1, { incomplete: false, deps: new Set() });
  }

  /** Every executed node of `fn` that is a sink of `effect`, without following calls. */
  directSinks(fn: FunctionNode, effect: Effect): ExecutedNode[] {
    return this.executedNodes(fn).filter((node) => effect.sink(node, this.analysis) !== null);
  }

  /**
   * The function a call runs, when it can be known: a local function, a
   * method of a local object or class, and with types anything the checker
   * resolves to a declaration with a body in a source file of the program.
   */
  resolveCallee(call: TSESTree.CallExpression | TSESTree.NewExpression): Callee | null {
    const callee = this.resolveLazily(call);
    return callee?.analysis ? (callee as Callee) : null;
  }

  private resolveLazily(call: TSESTree.CallExpression | TSESTree.NewExpression): LazyCallee | null {
    if (this.callees.has(call)) return this.callees.get(call)!;
    let callee: LazyCallee | null = null;
    try {
      callee = this.resolveSyntactically(call) ?? this.resolveWithTypes(call);
    } catch {
      callee = null; // a rule never throws: an unexpected shape resolves to nothing
    }
    this.callees.set(call, callee);
    return callee;
  }

  /** The nodes `fn` executes when called: its body without nested functions that are only defined there, nor `ctx.run` actions. */
  executedNodes(fn: FunctionNode): readonly ExecutedNode[] {
    let nodes = this.executed.get(fn);
    if (!nodes) {
      nodes = this.collectExecuted(fn);
      this.executed.set(fn, nodes);
    }
    return nodes;
  }

  // ---- the search -------------------------------------------------------------

  /** Where `callee`'s answer is: the memo of its own file's summaries, or the answers kept across programs. */
  private reachOfCallee(callee: LazyCallee, effect: Effect, depth: number, state: SearchState): Reach | null {
    const file = callee.sourceFile;
    if (file && this.analysis.types && effect.keepAcrossPrograms !== false) {
      const kept = acrossPrograms.get(file)?.get(effect.id)?.get(callee.fn.range[0]);
      if (kept && isCurrent(this.analysis.types.program, kept.deps)) {
        for (const dep of kept.deps) state.deps.add(dep);
        return kept.reach && this.rehome(kept.reach);
      }
    }
    const owner = callee.analysis;
    if (!owner) return null;
    return summariesOf(owner).reachOfFunction(callee as Callee, effect, depth, state);
  }

  /** @internal */
  reachOfFunction(callee: Callee, effect: Effect, depth: number, state: SearchState): Reach | null {
    const fn = callee.fn;
    let perEffect = this.memo.get(effect.id);
    if (!perEffect) this.memo.set(effect.id, (perEffect = new Map()));
    const known = perEffect.get(fn);
    if (known === IN_PROGRESS) {
      state.incomplete = true;
      return null;
    }
    if (known !== undefined) {
      for (const dep of known.deps) state.deps.add(dep);
      return known.reach;
    }
    if (depth > MAX_DEPTH) {
      state.incomplete = true;
      return null;
    }
    const file = this.sourceFile();
    const inner: SearchState = { incomplete: false, deps: new Set(file ? [file] : []) };
    let result: Reach | null = null;
    const info = this.analysis.functionInfo(fn);
    // Side-effect code runs once; durable code on its own is reported where it is (unless the effect goes through it).
    if (info.durability !== "side-effect" && (info.durability !== "durable" || effect.throughDurable)) {
      perEffect.set(fn, IN_PROGRESS);
      const fileName = fileNameOf(this.analysis);
      summaryStats.searches.set(fileName, (summaryStats.searches.get(fileName) ?? 0) + 1);
      try {
        result = this.search(callee, effect, depth, inner);
      } catch {
        result = null;
      }
    }
    for (const dep of inner.deps) state.deps.add(dep);
    // A negative answer that depended on a function still being summarised (recursion) is not final.
    if (result === null && inner.incomplete) {
      perEffect.delete(fn);
      state.incomplete = true;
      return null;
    }
    const answer: Answer = { reach: result, deps: file ? inner.deps : NO_DEPS };
    perEffect.set(fn, answer);
    if (file && effect.keepAcrossPrograms !== false) {
      let perFile = acrossPrograms.get(file);
      if (!perFile) acrossPrograms.set(file, (perFile = new Map()));
      let perEffectKept = perFile.get(effect.id);
      if (!perEffectKept) perFile.set(effect.id, (perEffectKept = new Map()));
      perEffectKept.set(fn.range[0], { reach: result && strip(result), deps: inner.deps });
    }
    return result;
  }

  /** This file's `SourceFile`, with types. */
  private sourceFile(): ts.SourceFile | null {
    const types = this.analysis.types;
    return types ? types.sourceFile(this.analysis.sourceCode.ast) : null;
  }

  /** A kept answer with its sink's node and model taken from the current program. */
  private rehome(reach: Reach): Reach | null {
    const sink = reach.sink as StoredSink & { nodeRange: TSESTree.Range; nodeType: string };
    const file = sink.sourceFile;
    const owner = !file ? null : file === this.sourceFile() ? this.analysis : analysisOfSourceFile(this.analysis, file);
    const node = owner ? nodeAt(owner, sink.nodeRange, sink.nodeType) : null;
    if (!owner || !node) return null;
    const { nodeRange: _range, nodeType: _type, ...rest } = sink;
    return { path: reach.path, sink: { ...rest, node, loc: node.loc, analysis: owner } as StoredSink };
  }

  private search(callee: Callee, effect: Effect, depth: number, state: SearchState): Reach | null {
    const nodes = this.executedNodes(callee.fn);
    // Direct sinks first (the shortest chain), then through the calls in source order.
    for (const node of nodes) {
      const match = effect.sink(node, this.analysis);
      if (match) return { path: [callee.name], sink: this.site(node, match) };
    }
    for (const node of nodes) {
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) continue;
      const next = this.resolveLazily(node);
      if (!next || next.fn === callee.fn) continue;
      const reach = this.reachOfCallee(next, effect, depth + 1, state);
      if (!reach) continue;
      if (!effect.across) return { path: [callee.name, ...reach.path], sink: reach.sink };
      const lifted = effect.across(node, this.analysis, reach.sink.data);
      if (lifted) return { path: [callee.name, ...reach.path], sink: { ...reach.sink, data: lifted.data } as SinkSite };
    }
    return null;
  }

  private site(node: TSESTree.Node, match: SinkMatch): SinkSite {
    const site: StoredSink = { ...match, fileName: fileNameOf(this.analysis), loc: node.loc, node, analysis: this.analysis, sourceFile: this.sourceFile() };
    return site;
  }

  private collectExecuted(fn: FunctionNode): ExecutedNode[] {
    const result: ExecutedNode[] = [];
    const keys = this.analysis.sourceCode.visitorKeys;
    const visit = (node: TSESTree.Node): void => {
      if (node !== fn && isFunction(node) && !this.runsWhereDefined(node)) return;
      if (node !== fn && (node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression)) return;
      switch (node.type) {
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
        case AST_NODE_TYPES.AssignmentExpression:
        case AST_NODE_TYPES.UpdateExpression:
        case AST_NODE_TYPES.AwaitExpression:
          result.push(node);
      }
      for (const key of keys[node.type] ?? []) {
        if (node === fn && key !== "body") continue; // parameters' defaults and decorators aside
        const child = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) {
          for (const item of child) if (item && typeof (item as TSESTree.Node).type === "string") visit(item as TSESTree.Node);
        } else if (child && typeof (child as TSESTree.Node).type === "string") {
          visit(child as TSESTree.Node);
        }
      }
    };
    visit(fn);
    // Source order: callees are tried in the order the code calls them.
    result.sort((a, b) => a.range[0] - b.range[0]);
    return result;
  }

  /**
   * A function written inside another runs as part of it when it is called
   * right there (`(() => …)()`) or handed to a call as a callback
   * (`items.map((i) => …)`, `new Promise((resolve) => …)`) — but not a
   * `ctx.run` action, which runs once, nor a function that is only returned,
   * stored or registered as a handler.
   */
  private runsWhereDefined(fn: FunctionNode): boolean {
    if (this.analysis.functionInfo(fn).durability === "side-effect") return false;
    if (this.analysis.handlers.has(fn)) return false;
    const call = callRunning(fn);
    if (!call) return false;
    // With types, an action of `x.run(…)` on any value typed as a Restate context (a class field,
    // `const ctx = this.ctx`), which the file's context bindings do not cover.
    return call.callee === outermostWrapper(fn) || !(call.type === AST_NODE_TYPES.CallExpression && this.isContextRun(call));
  }

  /** `x.run(…)` where `x`'s type is a Restate context. */
  private isContextRun(call: TSESTree.CallExpression): boolean {
    const types = this.analysis.types;
    const callee = unwrap(call.callee);
    if (!types || callee.type !== AST_NODE_TYPES.MemberExpression || memberName(callee) !== "run") return false;
    return types.safely(() => types.contextKind(types.typeOf(callee.object)) !== null, false);
  }

  // ---- resolution -------------------------------------------------------------

  private resolveSyntactically(call: TSESTree.CallExpression | TSESTree.NewExpression): LazyCallee | null {
    const sourceCode = this.analysis.sourceCode;
    const callee = unwrap(call.callee);
    if (call.type === AST_NODE_TYPES.NewExpression) {
      const cls = this.localClass(callee);
      const constructor = cls ? classMember(cls, "constructor", false) : null;
      return constructor ? this.callee(constructor, `new ${className(cls!) ?? "(class)"}`) : null;
    }
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const definition = constantDefinition(variableOf(sourceCode, callee));
      if (isFunction(definition)) return this.callee(definition, callee.name);
      return null;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return isFunction(callee) ? this.callee(callee, "(function)") : null;
    const method = memberName(callee);
    if (method === null) return null;
    const object = unwrap(callee.object);
    // `this.m()` inside a class method (not a nested `function`, whose `this` is another).
    if (object.type === AST_NODE_TYPES.ThisExpression) {
      const owner = thisClass(call);
      if (!owner) return null;
      const fn = classMember(owner.cls, method, owner.isStatic);
      return fn ? this.callee(fn, `${className(owner.cls) ?? "this"}.${method}`) : null;
    }
    // `new C(…).m()`.
    if (object.type === AST_NODE_TYPES.NewExpression) {
      const cls = this.localClass(unwrap(object.callee));
      const fn = cls ? classMember(cls, method, false) : null;
      return fn ? this.callee(fn, `${className(cls!) ?? "(class)"}.${method}`) : null;
    }
    if (object.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = variableOf(sourceCode, object);
    // `C.m()`: a static method of a local class (`class C {}` or `const C = class {}`).
    const cls = classDefinition(variable);
    if (cls) {
      const fn = classMember(cls, method, true);
      return fn ? this.callee(fn, `${object.name}.${method}`) : null;
    }
    const definition = constantDefinition(variable);
    if (!definition) return null;
    // `const db = { save() {…} }; db.save()`.
    if (definition.type === AST_NODE_TYPES.ObjectExpression) {
      const fn = objectMember(definition, method);
      return fn ? this.callee(fn, `${object.name}.${method}`) : null;
    }
    // `const ledger = new Ledger(); ledger.record()`.
    if (definition.type === AST_NODE_TYPES.NewExpression) {
      const cls = this.localClass(unwrap(definition.callee));
      const fn = cls ? classMember(cls, method, false) : null;
      return fn ? this.callee(fn, `${object.name}.${method}`) : null;
    }
    return null;
  }

  /**
   * Whether a callee may be a function of the project, before asking the
   * checker: not a member of a Restate context (`ctx.run`, `ctx.get`: the
   * SDK), not a built-in global or a member of one (`JSON.stringify`,
   * `Math.max`, `fetch`: the lib, which has no bodies).
   */
  private mayBeUserCode(callee: TSESTree.Node): boolean {
    let root = callee;
    while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
    // A method of what a context member returns (`ctx.objectSendClient(X, k).h(…)`: a client, a RestatePromise, a
    // Request) is declared by the SDK or TypeScript's lib; asking the checker for it would instantiate the SDK's
    // client types first, to find a declaration that is never followed.
    if (root.type === AST_NODE_TYPES.CallExpression) return !this.analysis.derivesFromContext(root);
    if (root.type !== AST_NODE_TYPES.Identifier) return true;
    const variable = variableOf(this.analysis.sourceCode, root);
    if (isGlobalVariable(variable)) return false; // declared by the lib or a .d.ts: no body to follow
    return !this.analysis.contexts.some((binding) => binding.variable === variable);
  }

  private localClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | null {
    if (node.type === AST_NODE_TYPES.ClassExpression) return node;
    if (node.type !== AST_NODE_TYPES.Identifier) return null;
    return classDefinition(variableOf(this.analysis.sourceCode, node));
  }

  private callee(fn: FunctionNode, name: string): LazyCallee {
    return { fn, analysis: this.analysis, name: declaredName(fn) ?? name, sourceFile: this.sourceFile() };
  }

  /** With types: the declaration the checker resolves the callee to, in a source file of the program. */
  private resolveWithTypes(call: TSESTree.CallExpression | TSESTree.NewExpression): LazyCallee | null {
    const types = this.analysis.types;
    if (!types) return null;
    const callee = unwrap(call.callee);
    const nameNode =
      callee.type === AST_NODE_TYPES.Identifier
        ? callee
        : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
          ? callee.property
          : null;
    if (!nameNode || !this.mayBeUserCode(callee)) return null;
    const checker = types.checker;
    let symbol = checker.getSymbolAtLocation(types.tsNode(nameNode));
    // Through imports and re-exports (`export { x } from`, barrels, `export *`).
    for (let i = 0; symbol && symbol.flags & ALIAS_FLAG && i < 8; i++) symbol = checker.getAliasedSymbol(symbol);
    if (!symbol || isMappedProperty(symbol)) return null;
    // A method of a Restate client (`ctx.serviceClient(Helper).echoLater(…)`, through any alias or
    // field) is a call to another invocation, never a local call of the handler it names.
    if (callee.type === AST_NODE_TYPES.MemberExpression && types.safely(() => isSdkValue(types, callee.object), false)) return null;
    const isNew = call.type === AST_NODE_TYPES.NewExpression;
    for (const declaration of symbol.getDeclarations() ?? []) {
      const file = declaration.getSourceFile();
      if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) continue;
      const own = file === this.sourceFile();
      const node = own ? types.esNode(declaration) : esNodeInProgramFile(this.analysis, file, declaration);
      const fn = node ? functionOfDeclaration(node, isNew) : null;
      if (!fn) continue;
      const name = declaredName(fn) ?? (callee.type === AST_NODE_TYPES.MemberExpression ? memberLabel(this.analysis.sourceCode, callee) : symbol.getName());
      const from = this.analysis;
      let owner: RestateAnalysis | null | undefined = own ? from : undefined;
      return {
        fn,
        name,
        sourceFile: file,
        // Built only when the answer is not kept from an earlier program.
        get analysis() {
          if (owner === undefined) owner = analysisOfSourceFile(from, file);
          return owner;
        },
      };
    }
    return null;
  }
}

/**
 * A property the checker made for a mapped type (`Client<typeof helper>`
 * maps every handler of a definition to a method): its declaration is the
 * handler, but calling it is not calling that function. `checkFlags` is
 * TypeScript's internal mark (CheckFlags.Mapped); when it is absent, the
 * receiver check below still applies.
 */
function isMappedProperty(symbol: ts.Symbol): boolean {
  if (!(symbol.flags & TRANSIENT_FLAG)) return false;
  const checkFlags = (symbol as ts.Symbol & { links?: { checkFlags?: number } }).links?.checkFlags ?? 0;
  return (checkFlags & MAPPED_CHECK_FLAG) !== 0;
}

/** Whether a value's type is declared by the Restate SDK (a client, a context, a promise). */
function isSdkValue(types: NonNullable<RestateAnalysis["types"]>, node: TSESTree.Node): boolean {
  const type = types.typeOf(node);
  return types.originOf(type.aliasSymbol) === "sdk" || types.originOf(type.getSymbol()) === "sdk";
}

const TRANSIENT_FLAG = 33554432; // ts.SymbolFlags.Transient
const MAPPED_CHECK_FLAG = 262144; // ts.CheckFlags.Mapped (internal)
const ALIAS_FLAG = 2097152; // ts.SymbolFlags.Alias, stable since TypeScript 2 (a value import of typescript would load a second copy in tsserver)

/**
 * The function a declaration stands for, found on the ESTree side (so no
 * `ts.SyntaxKind` number is needed): a function declaration, a method, a
 * `const f = () => …`, an object property or class field holding a function,
 * or for `new C()` the class's constructor.
 */
function functionOfDeclaration(node: TSESTree.Node, isNew: boolean): FunctionNode | null {
  switch (node.type) {
    case AST_NODE_TYPES.ClassDeclaration:
    case AST_NODE_TYPES.ClassExpression:
      return isNew ? classMember(node, "constructor", false) : null;
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return isNew ? null : node;
    case AST_NODE_TYPES.MethodDefinition:
      return !isNew || node.kind === "constructor" ? (node.value.body ? node.value : null) : null;
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.VariableDeclarator: {
      const value = node.type === AST_NODE_TYPES.VariableDeclarator ? node.init : node.value;
      const fn = value ? unwrap(value) : null;
      return !isNew && isFunction(fn) ? fn : null;
    }
  }
  return null;
}

function className(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): string | null {
  if (cls.id) return cls.id.name;
  const parent = cls.parent;
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : null;
}

/** A method (or arrow-function field) of a class by name, with a body. */
function classMember(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string, isStatic: boolean): FunctionNode | null {
  for (const member of cls.body.body) {
    if (member.type === AST_NODE_TYPES.MethodDefinition) {
      if (member.static !== isStatic || member.kind === "get" || member.kind === "set") continue;
      if (propertyKeyName(member) === name && member.value.body) return member.value;
    } else if (member.type === AST_NODE_TYPES.PropertyDefinition && member.static === isStatic && member.value) {
      const value = unwrap(member.value);
      if (propertyKeyName(member) === name && isFunction(value)) return value;
    }
  }
  return null;
}

/** A function-valued property or method of an object literal, by name. */
function objectMember(object: TSESTree.ObjectExpression, name: string): FunctionNode | null {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.kind !== "init") continue;
    if (propertyKeyName(property) !== name) continue;
    const value = unwrap(property.value);
    return isFunction(value) ? value : null;
  }
  return null;
}

/** The class whose method `node` is in, through arrow functions (which keep `this`), and whether the method is static. */
function thisClass(node: TSESTree.Node): { cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression; isStatic: boolean } | null {
  let fn = enclosingFunction(node);
  while (fn?.type === AST_NODE_TYPES.ArrowFunctionExpression) fn = enclosingFunction(fn);
  if (!fn) return null;
  const holder = fn.parent;
  if (holder?.type === AST_NODE_TYPES.MethodDefinition || holder?.type === AST_NODE_TYPES.PropertyDefinition) {
    const body = holder.parent;
    const cls = body?.parent;
    if (cls?.type === AST_NODE_TYPES.ClassDeclaration || cls?.type === AST_NODE_TYPES.ClassExpression) return { cls, isStatic: holder.static };
  }
  return null;
}

/**
 * A function's name as declared, for chains: `getFxRate`, `Ledger.record`,
 * `db.save`, `new Ledger` for a constructor; null for anonymous functions.
 */
export function declaredName(fn: FunctionNode): string | null {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return fn.id?.name ?? null;
  const holder = outermostWrapper(fn).parent;
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator) return holder.id.type === AST_NODE_TYPES.Identifier ? holder.id.name : null;
  if (holder?.type === AST_NODE_TYPES.MethodDefinition || holder?.type === AST_NODE_TYPES.PropertyDefinition) {
    const cls = holder.parent.parent as TSESTree.ClassDeclaration | TSESTree.ClassExpression;
    const owner = className(cls) ?? "(class)";
    if (holder.type === AST_NODE_TYPES.MethodDefinition && holder.kind === "constructor") return `new ${owner}`;
    const key = propertyKeyName(holder);
    return key ? `${owner}.${key}` : null;
  }
  if (holder?.type === AST_NODE_TYPES.Property) {
    const key = propertyKeyName(holder);
    const object = holder.parent;
    const declarator = object?.parent;
    const owner = declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : null;
    return key ? (owner ? `${owner}.${key}` : key) : null;
  }
  return null;
}

function memberLabel(sourceCode: TSESLint.SourceCode, callee: TSESTree.MemberExpression): string {
  const text = sourceCode.getText(callee).replace(/\s+/g, "");
  return text.length <= 30 ? text : (memberName(callee) ?? "(method)");
}

function fileNameOf(analysis: RestateAnalysis): string {
  return sourceFileName(analysis);
}

// ---- per file --------------------------------------------------------------------

const perAnalysis = new WeakMap<RestateAnalysis, Summaries>();

/** The summaries of a file's functions, shared by every rule that lints it. */
export function summariesOf(analysis: RestateAnalysis): Summaries {
  let summaries = perAnalysis.get(analysis);
  if (!summaries) {
    summaries = new Summaries(analysis);
    perAnalysis.set(analysis, summaries);
  }
  return summaries;
}

/**
 * `` `getFxRate` → `fetch` (fx.ts:7) ``: the chain for messages. A chain of
 * more than four names keeps the first two and the last two (the related
 * location points at the end anyway), so messages stay short.
 */
export function describeReach(reach: Reach): string {
  const base = reach.sink.fileName.split(/[\\/]/).pop() || "this file";
  const names = [...reach.path, reach.sink.label].map((name) => `\`${name}\``);
  const shown = names.length > 4 ? [...names.slice(0, 2), "…", ...names.slice(-2)] : names;
  return `${shown.join(" → ")} (${base}:${reach.sink.loc.start.line})`;
}
