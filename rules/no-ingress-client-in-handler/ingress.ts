/**
 * Restate ingress clients (`connect({ url })` from `@restatedev/restate-sdk-clients`):
 * which calls create one and which variables hold one, in this file.
 *
 * Everything is keyed by module (through the ImportIndex), never by the local
 * name: the clients package is imported as `clients`, `restateClients`,
 * `{ connect }` and sometimes `restate`.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { callOfCallee, outermostWrapper, unwrap } from "../../core/ast.js";
import { isGlobalVariable } from "../../core/globals.js";
import { memberName, type ImportIndex } from "../../core/imports.js";
import { CLIENTS_MODULES } from "../../core/sdk.js";
import type { TypeInfo } from "../../core/types.js";

type Variable = TSESLint.Scope.Variable;

/** `Ingress` itself (what `connect()` returns) or a client derived from it. */
export type IngressLevel = "ingress" | "client";

/** Methods of `Ingress` (and `ScopedIngress`) that return another ingress client. */
export const INGRESS_CLIENT_FACTORIES: ReadonlySet<string> = new Set([
  "serviceClient",
  "objectClient",
  "workflowClient",
  "serviceSendClient",
  "objectSendClient",
  "client",
  "sendClient",
  "scope",
]);

/** Types exported by the clients package whose values are ingress clients. */
const INGRESS_TYPE_NAMES: ReadonlyMap<string, IngressLevel> = new Map([
  ["Ingress", "ingress"],
  ["ScopedIngress", "client"],
  ["IngressClient", "client"],
  ["IngressSendClient", "client"],
  ["IngressWorkflowClient", "client"],
  ["IngressClientFromDescriptors", "client"],
  ["IngressSendClientFromDescriptors", "client"],
]);

/** Assignments after which the variable holds either its old value or the right-hand side. */
const VALUE_ASSIGNMENTS: ReadonlySet<string> = new Set(["=", "??=", "||="]);

export interface IngressVariable {
  readonly variable: Variable;
  readonly level: IngressLevel;
  /** `ingress.objectClient(cart, key)` when the variable is initialised with a client derived in one step. */
  readonly derivation: TSESTree.CallExpression | null;
}

type Value = IngressLevel | "nullish" | null;

function combine(a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (a === "nullish") return b;
  if (b === "nullish") return a;
  return a === "client" || b === "client" ? "client" : "ingress";
}

/** `connect(...)`, `clients.connect(...)`, whatever the local names, when `connect` comes from the clients package. */
export function isConnectCall(imports: ImportIndex, node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const resolved = imports.resolve(unwrap(node.callee));
  return resolved !== null && CLIENTS_MODULES.has(resolved.module) && resolved.path.length === 1 && resolved.path[0] === "connect";
}

/**
 * The variable an expression's value ends up in: `const x = <node>`,
 * `x = <node>`, through `a ?? b`, `c ? a : b`, type assertions and client
 * factories (`<node>.objectClient(cart, key)`). Null when it goes anywhere else.
 */
export function ingressSink(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): Variable | null {
  let current = outermostWrapper(node);
  for (;;) {
    const parent = current.parent;
    if (!parent) return null;
    switch (parent.type) {
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === current) return null;
        current = outermostWrapper(parent);
        continue;
      case AST_NODE_TYPES.LogicalExpression:
        if (parent.operator === "&&") return null;
        current = outermostWrapper(parent);
        continue;
      case AST_NODE_TYPES.MemberExpression: {
        if (parent.object !== current) return null;
        const name = memberName(parent);
        const call = name !== null && INGRESS_CLIENT_FACTORIES.has(name) ? callOfCallee(parent) : null;
        if (!call) return null;
        current = outermostWrapper(call);
        continue;
      }
      case AST_NODE_TYPES.VariableDeclarator:
        if (parent.init !== current || parent.id.type !== AST_NODE_TYPES.Identifier) return null;
        return sourceCode.scopeManager?.getDeclaredVariables(parent)[0] ?? null;
      case AST_NODE_TYPES.AssignmentExpression:
        if (parent.right !== current || parent.left.type !== AST_NODE_TYPES.Identifier || !VALUE_ASSIGNMENTS.has(parent.operator)) return null;
        return ASTUtils.findVariable(sourceCode.getScope(parent.left), parent.left);
      default:
        return null;
    }
  }
}

/**
 * Every ingress client this file creates or holds in a variable: `connect(...)`
 * calls, and variables whose every assigned value is an ingress client (or
 * nullish), rooted in `connect(...)`, in another such variable, or in an
 * annotation with an ingress type (`ingress: clients.Ingress`).
 */
export class IngressTracker {
  readonly connectCalls: TSESTree.CallExpression[] = [];
  readonly variables = new Map<Variable, IngressVariable>();
  /** Identifiers that read a tracked variable. */
  readonly references = new Set<TSESTree.Node>();
  private readonly levels = new Map<Variable, IngressLevel | null>();
  private readonly visiting = new Set<Variable>();

  constructor(
    private readonly sourceCode: TSESLint.SourceCode,
    private readonly imports: ImportIndex,
  ) {
    const candidates: Variable[] = [];
    for (const binding of imports.bindings) {
      if (!CLIENTS_MODULES.has(binding.module)) continue;
      for (const reference of binding.variable.references) {
        const identifier = reference.identifier;
        let callee: TSESTree.Node = identifier;
        while (callee.parent?.type === AST_NODE_TYPES.MemberExpression && callee.parent.object === callee) callee = callee.parent;
        const call = callOfCallee(callee);
        if (call && isConnectCall(imports, call)) {
          this.connectCalls.push(call);
          const sink = ingressSink(sourceCode, call);
          if (sink) candidates.push(sink);
          continue;
        }
        const annotated = this.annotatedVariable(identifier);
        if (annotated) candidates.push(annotated);
      }
    }
    const seen = new Set<Variable>();
    while (candidates.length > 0) {
      const variable = candidates.pop()!;
      if (seen.has(variable)) continue;
      seen.add(variable);
      const level = this.levelOf(variable);
      if (!level) continue;
      this.variables.set(variable, { variable, level, derivation: derivationOf(variable) });
      for (const reference of variable.references) {
        if (!isValueRead(reference)) continue;
        this.references.add(reference.identifier);
        const sink = ingressSink(sourceCode, reference.identifier);
        if (sink) candidates.push(sink);
      }
    }
    this.connectCalls.sort((a, b) => a.range[0] - b.range[0]);
  }

  /** Whether `node`'s value is stored in a tracked variable (whose own uses then speak for it). */
  isStored(node: TSESTree.Node): boolean {
    const sink = ingressSink(this.sourceCode, node);
    return sink !== null && this.variables.has(sink);
  }

  /** The ingress level of an expression, from what this file shows. */
  valueOf(node: TSESTree.Node): Value {
    const expression = unwrap(node);
    switch (expression.type) {
      case AST_NODE_TYPES.Literal:
        return expression.value === null && !("regex" in expression) ? "nullish" : null;
      case AST_NODE_TYPES.Identifier: {
        const variable = ASTUtils.findVariable(this.sourceCode.getScope(expression), expression);
        if (isGlobalVariable(variable)) return expression.name === "undefined" ? "nullish" : null;
        return this.levelOf(variable!);
      }
      case AST_NODE_TYPES.CallExpression: {
        if (isConnectCall(this.imports, expression)) return "ingress";
        const callee = unwrap(expression.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
        const name = memberName(callee);
        if (name === null || !INGRESS_CLIENT_FACTORIES.has(name)) return null;
        const receiver = this.valueOf(callee.object);
        return receiver === "ingress" || receiver === "client" ? "client" : null;
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return combine(this.valueOf(expression.consequent), this.valueOf(expression.alternate));
      case AST_NODE_TYPES.LogicalExpression:
        return expression.operator === "&&" ? null : combine(this.valueOf(expression.left), this.valueOf(expression.right));
      default:
        return null;
    }
  }

  private levelOf(variable: Variable): IngressLevel | null {
    const known = this.levels.get(variable);
    if (known !== undefined) return known;
    if (this.visiting.has(variable)) return null;
    this.visiting.add(variable);
    const level = this.computeLevel(variable);
    this.visiting.delete(variable);
    this.levels.set(variable, level);
    return level;
  }

  private computeLevel(variable: Variable): IngressLevel | null {
    if (variable.defs.length !== 1) return null;
    const def = variable.defs[0];
    if (def.type !== "Variable" && def.type !== "Parameter") return null;
    const identifier = def.name as TSESTree.Identifier;
    const annotation = identifier.typeAnnotation?.typeAnnotation;
    if (annotation) {
      const annotated = this.typeLevel(annotation);
      if (annotated === "ingress" || annotated === "client") return annotated;
    }
    if (def.type !== "Variable") return null;
    const declarator = def.node;
    if (declarator.id !== identifier) return null;
    const statement = declarator.parent;
    const loop = statement?.parent;
    if ((loop?.type === AST_NODE_TYPES.ForOfStatement || loop?.type === AST_NODE_TYPES.ForInStatement) && loop.left === statement) return null;
    let value: Value = declarator.init ? this.valueOf(declarator.init) : "nullish";
    for (const reference of variable.references) {
      if (value === null) return null;
      if (reference.init || !reference.isWrite()) continue;
      const parent = reference.identifier.parent;
      if (parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent.left !== reference.identifier || !VALUE_ASSIGNMENTS.has(parent.operator)) {
        return null;
      }
      value = combine(value, this.valueOf(parent.right));
    }
    return value === "ingress" || value === "client" ? value : null;
  }

  /** `clients.Ingress`, `IngressClient<...>`, `Ingress | undefined`. */
  private typeLevel(type: TSESTree.TypeNode): Value {
    switch (type.type) {
      case AST_NODE_TYPES.TSTypeReference: {
        const resolved = this.imports.resolveTypeName(type.typeName);
        if (!resolved || !CLIENTS_MODULES.has(resolved.module) || resolved.path.length !== 1) return null;
        return INGRESS_TYPE_NAMES.get(resolved.path[0]) ?? null;
      }
      case AST_NODE_TYPES.TSUndefinedKeyword:
      case AST_NODE_TYPES.TSNullKeyword:
        return "nullish";
      case AST_NODE_TYPES.TSUnionType:
        return type.types.reduce<Value>((value, part) => combine(value, this.typeLevel(part)), "nullish");
      default:
        return null;
    }
  }

  /** For a reference to the clients package inside a type annotation, the variable or parameter it annotates. */
  private annotatedVariable(identifier: TSESTree.Node): Variable | null {
    let node: TSESTree.Node = identifier;
    while (node.parent?.type === AST_NODE_TYPES.TSQualifiedName && node.parent.left === node) node = node.parent;
    if (node.parent?.type !== AST_NODE_TYPES.TSTypeReference) return null;
    let type: TSESTree.Node = node.parent;
    while (type.parent?.type === AST_NODE_TYPES.TSUnionType) type = type.parent;
    if (type.parent?.type !== AST_NODE_TYPES.TSTypeAnnotation) return null;
    const owner = type.parent.parent;
    if (owner?.type !== AST_NODE_TYPES.Identifier) return null;
    return ASTUtils.findVariable(this.sourceCode.getScope(owner), owner);
  }
}

/** A read of the variable's value (not a write, not a type position). */
export function isValueRead(reference: TSESLint.Scope.Reference): boolean {
  if (reference.init || reference.isWrite() || !reference.isRead()) return false;
  if (reference.isTypeReference) return false;
  for (let node: TSESTree.Node | undefined = reference.identifier.parent; node; node = node.parent) {
    if (node.type === AST_NODE_TYPES.TSTypeQuery) return false;
    if (node.type !== AST_NODE_TYPES.TSQualifiedName && node.type !== AST_NODE_TYPES.MemberExpression) break;
  }
  return true;
}

function derivationOf(variable: Variable): TSESTree.CallExpression | null {
  const def = variable.defs[0];
  if (def?.type !== "Variable" || !def.node.init) return null;
  const init = unwrap(def.node.init);
  if (init.type !== AST_NODE_TYPES.CallExpression) return null;
  const callee = unwrap(init.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const name = memberName(callee);
  return name !== null && INGRESS_CLIENT_FACTORIES.has(name) ? init : null;
}

// ---- per-file cache ------------------------------------------------------

const trackers = new WeakMap<TSESLint.SourceCode, IngressTracker>();

/** The ingress tracker of the file, computed once and shared. */
export function getIngressTracker(sourceCode: TSESLint.SourceCode, imports: ImportIndex): IngressTracker {
  let tracker = trackers.get(sourceCode);
  if (!tracker) {
    tracker = new IngressTracker(sourceCode, imports);
    trackers.set(sourceCode, tracker);
  }
  return tracker;
}

// ---- types ---------------------------------------------------------------

const INGRESS_OPTION_TYPES: ReadonlySet<string> = new Set(["Opts", "SendOpts"]);

/** With types: `ingress` for the `Ingress` that `connect()` returns, `client` for any other ingress type. Call only after `isIngressTyped`. */
export function typedIngressLevel(types: TypeInfo, node: TSESTree.Node): IngressLevel {
  return types.namedType(types.typeOf(node), new Set(["Ingress"]), "clients") ? "ingress" : "client";
}

/** With types: whether `node` holds an ingress client (any client type the clients package declares). */
export function isIngressTyped(types: TypeInfo, node: TSESTree.Node): boolean {
  return types.isIngress(node);
}

/** With types: an ingress call option (`Opts` / `SendOpts` of the clients package). */
export function isIngressOptionType(types: TypeInfo, node: TSESTree.Node): boolean {
  return types.namedType(types.typeOf(node), INGRESS_OPTION_TYPES, "clients") !== null;
}
