/**
 * What a saga step or a compensation acts on, as values rather than words:
 * the variables it reads or writes (resolved by the scope manager: the id
 * passed to a step and to its compensation, the client object, the imported
 * service definition in `ctx.serviceClient(flights)`, a variable holding a
 * client), the member chains below them (`req.flightId`, `this.flights`), and
 * the literal service and handler of `ctx.genericCall({ service: "flights",
 * method: "reserve", … })` or `ctx.serviceClient({ name: "flights" })`.
 *
 * A function pushed by name is looked into when this file declares it.
 *
 * Not resources: the Restate context (every step uses it), the SDK's own
 * exports, the compensations array, globals (`console`, `JSON`), type
 * references, and variables declared inside the code looked at (a function's
 * parameters and locals are its own, not something it shares).
 *
 * Each resource is a string key: a variable or a `this` by identity plus a
 * member path (`v3`, `v3.flightId`), or a literal (`service:"flights"`). Every
 * prefix of a chain is a resource too, so two pieces of code that use
 * `req.flightId` share more than two that only share `req`. The method called
 * at the end of a chain is not a resource: `flights.cancel(id)` and
 * `flights.book(id)` act on `flights`, whatever their methods are called.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { RestateAnalysis } from "../../core/analysis.js";
import { callOfCallee, constantBinding, contains, isFunction, outermostWrapper, resolveLocalFunction, unwrap, walk } from "../../core/ast.js";
import { isGlobalVariable } from "../../core/globals.js";
import { memberName } from "../../core/imports.js";
import { CLIENT_FACTORIES, CLIENTS_MODULES, RUNTIME_MODULES, SDK_MODULES } from "../../core/sdk.js";

type Variable = TSESLint.Scope.Variable;
type Scope = TSESLint.Scope.Scope;

/** Context members whose first argument names the target service as data. */
const GENERIC_CALLS = new Set(["genericCall", "genericSend"]);
/** A client held in a constant is followed to the definition it was made from this deep. */
const MAX_CLIENT_DEPTH = 4;

export class Resources {
  private readonly ids = new Map<Variable | TSESTree.Node, number>();

  constructor(
    private readonly analysis: RestateAnalysis,
    /** The compensations array: what every push shares, so never a resource. */
    private readonly array: Variable,
  ) {}

  /**
   * The resources `nodes` use (their union). A function pushed by name
   * (`compensations.push(undoFlight)`) is looked into when it is declared in
   * this file.
   */
  of(nodes: readonly TSESTree.Node[]): Set<string> {
    const result = new Set<string>();
    for (const node of nodes) {
      this.collect(node, result, 0);
      const fn = unwrap(node).type === AST_NODE_TYPES.Identifier ? resolveLocalFunction(this.analysis.sourceCode, node) : null;
      if (fn) this.collect(fn, result, 0);
    }
    return result;
  }

  private collect(root: TSESTree.Node, result: Set<string>, depth: number): void {
    for (const reference of this.referencesIn(root)) {
      const variable = reference.resolved;
      if (!reference.isValueReference || isGlobalVariable(variable) || !variable) continue;
      if (variable === this.array || this.analysis.isContextVariable(variable)) continue;
      if (variable.defs.some((def) => contains(root, def.name))) continue;
      if (this.isRestateImport(reference.identifier)) continue;
      this.addChain(`v${this.id(variable)}`, reference.identifier, result);
      if (depth < MAX_CLIENT_DEPTH) this.followClient(variable, result, depth);
    }
    walk(root, (node) => {
      if (node.type === AST_NODE_TYPES.ThisExpression) this.addChain(`t${this.id(thisOwner(node))}`, node, result);
      else if (node.type === AST_NODE_TYPES.CallExpression) this.addLiteralTarget(node, result);
    });
  }

  /** `const flightsClient = ctx.serviceClient(flights)`: the client also stands for what it was made from. */
  private followClient(variable: Variable, result: Set<string>, depth: number): void {
    const binding = constantBinding(variable);
    if (!binding || binding.path.length > 0 || binding.init.type !== AST_NODE_TYPES.CallExpression) return;
    if (this.clientFactory(binding.init) === null) return;
    for (const argument of binding.init.arguments) this.collect(argument, result, depth + 1);
    this.addLiteralTarget(binding.init, result);
  }

  /** `ctx.genericCall({ service: "flights", method: "reserve" })`, `ctx.serviceClient({ name: "flights" })`. */
  private addLiteralTarget(call: TSESTree.CallExpression, result: Set<string>): void {
    const member = this.clientFactory(call);
    if (member === null) return;
    const first = call.arguments[0] ? unwrap(call.arguments[0]) : null;
    if (first?.type !== AST_NODE_TYPES.ObjectExpression) return;
    if (GENERIC_CALLS.has(member)) {
      const service = stringProperty(first, "service");
      if (service === null) return;
      result.add(`service:${JSON.stringify(service)}`);
      const method = stringProperty(first, "method");
      if (method !== null) result.add(`handler:${JSON.stringify(service)}/${JSON.stringify(method)}`);
    } else {
      const name = stringProperty(first, "name");
      if (name !== null) result.add(`service:${JSON.stringify(name)}`);
    }
  }

  /** The member name when `call` is `ctx.<client factory or generic call>(…)` on a Restate context. */
  private clientFactory(call: TSESTree.CallExpression): string | null {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
    const member = memberName(callee);
    if (member === null || !(CLIENT_FACTORIES.has(member) || GENERIC_CALLS.has(member))) return null;
    const object = unwrap(callee.object);
    if (object.type !== AST_NODE_TYPES.Identifier) return null;
    const use = this.analysis.usesWithin(object).find((u) => u.identifier === object);
    return use ? member : null;
  }

  private isRestateImport(identifier: TSESTree.Identifier | TSESTree.JSXIdentifier): boolean {
    const module = this.analysis.imports?.bindingOf(identifier)?.module;
    return module !== undefined && (SDK_MODULES.has(module) || CLIENTS_MODULES.has(module) || RUNTIME_MODULES.has(module));
  }

  /**
   * `root`'s key and each member below it, up to the last one read:
   * `req.flight.id` → `v1`, `v1.flight`, `v1.flight.id`; the method of a call
   * (`flights.cancel(…)` → `v2`) and anything past a computed key are left off.
   */
  private addChain(key: string, start: TSESTree.Node, result: Set<string>): void {
    const path: string[] = [];
    let current: TSESTree.Node = start;
    for (;;) {
      const outer = outermostWrapper(current);
      const parent = outer.parent;
      if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== outer) break;
      const name = memberName(parent);
      if (name === null) break;
      path.push(name);
      current = parent;
    }
    if (path.length > 0 && callOfCallee(current)) path.pop();
    result.add(key);
    let prefix = key;
    for (const name of path) {
      prefix = `${prefix}.${JSON.stringify(name)}`;
      result.add(prefix);
    }
  }

  /** Every reference whose identifier lies inside `root`, through the scopes `root` contains. */
  private referencesIn(root: TSESTree.Node): TSESLint.Scope.Reference[] {
    const sourceCode = this.analysis.sourceCode;
    let start: Scope | null = sourceCode.getScope(root);
    // A node that creates a scope (a function pushed as is) may also hold references of the scope around it.
    if (start.block === root && start.upper) start = start.upper;
    const result: TSESLint.Scope.Reference[] = [];
    const visit = (scope: Scope) => {
      for (const reference of scope.references) {
        if (contains(root, reference.identifier)) result.push(reference);
      }
      for (const child of scope.childScopes) if (overlaps(root, child.block)) visit(child);
    };
    visit(start);
    return result;
  }

  private id(key: Variable | TSESTree.Node): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
}

/** Whether `shared` strictly contains `other`: everything `other` has, and more. */
export function strictSuperset(shared: ReadonlySet<string>, other: ReadonlySet<string>): boolean {
  if (shared.size <= other.size) return false;
  for (const key of other) if (!shared.has(key)) return false;
  return true;
}

/** The keys in both sets. */
export function intersection(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const key of a) if (b.has(key)) result.add(key);
  return result;
}

/** The function whose `this` a `this` expression is: the nearest enclosing non-arrow function, else the class or the module. */
function thisOwner(node: TSESTree.Node): TSESTree.Node {
  let current = node.parent;
  while (current) {
    if (isFunction(current) && current.type !== AST_NODE_TYPES.ArrowFunctionExpression) return current;
    if (current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return current.parent;
    if (!current.parent) return current;
    current = current.parent;
  }
  return node;
}

function overlaps(a: TSESTree.Node, b: TSESTree.Node): boolean {
  return a.range[0] < b.range[1] && b.range[0] < a.range[1];
}

function stringProperty(object: TSESTree.ObjectExpression, key: string): string | null {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed || property.kind !== "init") continue;
    const name = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : null;
    if (name !== key) continue;
    const value = unwrap(property.value);
    if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") return value.value;
    if (value.type === AST_NODE_TYPES.TemplateLiteral && value.expressions.length === 0) return value.quasis[0].value.cooked ?? null;
    return null;
  }
  return null;
}
