import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { isFunction, outermostWrapper, unwrap } from "./ast.js";
import { memberName } from "./imports.js";
import type { TypeInfo } from "./types.js";
import { tsApiUtils } from "#ts-api-utils";
import { isGlobalReference } from "./globals.js";

type Variable = TSESLint.Scope.Variable;
type Reference = TSESLint.Scope.Reference;

/**
 * What counts as changing a variable: assigning to it, or mutating the value
 * it holds (a property write, `delete`, `Object.assign`, or a known mutating
 * method of an array, Map or Set). Everything starts from a scope-manager
 * reference to the variable, never from a name.
 */

/** What a variable is known to hold, from its initializer, annotation, later assignments or (with types) its type. */
export type ValueKind = "array" | "Map" | "Set" | "WeakMap" | "WeakSet" | "object";

export type MutationKind =
  /** `x = …`, `x += …`, `x ??= …` */
  | "assignment"
  /** `x++`, `--x` */
  | "update"
  /** `[x, y] = …`, `({ x } = …)`, `for (x of …)` */
  | "destructuring"
  /** `x.prop = …`, `x[i] += …`, `x.n++`, `({ a: x.prop } = …)` */
  | "property"
  /** `delete x.prop` */
  | "delete"
  /** `x.push(…)`, `x.set(…)`, … */
  | "method"
  /** `Object.assign(x, …)` */
  | "object-assign";

export interface Mutation {
  readonly variable: Variable;
  readonly reference: Reference;
  /** For a static class field changed through the class (`Registry.count++`): the field; else null. */
  readonly field: string | null;
  readonly kind: MutationKind;
  /** The whole write: the assignment, update, `delete`, or call. */
  readonly node: TSESTree.Node;
  /** The mutating method for `method` mutations. */
  readonly method: string | null;
}

export interface MutationOptions {
  /**
   * Count the array-only method names (`push`, `pop`, `shift`, `unshift`,
   * `splice`, `copyWithin`) on a receiver whose kind is unknown. Generic names
   * (`set`, `add`, `delete`, `clear`, `sort`, `reverse`, `fill`) always need a
   * receiver known to be an array, Map or Set.
   */
  readonly arrayMethodsOnUnknown: boolean;
  /** Count property writes (`x.p = …`, `delete x.p`, `Object.assign(x, …)`) only when `x` is known to hold a plain object, array, Map or Set. */
  readonly propertyWritesOnKnownOnly: boolean;
}

export const MUTATING_METHODS: ReadonlyMap<ValueKind, ReadonlySet<string>> = new Map([
  ["array", new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"])],
  ["Map", new Set(["set", "delete", "clear"])],
  ["Set", new Set(["add", "delete", "clear"])],
  ["WeakMap", new Set(["set", "delete"])],
  ["WeakSet", new Set(["add", "delete"])],
  ["object", new Set<string>()],
]);

const ARRAY_ONLY_METHODS: ReadonlySet<string> = new Set(["push", "pop", "shift", "unshift", "splice", "copyWithin"]);
const ANY_MUTATING_METHOD: ReadonlySet<string> = new Set([...MUTATING_METHODS.values()].flatMap((set) => [...set]));

const GLOBAL_CONSTRUCTORS: ReadonlyMap<string, ValueKind> = new Map([
  ["Array", "array"],
  ["Map", "Map"],
  ["Set", "Set"],
  ["WeakMap", "WeakMap"],
  ["WeakSet", "WeakSet"],
  ["Object", "object"],
]);

const ANNOTATION_KINDS: ReadonlyMap<string, ValueKind> = new Map([
  ["Array", "array"],
  ["Map", "Map"],
  ["Set", "Set"],
  ["WeakMap", "WeakMap"],
  ["WeakSet", "WeakSet"],
  ["Record", "object"],
]);

const LIB_TYPE_KINDS: ReadonlyMap<string, ValueKind> = new Map([
  ["Array", "array"],
  ["Map", "Map"],
  ["Set", "Set"],
  ["WeakMap", "WeakMap"],
  ["WeakSet", "WeakSet"],
]);
const LIB_TYPE_NAMES: ReadonlySet<string> = new Set(LIB_TYPE_KINDS.keys());

export class MutationFinder {
  private readonly kinds = new Map<Variable, ValueKind | null>();

  constructor(
    private readonly sourceCode: TSESLint.SourceCode,
    private readonly types: TypeInfo | null,
  ) {}

  /** The change `reference` makes to its variable, or null when it only reads it. */
  mutationOf(reference: Reference, options: MutationOptions): Mutation | null {
    const variable = reference.resolved;
    if (!variable || reference.init) return null;
    const identifier = reference.identifier;
    if (identifier.type !== AST_NODE_TYPES.Identifier) return null;
    const outer = outermostWrapper(identifier);
    const parent = outer.parent;
    if (reference.isWrite()) {
      if (parent?.type === AST_NODE_TYPES.UpdateExpression) return { variable, reference, field: null, kind: "update", node: parent, method: null };
      if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === outer) {
        return { variable, reference, field: null, kind: "assignment", node: parent, method: null };
      }
      return { variable, reference, field: null, kind: "destructuring", node: writeContainer(outer), method: null };
    }
    if (!parent) return null;

    // `Object.assign(x, …)`
    if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === outer && this.isGlobalMember(parent.callee, "Object", "assign")) {
      if (options.propertyWritesOnKnownOnly && !this.kindOfVariable(variable)) return null;
      return { variable, reference, field: null, kind: "object-assign", node: parent, method: null };
    }

    const change = this.chainMutation(outer, () => this.kindOfVariable(variable), options);
    return change ? { variable, reference, field: null, ...change } : null;
  }

  /**
   * A change to a static field of a class declared in this file, made through
   * the class's name: `Registry.count++`, `Registry.items.push(…)` (with
   * `static items = []`). `reference` refers to the class.
   */
  staticFieldMutation(reference: Reference, options: MutationOptions): Mutation | null {
    const variable = reference.resolved;
    const def = variable?.defs[0];
    if (!variable || def?.type !== "ClassName" || reference.identifier.type !== AST_NODE_TYPES.Identifier) return null;
    const outer = outermostWrapper(reference.identifier);
    const member = outer.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outer) return null;
    const name = memberName(member);
    const classNode = def.node as TSESTree.ClassDeclaration;
    const field = classNode.body.body.find(
      (element): element is TSESTree.PropertyDefinition =>
        element.type === AST_NODE_TYPES.PropertyDefinition && element.static && !element.readonly && !element.declare && propertyName(element) === name,
    );
    if (!field || name === null) return null;
    const chain = outermostWrapper(member);
    const write = propertyWrite(chain);
    if (write) {
      const kind: MutationKind = write.node.type === AST_NODE_TYPES.UpdateExpression ? "update" : write.kind === "delete" ? "delete" : "assignment";
      return { variable, reference, field: name, kind, node: write.node, method: null };
    }
    const fieldKind = () =>
      (field.typeAnnotation ? this.kindOfAnnotation(field.typeAnnotation.typeAnnotation) : null) ??
      (field.value ? this.kindOfExpression(field.value) : null);
    const change = this.chainMutation(chain, fieldKind, options);
    return change ? { variable, reference, field: name, ...change } : null;
  }

  /** A change made through the member chain rooted at `root`: a write to a member, or a mutating method call. */
  private chainMutation(
    root: TSESTree.Node,
    rootKind: () => ValueKind | null,
    options: MutationOptions,
  ): { kind: MutationKind; node: TSESTree.Node; method: string | null } | null {
    // Walk up the member chain: `x`, `x.a`, `x.a[i]`.
    let chain: TSESTree.Node = root;
    let depth = 0;
    for (;;) {
      const up = chain.parent;
      if (up?.type !== AST_NODE_TYPES.MemberExpression || up.object !== chain) break;
      chain = outermostWrapper(up);
      depth++;
    }
    if (depth === 0) return null;
    const top = unwrap(chain) as TSESTree.MemberExpression;
    const holder = chain.parent;

    // `x.m(…)`: a mutating method on the root (depth 1) or on a member of it.
    if (holder?.type === AST_NODE_TYPES.CallExpression && holder.callee === chain) {
      const method = memberName(top);
      if (!method || !ANY_MUTATING_METHOD.has(method)) return null;
      const receiver = top.object;
      const kind = depth === 1 ? (rootKind() ?? this.kindOfType(receiver)) : this.kindOfType(receiver);
      const known = kind !== null && MUTATING_METHODS.get(kind)!.has(method);
      const unknownArray = kind === null && options.arrayMethodsOnUnknown && ARRAY_ONLY_METHODS.has(method) && this.typeIsOpaque(receiver);
      return known || unknownArray ? { kind: "method", node: holder, method } : null;
    }

    // A write through the chain: `x.p = …`, `x.p++`, `delete x.p`, `({ a: x.p } = …)`.
    const write = propertyWrite(chain);
    if (!write) return null;
    if (options.propertyWritesOnKnownOnly && !rootKind()) return null;
    return { kind: write.kind, node: write.node, method: null };
  }

  /** What the variable holds, known from syntax alone (memoised), else from its type. */
  kindOfVariable(variable: Variable): ValueKind | null {
    if (this.kinds.has(variable)) return this.kinds.get(variable)!;
    let kind: ValueKind | null = null;
    const def = variable.defs[0];
    if (def?.type === "Variable" && def.node.type === AST_NODE_TYPES.VariableDeclarator) {
      const declarator = def.node;
      if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.typeAnnotation) {
        kind = this.kindOfAnnotation(declarator.id.typeAnnotation.typeAnnotation);
      }
      if (!kind && declarator.init && declarator.id.type === AST_NODE_TYPES.Identifier) kind = this.kindOfExpression(declarator.init);
    }
    if (def?.type === "Parameter" && def.name.type === AST_NODE_TYPES.Identifier && def.name.typeAnnotation) {
      kind = this.kindOfAnnotation(def.name.typeAnnotation.typeAnnotation);
    }
    if (!kind) {
      // `let cache; … cache = new Map()`
      for (const reference of variable.references) {
        const parent = outermostWrapper(reference.identifier).parent;
        if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === outermostWrapper(reference.identifier)) {
          kind = this.kindOfExpression(parent.right);
          if (kind) break;
        }
      }
    }
    if (!kind && this.types && def?.name) kind = this.kindOfType(def.name);
    this.kinds.set(variable, kind);
    return kind;
  }

  /** `[]`, `{}`, `new Map()`, `Array.from(…)`, `x ?? []`, … */
  kindOfExpression(node: TSESTree.Node): ValueKind | null {
    const target = unwrap(node);
    switch (target.type) {
      case AST_NODE_TYPES.ArrayExpression:
        return "array";
      case AST_NODE_TYPES.ObjectExpression:
        return "object";
      case AST_NODE_TYPES.NewExpression:
        return target.callee.type === AST_NODE_TYPES.Identifier && isGlobalReference(this.sourceCode, target.callee)
          ? (GLOBAL_CONSTRUCTORS.get(target.callee.name) ?? null)
          : null;
      case AST_NODE_TYPES.CallExpression:
        if (this.isGlobalMember(target.callee, "Array", "from") || this.isGlobalMember(target.callee, "Array", "of")) return "array";
        if (this.isGlobalMember(target.callee, "Object", "create")) return "object";
        return null;
      case AST_NODE_TYPES.LogicalExpression:
        return target.operator === "&&" ? null : (this.kindOfExpression(target.right) ?? this.kindOfExpression(target.left));
      default:
        return null;
    }
  }

  kindOfAnnotation(annotation: TSESTree.TypeNode): ValueKind | null {
    if (annotation.type === AST_NODE_TYPES.TSArrayType) return "array";
    if (annotation.type === AST_NODE_TYPES.TSTypeLiteral) return "object";
    if (annotation.type === AST_NODE_TYPES.TSUnionType) {
      for (const part of annotation.types) {
        const kind = this.kindOfAnnotation(part);
        if (kind) return kind;
      }
      return null;
    }
    if (annotation.type === AST_NODE_TYPES.TSTypeReference && annotation.typeName.type === AST_NODE_TYPES.Identifier) {
      const name = annotation.typeName.name;
      const kind = ANNOTATION_KINDS.get(name);
      if (!kind) return null;
      // A local or imported type of the same name is not the built-in one.
      return isGlobalReference(this.sourceCode, annotation.typeName) ? kind : null;
    }
    return null;
  }

  /** With type information: an array, Map, Set, WeakMap or WeakSet from TypeScript's lib. */
  kindOfType(node: TSESTree.Node): ValueKind | null {
    const types = this.types;
    if (!types) return null;
    const name = types.safely(() => types.namedType(types.typeOf(node), LIB_TYPE_NAMES, "lib"), null);
    return name ? LIB_TYPE_KINDS.get(name)! : null;
  }

  /**
   * Whether the receiver's type says nothing: no type information, or `any`.
   * With a known type that is not an array (a stream's `push`), array-only
   * method names are not taken as array mutations.
   */
  private typeIsOpaque(node: TSESTree.Node): boolean {
    const types = this.types;
    if (!types) return true;
    return types.safely(() => {
      const type = types.typeOf(node);
      return tsApiUtils().isIntrinsicAnyType(type) || tsApiUtils().isIntrinsicUnknownType(type) || tsApiUtils().isIntrinsicErrorType(type);
    }, true);
  }

  /** `Object.assign`, `Array.from`, with the global object not shadowed. */
  private isGlobalMember(node: TSESTree.Node, object: string, property: string): boolean {
    const callee = unwrap(node);
    return (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      memberName(callee) === property &&
      callee.object.type === AST_NODE_TYPES.Identifier &&
      callee.object.name === object &&
      isGlobalReference(this.sourceCode, callee.object)
    );
  }
}

/** The expression a destructuring target belongs to: the assignment, or the `for…of`/`for…in` statement. */
function writeContainer(node: TSESTree.Node): TSESTree.Node {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    if (
      current.type === AST_NODE_TYPES.AssignmentExpression ||
      current.type === AST_NODE_TYPES.ForOfStatement ||
      current.type === AST_NODE_TYPES.ForInStatement
    ) {
      return current.type === AST_NODE_TYPES.AssignmentExpression ? current : current.left;
    }
    if (isFunction(current)) break;
  }
  return node;
}

/** Whether a member expression is written to (not just read), and the write. */
function propertyWrite(member: TSESTree.Node): { kind: "property" | "delete"; node: TSESTree.Node } | null {
  const parent = member.parent;
  if (!parent) return null;
  switch (parent.type) {
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.left === member ? { kind: "property", node: parent } : null;
    case AST_NODE_TYPES.UpdateExpression:
      return { kind: "property", node: parent };
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === "delete" ? { kind: "delete", node: parent } : null;
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.ForInStatement:
      return parent.left === member ? { kind: "property", node: parent.left } : null;
    case AST_NODE_TYPES.ArrayPattern:
    case AST_NODE_TYPES.RestElement:
      return { kind: "property", node: writeContainer(member) };
    case AST_NODE_TYPES.AssignmentPattern:
      return parent.left === member ? { kind: "property", node: writeContainer(member) } : null;
    case AST_NODE_TYPES.Property:
      return parent.value === member && parent.parent?.type === AST_NODE_TYPES.ObjectPattern
        ? { kind: "property", node: writeContainer(member) }
        : null;
    default:
      return null;
  }
}

/**
 * A lazily initialised handle: an assignment that only runs while the
 * variable is still unset (`client ??= new Client()`, `if (!client) client =
 * …`, `client ?? (client = …)`, or after `if (client) return client;`).
 */
export function isLazyInitialisation(mutation: Mutation): boolean {
  if (mutation.kind !== "assignment" || mutation.node.type !== AST_NODE_TYPES.AssignmentExpression) return false;
  const assignment = mutation.node;
  if (assignment.operator === "??=" || assignment.operator === "||=") return true;
  if (assignment.operator !== "=") return false;
  const variable: Target = { variable: mutation.variable, field: mutation.field };
  let child: TSESTree.Node = assignment;
  for (let current: TSESTree.Node | undefined = assignment.parent; current && !isFunction(current); child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.IfStatement:
        if (current.consequent === child && isUnsetTest(current.test, variable)) return true;
        if (current.alternate === child && isSetTest(current.test, variable)) return true;
        break;
      case AST_NODE_TYPES.ConditionalExpression:
        if (current.consequent === child && isUnsetTest(current.test, variable)) return true;
        if (current.alternate === child && isSetTest(current.test, variable)) return true;
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (current.right === child && current.operator !== "&&" && isSetTest(current.left, variable)) return true;
        break;
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.Program: {
        // `if (client) return client;` earlier in the same block.
        const index = (current.body as TSESTree.Node[]).indexOf(child);
        for (let i = 0; i < index; i++) {
          const statement = current.body[i];
          if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate && isSetTest(statement.test, variable) && exits(statement.consequent)) {
            return true;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/** What a lazy initialisation assigns: a variable, or a static field of a class (`Registry.client`). */
interface Target {
  readonly variable: Variable;
  readonly field: string | null;
}

function isVariable(node: TSESTree.Node, target: Target): boolean {
  let current = unwrap(node);
  if (target.field !== null) {
    if (current.type !== AST_NODE_TYPES.MemberExpression || memberName(current) !== target.field) return false;
    current = unwrap(current.object);
  }
  const identifier = current;
  return identifier.type === AST_NODE_TYPES.Identifier && target.variable.references.some((reference) => reference.identifier === identifier);
}

function propertyName(element: TSESTree.PropertyDefinition): string | null {
  if (!element.computed && element.key.type === AST_NODE_TYPES.Identifier) return element.key.name;
  return element.key.type === AST_NODE_TYPES.Literal && typeof element.key.value === "string" ? element.key.value : null;
}

function isNullish(node: TSESTree.Node): boolean {
  const target = unwrap(node);
  return (
    (target.type === AST_NODE_TYPES.Literal && target.value === null) ||
    (target.type === AST_NODE_TYPES.Identifier && target.name === "undefined") ||
    (target.type === AST_NODE_TYPES.UnaryExpression && target.operator === "void")
  );
}

/** `!x`, `x == null`, `x === undefined`, `typeof x === "undefined"`, `!x && …`. */
function isUnsetTest(test: TSESTree.Node, variable: Target): boolean {
  const node = unwrap(test);
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === "!") return isSetTest(node.argument, variable, true);
  if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === "&&") {
    return isUnsetTest(node.left, variable) || isUnsetTest(node.right, variable);
  }
  if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === "==" || node.operator === "===")) {
    return comparesWithNothing(node, variable);
  }
  return false;
}

/** `x`, `x != null`, `x !== undefined`, `x && …`. */
function isSetTest(test: TSESTree.Node, variable: Target, bare = false): boolean {
  const node = unwrap(test);
  if (isVariable(node, variable)) return true;
  if (bare) return false;
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === "!") return isUnsetTest(node.argument, variable);
  if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === "&&") {
    return isSetTest(node.left, variable) || isSetTest(node.right, variable);
  }
  if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === "!=" || node.operator === "!==")) {
    return comparesWithNothing(node, variable);
  }
  return false;
}

function comparesWithNothing(node: TSESTree.BinaryExpression, variable: Target): boolean {
  const typeofVariable = (side: TSESTree.Node) => {
    const target = unwrap(side);
    return target.type === AST_NODE_TYPES.UnaryExpression && target.operator === "typeof" && isVariable(target.argument, variable);
  };
  const undefinedString = (side: TSESTree.Node) => {
    const target = unwrap(side);
    return target.type === AST_NODE_TYPES.Literal && target.value === "undefined";
  };
  return (
    (isVariable(node.left, variable) && isNullish(node.right)) ||
    (isVariable(node.right, variable) && isNullish(node.left)) ||
    (typeofVariable(node.left) && undefinedString(node.right)) ||
    (typeofVariable(node.right) && undefinedString(node.left))
  );
}

/** A statement that always leaves the block: `return …`, `throw …`, or a block ending in one. */
function exits(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body.at(-1);
    return last !== undefined && exits(last);
  }
  return false;
}
