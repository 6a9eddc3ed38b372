import { AST_NODE_TYPES, ASTUtils, type ParserServicesWithTypeInformation, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { callOfCallee, contains, enclosingFunction, isFunction, outermostWrapper, resolveLocalFunction, unwrap, type FunctionNode } from "./ast.js";
import { contextKindOfAnnotation } from "./annotations.js";
import { findHandlers, type HandlerInfo } from "./handlers.js";
import { forgetRelated } from "./related.js";
import { ImportIndex, importsModuleUnder, memberName } from "./imports.js";
import { CLIENTS_MODULES, JOURNALED_MEMBERS, RESTATE_MODULE_PREFIX, SDK_MODULES, type ContextKind, type HandlerKind } from "./sdk.js";
import { TypeInfo } from "./types.js";

type Variable = TSESLint.Scope.Variable;
type RuleContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** A variable that holds a Restate context: a handler's first parameter, an annotated helper parameter, or an alias of one. */
export interface ContextBinding {
  readonly variable: Variable;
  readonly name: string;
  /** What the context is, from its annotation, its type, or the handler it belongs to; null when unknown. */
  readonly kind: ContextKind | null;
  /** The function whose parameter (or local) it is. */
  readonly fn: FunctionNode;
  readonly aliasOf: ContextBinding | null;
}

/** One reference to a context variable, classified. */
export interface ContextUse {
  readonly binding: ContextBinding;
  readonly identifier: TSESTree.Identifier;
  /** `run` in `ctx.run(...)`; null when the context is used as a value. */
  readonly member: string | null;
  /** `ctx.member` when there is a member, else the identifier. */
  readonly node: TSESTree.Node;
  /** The call of the operation: `ctx.run(...)`, or `ctx.rand.random()` for the nested `rand`/`date` APIs. */
  readonly call: TSESTree.CallExpression | null;
  /** A journaled operation (creates or depends on the order of journal entries). */
  readonly journaled: boolean;
  /** The context object itself is handed to another function (`helper(ctx)`, `helper({ ctx })`). */
  readonly passed: boolean;
}

/** A `ctx.run(name?, action, options?)` call. */
export interface RunCall {
  readonly call: TSESTree.CallExpression;
  readonly binding: ContextBinding;
  /** The action when it is a function written or declared in this file. */
  readonly action: FunctionNode | null;
  /** The literal name, when given. */
  readonly name: string | null;
}

export type Durability =
  /** Replayed from the journal: must be deterministic and journal everything it does. */
  | "durable"
  /** Inside a `ctx.run` action: runs once, its result is journaled. */
  | "side-effect"
  /** Not Restate code as far as this file shows. */
  | "plain";

export interface FunctionInfo {
  readonly fn: FunctionNode;
  readonly durability: Durability;
  readonly reason: "handler" | "context-parameter" | "nested" | "run-action" | "in-run" | "none";
  /** The nearest enclosing registered handler, if any. */
  readonly handler: HandlerInfo | null;
  /** For side-effect code, the run call whose action it is in. */
  readonly run: RunCall | null;
}

/**
 * The Restate model of one file, computed once and shared by every rule.
 *
 * Everything eager here is found from imports and scope-manager references
 * (no extra traversal of the file); everything per-node is computed on demand
 * and memoised. A later cross-file analysis plugs in through
 * `DurabilitySource`: a function becomes durable when any source says so.
 */
export class RestateAnalysis {
  /** False when the file has nothing to do with Restate: every rule stops right there. */
  readonly active: boolean;
  readonly imports: ImportIndex | null;
  readonly handlers: ReadonlyMap<FunctionNode, HandlerInfo>;
  readonly contexts: readonly ContextBinding[];
  /** Every use of every context, in source order. */
  readonly uses: readonly ContextUse[];
  readonly runCalls: readonly RunCall[];
  /** Present when the file was parsed with type information. */
  readonly types: TypeInfo | null;

  private readonly runActions = new Map<FunctionNode, RunCall>();
  private readonly contextsByFunction = new Map<FunctionNode, ContextBinding[]>();
  private readonly infoCache = new Map<FunctionNode, FunctionInfo>();
  private readonly globalReferences = new Map<string, boolean>();
  private contextVariables: Set<Variable> | null = null;

  constructor(
    readonly sourceCode: TSESLint.SourceCode,
    types: TypeInfo | null,
    private readonly extraSources: readonly DurabilitySource[] = [],
    /** The file's path, for locations in messages about other files' code. */
    readonly fileName = "",
  ) {
    this.types = types;
    // The cheap exit: a look at the top-level imports (comments and strings elsewhere never count).
    const mentionsRestate = importsModuleUnder(sourceCode.ast, RESTATE_MODULE_PREFIX);
    const typedCandidate = !mentionsRestate && types !== null && types.programUsesSdk();
    if (!mentionsRestate && !typedCandidate) {
      this.active = false;
      this.imports = null;
      this.handlers = new Map();
      this.contexts = [];
      this.uses = [];
      this.runCalls = [];
      return;
    }
    const imports = new ImportIndex(sourceCode.ast, sourceCode.scopeManager!);
    this.imports = imports;
    const usesRestate = imports.hasModule(SDK_MODULES) || imports.hasModule(CLIENTS_MODULES);
    this.handlers = usesRestate
      ? findHandlers(sourceCode, imports, types ? (fn) => types.contextualFirstParameterKind(fn) : null)
      : new Map();
    this.contexts = this.findContexts(imports);
    this.active = usesRestate || this.contexts.length > 0;
    this.uses = this.classifyUses();
    this.runCalls = this.findRunCalls();
  }

  // ---- durability -------------------------------------------------------

  functionInfo(fn: FunctionNode): FunctionInfo {
    let info = this.infoCache.get(fn);
    if (!info) {
      info = this.computeFunctionInfo(fn);
      this.infoCache.set(fn, info);
    }
    return info;
  }

  /** The function `node` runs in (its innermost enclosing function), or null at module level. */
  scopeOf(node: TSESTree.Node): FunctionInfo | null {
    const fn = enclosingFunction(node);
    return fn ? this.functionInfo(fn) : null;
  }

  /** Whether `node` is replayed durable code (and not inside a `ctx.run` action). */
  isDurable(node: TSESTree.Node): boolean {
    return this.scopeOf(node)?.durability === "durable";
  }

  /** The registered handler whose durable code `node` is part of (null in `ctx.run` actions, helpers and module code). */
  handlerAt(node: TSESTree.Node): HandlerInfo | null {
    const info = this.scopeOf(node);
    return info?.durability === "durable" ? info.handler : null;
  }

  // ---- contexts -----------------------------------------------------------

  /** Context bindings declared by this function (its parameters and aliases). */
  contextsOf(fn: FunctionNode): readonly ContextBinding[] {
    return this.contextsByFunction.get(fn) ?? [];
  }

  /** The innermost context visible by its own name at `node` (for fixes that write `ctx.…`). */
  contextAt(node: TSESTree.Node): ContextBinding | null {
    const scope = this.sourceCode.getScope(node);
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      for (const binding of this.contextsOf(fn)) {
        if (ASTUtils.findVariable(scope, binding.name) === binding.variable) return binding;
      }
    }
    return null;
  }

  /**
   * Whether `node` is a context or what members and calls of one give (`ctx.objectSendClient(X, k).h`,
   * `ctx.run(…).then`): a value of a type the SDK (or TypeScript's lib, for the promises) declares, from syntax.
   */
  derivesFromContext(node: TSESTree.Node): boolean {
    let root = unwrap(node);
    while (root.type === AST_NODE_TYPES.MemberExpression || root.type === AST_NODE_TYPES.CallExpression) {
      root = unwrap(root.type === AST_NODE_TYPES.MemberExpression ? root.object : root.callee);
    }
    if (root.type !== AST_NODE_TYPES.Identifier || this.contexts.length === 0) return false;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(root), root);
    return variable !== null && this.isContextVariable(variable);
  }

  /** Whether `variable` holds a Restate context (a handler's parameter, an alias, a typed parameter). */
  isContextVariable(variable: Variable): boolean {
    this.contextVariables ??= new Set(this.contexts.map((binding) => binding.variable));
    return this.contextVariables.has(variable);
  }

  /** Context uses whose identifier lies inside `node`, in source order. */
  usesWithin(node: TSESTree.Node): ContextUse[] {
    const [start, end] = node.range;
    let lo = 0;
    let hi = this.uses.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.uses[mid].identifier.range[0] < start) lo = mid + 1;
      else hi = mid;
    }
    const result: ContextUse[] = [];
    for (let i = lo; i < this.uses.length && this.uses[i].identifier.range[1] <= end; i++) result.push(this.uses[i]);
    return result;
  }

  // ---- globals ------------------------------------------------------------

  /**
   * Whether the file references the global `name` anywhere: a name no
   * declaration resolves (the global scope's `through`), or one resolved to
   * an implicit global (a lib or configured global, which ESLint moves out of
   * `through`). From the scope manager: a comment or string never counts.
   */
  referencesGlobal(name: string): boolean {
    let result = this.globalReferences.get(name);
    if (result === undefined) {
      const global = this.sourceCode.scopeManager?.globalScope ?? null;
      const variable = global?.set.get(name);
      result =
        global !== null &&
        ((variable !== undefined && variable.defs.length === 0 && variable.references.length > 0) ||
          global.through.some((reference) => reference.identifier.name === name));
      this.globalReferences.set(name, result);
    }
    return result;
  }

  // ---- construction -----------------------------------------------------

  private computeFunctionInfo(fn: FunctionNode): FunctionInfo {
    const run = this.runActions.get(fn);
    const parent = enclosingFunction(fn);
    const parentInfo = parent ? this.functionInfo(parent) : null;
    if (run) return { fn, durability: "side-effect", reason: "run-action", handler: parentInfo?.handler ?? null, run };
    if (parentInfo?.durability === "side-effect") return { ...parentInfo, fn, reason: "in-run" };
    const handler = this.handlers.get(fn);
    if (handler) return { fn, durability: "durable", reason: "handler", handler, run: null };
    const inherited = parentInfo?.handler ?? null;
    if (this.contextsByFunction.has(fn) || this.extraSources.some((source) => source.isDurable(fn, this))) {
      return { fn, durability: "durable", reason: "context-parameter", handler: inherited, run: null };
    }
    if (parentInfo?.durability === "durable") {
      const nested: FunctionInfo = { fn, durability: "durable", reason: "nested", handler: inherited, run: null };
      // Provisional entry: recursion through the function's own references must terminate.
      this.infoCache.set(fn, nested);
      const run = this.onlyCalledFromRuns(fn);
      return run ? { fn, durability: "side-effect", reason: "in-run", handler: inherited, run } : nested;
    }
    return { fn, durability: "plain", reason: "none", handler: null, run: null };
  }

  /**
   * A local function of durable code that is only ever called from inside
   * `ctx.run` actions (`const fetchPrice = () => …; await ctx.run(() => fetchPrice())`)
   * runs as part of those side effects: the run it is called from, else null.
   */
  private onlyCalledFromRuns(fn: FunctionNode): RunCall | null {
    const scopeManager = this.sourceCode.scopeManager!;
    let declared: TSESTree.Node = fn;
    if (fn.type !== AST_NODE_TYPES.FunctionDeclaration) {
      const parent = outermostWrapper(fn).parent;
      if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.id.type !== AST_NODE_TYPES.Identifier) return null;
      declared = parent;
    }
    const variable = scopeManager.getDeclaredVariables(declared)[0];
    if (!variable) return null;
    let run: RunCall | null = null;
    for (const reference of variable.references) {
      if (reference.init || contains(fn, reference.identifier)) continue;
      const info = this.scopeOf(reference.identifier);
      if (info?.durability !== "side-effect" || !info.run) return null;
      run ??= info.run;
    }
    return run;
  }

  private findContexts(imports: ImportIndex): ContextBinding[] {
    const bindings: ContextBinding[] = [];
    const seen = new Set<Variable>();
    const add = (variable: Variable, kind: ContextKind | null, fn: FunctionNode, aliasOf: ContextBinding | null) => {
      if (seen.has(variable)) return;
      seen.add(variable);
      const binding: ContextBinding = { variable, name: variable.name, kind, fn, aliasOf };
      bindings.push(binding);
      const list = this.contextsByFunction.get(fn);
      if (list) list.push(binding);
      else this.contextsByFunction.set(fn, [binding]);
    };
    const scopeManager = this.sourceCode.scopeManager!;

    // Parameters of registered handlers: the first one is the context, annotated or not.
    for (const handler of this.handlers.values()) {
      // A TypeScript `this` parameter is not passed: the context is the first real one.
      const first = handler.fn.params.find((p) => !isThisParameter(p));
      const identifier = first ? parameterIdentifier(first) : null;
      if (!identifier) continue;
      const variable = scopeManager.getDeclaredVariables(handler.fn).find((v) => v.name === identifier.name);
      const annotated = identifier.typeAnnotation ? contextKindOfAnnotation(this.sourceCode, imports, identifier.typeAnnotation.typeAnnotation) : null;
      if (variable) add(variable, annotated ?? HANDLER_CONTEXT[handler.kind], handler.fn, null);
    }

    // Any function parameter whose annotation (or, with types, whose type) is a Restate context.
    for (const scope of scopeManager.scopes) {
      if (scope.type !== "function" || !isFunction(scope.block)) continue;
      const fn = scope.block;
      for (const variable of scope.variables) {
        const def = variable.defs[0];
        if (def?.type !== "Parameter" || seen.has(variable) || variable.name === "this") continue;
        const kind = this.parameterContextKind(imports, def.name as TSESTree.Identifier);
        if (kind) add(variable, kind, fn, null);
      }
    }

    // Aliases: `const c = ctx`.
    for (let i = 0; i < bindings.length; i++) {
      const binding = bindings[i];
      for (const reference of binding.variable.references) {
        const parent = outermostWrapper(reference.identifier).parent;
        if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.id.type !== AST_NODE_TYPES.Identifier) continue;
        if (unwrap(parent.init!) !== reference.identifier) continue;
        const fn = enclosingFunction(parent);
        const alias = scopeManager.getDeclaredVariables(parent)[0];
        if (fn && alias) add(alias, binding.kind, fn, binding);
      }
    }
    return bindings;
  }

  /** The context kind of a parameter identifier, from its own annotation, the annotation of the pattern it is in, or its type. */
  private parameterContextKind(imports: ImportIndex, identifier: TSESTree.Identifier): ContextKind | null {
    const annotation = parameterAnnotation(identifier);
    if (annotation) {
      const kind = contextKindOfAnnotation(this.sourceCode, imports, annotation);
      if (kind) return kind;
    }
    // With types, any annotated parameter may still be a context (aliases across files, generics).
    if (this.types && (annotation || identifier.parent?.type === AST_NODE_TYPES.Property)) {
      if (annotation && !mayBeContextAnnotation(annotation)) return null;
      return this.types.contextKind(this.types.typeOf(identifier));
    }
    return null;
  }

  private classifyUses(): ContextUse[] {
    const uses: ContextUse[] = [];
    for (const binding of this.contexts) {
      for (const reference of binding.variable.references) {
        if (reference.init || reference.isWrite()) continue;
        const identifier = reference.identifier as TSESTree.Identifier;
        const outer = outermostWrapper(identifier);
        const parent = outer.parent;
        if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) {
          const member = memberName(parent);
          let call = callOfCallee(parent);
          if (!call && (member === "rand" || member === "date")) {
            const inner = outermostWrapper(parent).parent;
            if (inner?.type === AST_NODE_TYPES.MemberExpression && inner.object === outermostWrapper(parent)) call = callOfCallee(inner);
          }
          uses.push({
            binding,
            identifier,
            member,
            node: parent,
            call,
            journaled: member !== null && JOURNALED_MEMBERS.has(member),
            passed: false,
          });
          continue;
        }
        uses.push({ binding, identifier, member: null, node: identifier, call: null, journaled: false, passed: isPassedToFunction(outer) });
      }
    }
    uses.sort((a, b) => a.identifier.range[0] - b.identifier.range[0]);
    return uses;
  }

  private findRunCalls(): RunCall[] {
    const runs: RunCall[] = [];
    for (const use of this.uses) {
      if (use.member !== "run" || !use.call || use.call.callee !== outermostWrapper(use.node)) continue;
      const args = use.call.arguments;
      const first = args[0];
      const nameNode = first && !isFunction(unwrap(first)) && args.length >= 2 ? unwrap(first) : null;
      const actionNode = nameNode ? args[1] : first;
      const action = actionNode ? resolveLocalFunction(this.sourceCode, actionNode) : null;
      const name =
        nameNode?.type === AST_NODE_TYPES.Literal && typeof nameNode.value === "string"
          ? nameNode.value
          : nameNode?.type === AST_NODE_TYPES.TemplateLiteral && nameNode.quasis.length === 1
            ? nameNode.quasis[0].value.cooked
            : null;
      const run: RunCall = { call: use.call, binding: use.binding, action, name };
      runs.push(run);
      // Only functions written at the call, or declared inside durable code, are "the action":
      // a module-level function used as an action is plain code anyway.
      if (action && (contains(use.call, action) || enclosingFunction(action) !== null)) this.runActions.set(action, run);
    }
    return runs;
  }
}

/** Extension point for analyses beyond this file (e.g. helpers called from durable code in another file). */
export interface DurabilitySource {
  isDurable(fn: FunctionNode, analysis: RestateAnalysis): boolean;
}

const HANDLER_CONTEXT: Record<HandlerKind | "unknown", ContextKind | null> = {
  service: "service",
  "object-exclusive": "object",
  "object-shared": "object-shared",
  "workflow-run": "workflow",
  "workflow-shared": "workflow-shared",
  unknown: null,
};

/** `function f(this: T, ...)`: TypeScript's `this` parameter, which only types `this`. */
function isThisParameter(param: TSESTree.Parameter): boolean {
  return param.type === AST_NODE_TYPES.Identifier && param.name === "this";
}

function parameterIdentifier(param: TSESTree.Parameter): TSESTree.Identifier | null {
  if (param.type === AST_NODE_TYPES.Identifier) return param;
  if (param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier) return param.left;
  if (param.type === AST_NODE_TYPES.TSParameterProperty) {
    const inner = param.parameter;
    if (inner.type === AST_NODE_TYPES.Identifier) return inner;
    if (inner.type === AST_NODE_TYPES.AssignmentPattern && inner.left.type === AST_NODE_TYPES.Identifier) return inner.left;
  }
  return null;
}

/**
 * The type annotation that applies to a parameter identifier: its own, or for
 * `{ ctx }: { ctx: ObjectContext }` the member of the pattern's type literal.
 */
function parameterAnnotation(identifier: TSESTree.Identifier): TSESTree.TypeNode | null {
  if (identifier.typeAnnotation) return identifier.typeAnnotation.typeAnnotation;
  let node: TSESTree.Node = identifier;
  if (node.parent?.type === AST_NODE_TYPES.AssignmentPattern) node = node.parent;
  const property = node.parent;
  if (property?.type !== AST_NODE_TYPES.Property || property.computed) return null;
  const pattern = property.parent;
  if (pattern?.type !== AST_NODE_TYPES.ObjectPattern || !pattern.typeAnnotation) return null;
  const literal = pattern.typeAnnotation.typeAnnotation;
  if (literal.type !== AST_NODE_TYPES.TSTypeLiteral) return null;
  const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : null;
  for (const member of literal.members) {
    if (
      member.type === AST_NODE_TYPES.TSPropertySignature &&
      member.key.type === AST_NODE_TYPES.Identifier &&
      member.key.name === key
    ) {
      return member.typeAnnotation?.typeAnnotation ?? null;
    }
  }
  return null;
}

/** Annotations that can never be a context (keywords, literals, arrays): no need to ask the checker. */
function mayBeContextAnnotation(annotation: TSESTree.TypeNode): boolean {
  return (
    annotation.type === AST_NODE_TYPES.TSTypeReference ||
    annotation.type === AST_NODE_TYPES.TSUnionType ||
    annotation.type === AST_NODE_TYPES.TSIntersectionType ||
    annotation.type === AST_NODE_TYPES.TSTypeQuery ||
    annotation.type === AST_NODE_TYPES.TSIndexedAccessType
  );
}

/** `helper(ctx)`, `new Thing(ctx)`, `helper({ ctx })`, `helper({ context: ctx })`. */
function isPassedToFunction(node: TSESTree.Node): boolean {
  let current = node;
  const parent = current.parent;
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === current && parent.parent?.type === AST_NODE_TYPES.ObjectExpression) {
    current = outermostWrapper(parent.parent);
  } else if (parent?.type === AST_NODE_TYPES.SpreadElement) {
    current = parent;
  }
  const holder = current.parent;
  return (
    (holder?.type === AST_NODE_TYPES.CallExpression || holder?.type === AST_NODE_TYPES.NewExpression) &&
    holder.arguments.includes(current as TSESTree.CallExpressionArgument)
  );
}

// ---- the per-file cache -------------------------------------------------

const cache = new WeakMap<TSESLint.SourceCode, RestateAnalysis>();

/** The shared analysis of the file being linted: computed by the first rule that asks, then reused. */
export function getAnalysis(context: RuleContext): RestateAnalysis {
  const sourceCode = context.sourceCode;
  let analysis = cache.get(sourceCode);
  if (!analysis) {
    const fileName = context.physicalFilename ?? context.filename;
    forgetRelated(fileName);
    analysis = new RestateAnalysis(sourceCode, typeInfoOf(sourceCode), [], fileName);
    cache.set(sourceCode, analysis);
  }
  return analysis;
}

function typeInfoOf(sourceCode: TSESLint.SourceCode): TypeInfo | null {
  const services = sourceCode.parserServices;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) return null;
  return new TypeInfo(services as ParserServicesWithTypeInformation);
}
