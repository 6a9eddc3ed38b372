import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { callOfCallee, propertyKeyName, resolveLocalFunction, resolveLocalObject, unwrap, type FunctionNode } from "./ast.js";
import type { ImportIndex } from "./imports.js";
import { HANDLER_WRAPPERS, SDK_MODULES, type ComponentKind, type ContextKind, type HandlerKind } from "./sdk.js";

/** A `service()`, `object()`, `workflow()` or `implement()` call. */
export interface ComponentInfo {
  readonly kind: ComponentKind | "unknown";
  /** The `name` property when it is a string literal. */
  readonly name: string | null;
  readonly call: TSESTree.CallExpression;
}

export interface HandlerInfo {
  readonly fn: FunctionNode;
  /** The property name it is registered under. */
  readonly name: string;
  /** How Restate registers it at runtime; `unknown` when that cannot be told (e.g. `implement()` without types). */
  readonly kind: HandlerKind | "unknown";
  readonly component: ComponentInfo;
  /** The property (or wrapper call) that registers it, for reports about the registration. */
  readonly registration: TSESTree.Node;
  /** Whether the registration goes through a `handlers.*` wrapper. */
  readonly wrapped: boolean;
}

/** Type-aware hook: the context kind a handler function is given by its contextual type. */
export type ContextualKind = (fn: FunctionNode) => ContextKind | null;

const COMPONENT_FUNCTIONS = new Set(["service", "object", "workflow"]);

/** Finds every handler registered in the file, keyed by its function. */
export function findHandlers(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  contextualKind: ContextualKind | null,
): Map<FunctionNode, HandlerInfo> {
  const handlers = new Map<FunctionNode, HandlerInfo>();
  for (const binding of imports.bindings) {
    if (!SDK_MODULES.has(binding.module)) continue;
    for (const reference of binding.variable.references) {
      const callee = calleeChain(reference.identifier);
      const call = callOfCallee(callee);
      if (!call) continue;
      const resolved = imports.resolve(callee);
      if (resolved?.path.length !== 1) continue;
      const fn = resolved.path[0];
      if (COMPONENT_FUNCTIONS.has(fn)) {
        collectComponent(sourceCode, imports, call, fn as ComponentKind, handlers);
      } else if (fn === "implement") {
        collectImplementation(sourceCode, imports, call, contextualKind, handlers);
      }
    }
  }
  return handlers;
}

/** From an identifier, the longest member chain it roots: `restate` in `restate.handlers.object.shared`. */
function calleeChain(identifier: TSESTree.Node): TSESTree.Node {
  let current = identifier;
  while (current.parent?.type === AST_NODE_TYPES.MemberExpression && current.parent.object === current) {
    current = current.parent;
  }
  return current;
}

function stringProperty(object: TSESTree.ObjectExpression, key: string): string | null {
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.Property && propertyKeyName(property) === key) {
      const value = unwrap(property.value);
      if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") return value.value;
    }
  }
  return null;
}

function handlersObject(sourceCode: TSESLint.SourceCode, config: TSESTree.ObjectExpression): TSESTree.ObjectExpression | null {
  for (const property of config.properties) {
    if (property.type === AST_NODE_TYPES.Property && propertyKeyName(property) === "handlers") {
      return resolveLocalObject(sourceCode, property.value);
    }
  }
  return null;
}

/** Each `name: handler` entry of a handlers object, following spreads of local objects. */
function* handlerEntries(
  sourceCode: TSESLint.SourceCode,
  object: TSESTree.ObjectExpression,
  seen = new Set<TSESTree.Node>(),
): Generator<{ name: string; value: TSESTree.Node; property: TSESTree.Property }> {
  if (seen.has(object)) return;
  seen.add(object);
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) {
      const spread = resolveLocalObject(sourceCode, property.argument);
      if (spread) yield* handlerEntries(sourceCode, spread, seen);
      continue;
    }
    const name = propertyKeyName(property);
    if (name !== null) yield { name, value: property.value, property };
  }
}

/** A `handlers.object.shared(opts?, fn)`-style wrapper call: its kind and function. */
function wrapperOf(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  node: TSESTree.Node,
): { kind: HandlerKind | "service-or-component"; fn: FunctionNode | null } | null {
  const call = unwrap(node);
  if (call.type !== AST_NODE_TYPES.CallExpression) return null;
  const resolved = imports.resolve(call.callee);
  if (!resolved || !SDK_MODULES.has(resolved.module)) return null;
  const kind = HANDLER_WRAPPERS.get(resolved.path.join("."));
  if (!kind) return null;
  const last = call.arguments[call.arguments.length - 1];
  return { kind, fn: last ? resolveLocalFunction(sourceCode, last) : null };
}

function plainKind(component: ComponentKind, name: string): HandlerKind {
  switch (component) {
    case "service":
      return "service";
    case "object":
      // Restate registers a plain function in object() as EXCLUSIVE, whatever its parameter annotation says.
      return "object-exclusive";
    case "workflow":
      // In workflow() only `run` is the workflow handler; every other plain function is SHARED.
      return name === "run" ? "workflow-run" : "workflow-shared";
  }
}

function collectComponent(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  call: TSESTree.CallExpression,
  kind: ComponentKind,
  out: Map<FunctionNode, HandlerInfo>,
): void {
  const config = call.arguments[0] ? resolveLocalObject(sourceCode, call.arguments[0]) : null;
  if (!config) return;
  const component: ComponentInfo = { kind, name: stringProperty(config, "name"), call };
  const handlers = handlersObject(sourceCode, config);
  if (!handlers) return;
  for (const entry of handlerEntries(sourceCode, handlers)) {
    const wrapper = wrapperOf(sourceCode, imports, entry.value);
    if (wrapper) {
      if (!wrapper.fn) continue;
      const handlerKind = wrapper.kind === "service-or-component" ? plainKind(kind, entry.name) : wrapper.kind;
      out.set(wrapper.fn, { fn: wrapper.fn, name: entry.name, kind: handlerKind, component, registration: entry.property, wrapped: true });
      continue;
    }
    const fn = resolveLocalFunction(sourceCode, entry.value);
    if (fn) out.set(fn, { fn, name: entry.name, kind: plainKind(kind, entry.name), component, registration: entry.property, wrapped: false });
  }
}

const CONTEXT_TO_HANDLER: Record<ContextKind, HandlerKind> = {
  service: "service",
  object: "object-exclusive",
  "object-shared": "object-shared",
  workflow: "workflow-run",
  "workflow-shared": "workflow-shared",
};

/**
 * `implement(iface, { handlers })`: shared-ness comes from the interface. With
 * an interface declared in this file through `iface.object(...)` we read it
 * from the syntax; otherwise from the handler's contextual type, when types exist.
 */
function collectImplementation(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  call: TSESTree.CallExpression,
  contextualKind: ContextualKind | null,
  out: Map<FunctionNode, HandlerInfo>,
): void {
  const [ifaceArg, configArg] = call.arguments;
  const config = configArg ? resolveLocalObject(sourceCode, configArg) : null;
  if (!config) return;
  const declared = ifaceArg ? localInterface(sourceCode, imports, ifaceArg) : null;
  const component: ComponentInfo = { kind: declared?.kind ?? "unknown", name: declared?.name ?? null, call };
  const handlers = handlersObject(sourceCode, config);
  if (!handlers) return;
  for (const entry of handlerEntries(sourceCode, handlers)) {
    const fn = resolveLocalFunction(sourceCode, entry.value);
    if (!fn) continue;
    let kind: HandlerKind | "unknown" = "unknown";
    const typed = contextualKind?.(fn);
    if (typed) {
      kind = CONTEXT_TO_HANDLER[typed];
    } else if (declared) {
      kind =
        declared.kind === "object"
          ? declared.shared.has(entry.name)
            ? "object-shared"
            : "object-exclusive"
          : plainKind(declared.kind, entry.name);
    }
    out.set(fn, { fn, name: entry.name, kind, component, registration: entry.property, wrapped: false });
  }
}

/** `const Cart = iface.object("cart", { get: iface.shared.json(), add: iface.json() })` in this file. */
function localInterface(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  node: TSESTree.Node,
): { kind: ComponentKind; name: string | null; shared: Set<string> } | null {
  let target = unwrap(node);
  if (target.type === AST_NODE_TYPES.Identifier) {
    const def = sourceCode.getScope(target).references.find((r) => r.identifier === target)?.resolved?.defs[0];
    if (def?.type !== "Variable" || !def.node.init) return null;
    target = unwrap(def.node.init);
  }
  if (target.type !== AST_NODE_TYPES.CallExpression) return null;
  const resolved = imports.resolve(target.callee);
  if (!resolved || !SDK_MODULES.has(resolved.module) || resolved.path.length !== 2 || resolved.path[0] !== "iface") return null;
  const kind = resolved.path[1];
  if (!COMPONENT_FUNCTIONS.has(kind)) return null;
  const nameArg = target.arguments[0];
  const name = nameArg?.type === AST_NODE_TYPES.Literal && typeof nameArg.value === "string" ? nameArg.value : null;
  const shared = new Set<string>();
  const descriptors = target.arguments[1] ? resolveLocalObject(sourceCode, target.arguments[1]) : null;
  for (const entry of descriptors ? handlerEntries(sourceCode, descriptors) : []) {
    const value = unwrap(entry.value);
    if (value.type === AST_NODE_TYPES.CallExpression) {
      const descriptor = imports.resolve(value.callee);
      if (descriptor?.path[1] === "shared") shared.add(entry.name);
    }
  }
  return { kind: kind as ComponentKind, name, shared };
}
