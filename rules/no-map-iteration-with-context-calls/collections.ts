import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { tsApiUtils } from "#ts-api-utils";
import type * as ts from "typescript";
import { constantBinding, outermostWrapper, unwrap } from "../../core/ast.js";
import { memberName } from "../../core/imports.js";
import type { TypeInfo } from "../../core/types.js";
import { isGlobalReference } from "../../core/globals.js";

type Variable = TSESLint.Scope.Variable;

/**
 * Recognising `Map`s and `Set`s, whose iteration order is their insertion
 * order: syntactically (a `new Map(...)` declaration, a `Map<...>`
 * annotation) and, with type information, by type.
 */

export type CollectionKind = "Map" | "Set";

/** What the iterated keys (Map keys, Set elements) are, when they are known to be strings or numbers. */
export type KeyKind = "string" | "number" | null;

export interface Collection {
  /** The Map/Set expression (`m` in `m.values()`). */
  readonly node: TSESTree.Node;
  readonly kind: CollectionKind;
  /** True for an iterator over a Map/Set known only by its type (`MapIterator`, `SetIterator`). */
  readonly iterator: boolean;
  readonly keyKind: KeyKind;
  /**
   * Built in one go from an array (or other ordered source) and never added to
   * afterwards: `new Set(ids)`, `new Map([["a", 1]])`. Its order is the
   * order of that source, exactly like iterating the source itself.
   */
  readonly stable: boolean;
}

export type CollectionView = "self" | "keys" | "values" | "entries";

/** An expression that iterates a Map/Set in its own order: `m`, `m.keys()`, `m.values()`, `m.entries()`. */
export interface IteratedCollection {
  readonly collection: Collection;
  readonly view: CollectionView;
}

const VIEWS: ReadonlySet<string> = new Set(["keys", "values", "entries"]);

/** Reads that never add to a Map/Set (so never change its order). */
const READ_MEMBERS: ReadonlySet<string> = new Set(["get", "has", "size", "keys", "values", "entries", "forEach", "delete"]);

const MAP_TYPE_NAMES: ReadonlyMap<string, { kind: CollectionKind; iterator: boolean }> = new Map([
  ["Map", { kind: "Map", iterator: false }],
  ["ReadonlyMap", { kind: "Map", iterator: false }],
  ["Set", { kind: "Set", iterator: false }],
  ["ReadonlySet", { kind: "Set", iterator: false }],
  ["MapIterator", { kind: "Map", iterator: true }],
  ["SetIterator", { kind: "Set", iterator: true }],
] as const);

const ANNOTATION_NAMES: ReadonlyMap<string, CollectionKind> = new Map([
  ["Map", "Map"],
  ["ReadonlyMap", "Map"],
  ["Set", "Set"],
  ["ReadonlySet", "Set"],
] as const);

const MAX_DEPTH = 4;

export class CollectionResolver {
  private readonly cache = new Map<TSESTree.Node, Collection | null>();

  constructor(
    private readonly sourceCode: TSESLint.SourceCode,
    private readonly types: TypeInfo | null,
  ) {}

  /** `m`, `m.keys()`, `m.values()` or `m.entries()` over a Map/Set. */
  iterated(node: TSESTree.Node, depth = 0): IteratedCollection | null {
    const target = unwrap(node);
    if (target.type === AST_NODE_TYPES.CallExpression && target.arguments.length === 0) {
      const callee = unwrap(target.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const name = memberName(callee);
        if (name !== null && VIEWS.has(name)) {
          const collection = this.collection(callee.object, depth);
          if (collection && !collection.iterator) return { collection, view: name as CollectionView };
        }
      }
    }
    const collection = this.collection(target, depth);
    return collection ? { collection, view: "self" } : null;
  }

  /** The Map/Set an expression is, or null when it is not one (or cannot be told). */
  collection(node: TSESTree.Node, depth = 0): Collection | null {
    const target = unwrap(node);
    if (this.cache.has(target)) return this.cache.get(target)!;
    this.cache.set(target, null); // cycle guard (`const a = new Set(b)`, `const b = new Set(a)`)
    const result = depth > MAX_DEPTH ? null : this.compute(target, depth);
    this.cache.set(target, result);
    return result;
  }

  /** An array built from a Map/Set in its order: `[...m]`, `[...m.values()]`, `Array.from(m)`, `Array.from(m, fn)`. */
  arrayFrom(node: TSESTree.Node, depth = 0): IteratedCollection | null {
    const target = unwrap(node);
    if (target.type === AST_NODE_TYPES.ArrayExpression) {
      let first: IteratedCollection | null = null;
      for (const element of target.elements) {
        if (element?.type !== AST_NODE_TYPES.SpreadElement) continue;
        const iterated = this.iterated(element.argument, depth);
        if (iterated && !iterated.collection.stable) return iterated;
        first ??= iterated;
      }
      return first;
    }
    if (target.type === AST_NODE_TYPES.CallExpression && this.isGlobalMember(target.callee, "Array", "from")) {
      const first = target.arguments[0];
      if (!first || first.type === AST_NODE_TYPES.SpreadElement) return null;
      return this.iterated(first, depth);
    }
    return null;
  }

  /** `Name.member` where `Name` is the global (not shadowed by a local or an import). */
  isGlobalMember(node: TSESTree.Node, object: string, member: string): boolean {
    const target = unwrap(node);
    return (
      target.type === AST_NODE_TYPES.MemberExpression &&
      memberName(target) === member &&
      target.object.type === AST_NODE_TYPES.Identifier &&
      target.object.name === object &&
      isGlobalReference(this.sourceCode, target.object)
    );
  }

  private compute(target: TSESTree.Node, depth: number): Collection | null {
    if (target.type === AST_NODE_TYPES.Identifier) {
      const fromDeclaration = this.fromDeclaration(target, depth);
      if (fromDeclaration) return fromDeclaration;
    } else {
      const built = this.construction(target);
      if (built) return { node: target, ...built, iterator: false, stable: this.sourceIsStable(built.source, depth) };
    }
    return this.fromType(target);
  }

  /** `new Map(...)`, `new Set<string>(...)`, `Map.groupBy(items, fn)`. */
  private construction(node: TSESTree.Node): { kind: CollectionKind; keyKind: KeyKind; source: TSESTree.Node | null } | null {
    if (node.type === AST_NODE_TYPES.NewExpression && node.callee.type === AST_NODE_TYPES.Identifier) {
      const kind = ANNOTATION_NAMES.get(node.callee.name);
      if (!kind || kind !== node.callee.name || !isGlobalReference(this.sourceCode, node.callee)) return null;
      const first = node.arguments[0];
      if (first?.type === AST_NODE_TYPES.SpreadElement) return { kind, keyKind: null, source: first };
      return { kind, keyKind: keyKindOfTypeArguments(node.typeArguments), source: first ?? null };
    }
    if (node.type === AST_NODE_TYPES.CallExpression && this.isGlobalMember(node.callee, "Map", "groupBy")) {
      const first = node.arguments[0];
      return { kind: "Map", keyKind: null, source: first ?? node };
    }
    return null;
  }

  /** Whether a collection built from `source` has a fixed order: the source is not itself a changing Map/Set. */
  private sourceIsStable(source: TSESTree.Node | null, depth: number): boolean {
    if (source === null) return true;
    if (source.type === AST_NODE_TYPES.SpreadElement) return false;
    const array = this.arrayFrom(source, depth + 1);
    if (array) return array.collection.stable;
    const iterated = this.iterated(source, depth + 1);
    return iterated ? iterated.collection.stable : true;
  }

  private fromDeclaration(identifier: TSESTree.Identifier, depth: number): Collection | null {
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier);
    if (!variable || variable.defs.length !== 1) return null;
    const def = variable.defs[0];
    if (def.type === "Parameter") {
      const name = def.name as TSESTree.Node;
      const annotation = name.type === AST_NODE_TYPES.Identifier ? name.typeAnnotation?.typeAnnotation : undefined;
      const annotated = annotation ? collectionOfAnnotation(annotation) : null;
      return annotated ? { node: identifier, ...annotated, keyKind: this.keyKindOf(identifier, annotated.keyKind), iterator: false, stable: false } : this.fromType(identifier);
    }
    if (def.type !== "Variable") return null;
    const declarator = def.node;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier) return null;
    const annotation = declarator.id.typeAnnotation?.typeAnnotation;
    const annotated = annotation ? collectionOfAnnotation(annotation) : null;
    const constant = constantBinding(variable);
    const built = constant && constant.path.length === 0 ? this.construction(constant.init) : null;
    if (built) {
      const exported = declarator.parent?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration;
      const stable = !exported && this.sourceIsStable(built.source, depth) && onlyRead(variable);
      return { node: identifier, kind: built.kind, keyKind: this.keyKindOf(identifier, annotated?.keyKind ?? built.keyKind), iterator: false, stable };
    }
    if (annotated) return { node: identifier, ...annotated, keyKind: this.keyKindOf(identifier, annotated.keyKind), iterator: false, stable: false };
    return null;
  }

  /** The key kind written in the code, or else (with types) the one the checker knows. */
  private keyKindOf(identifier: TSESTree.Identifier, written: KeyKind): KeyKind {
    return written ?? this.fromType(identifier)?.keyKind ?? null;
  }

  private fromType(node: TSESTree.Node): Collection | null {
    const types = this.types;
    if (!types || !isExpression(node) || !types.isMapOrSet(node)) return null;
    const checker = types.checker;
    for (const part of tsApiUtils().unionTypeParts(types.typeOf(node))) {
      const symbol = part.getSymbol() ?? part.aliasSymbol;
      const known = symbol ? MAP_TYPE_NAMES.get(symbol.getName()) : undefined;
      if (!known) continue;
      const args = (part as ts.TypeReference).target ? checker.getTypeArguments(part as ts.TypeReference) : [];
      const key = args[0];
      let keyKind: KeyKind = null;
      if (key && !(known.iterator && known.kind === "Map")) {
        if (checker.isTypeAssignableTo(key, checker.getStringType()) && !checker.isTypeAssignableTo(checker.getNumberType(), key)) {
          keyKind = "string";
        } else if (checker.isTypeAssignableTo(key, checker.getNumberType()) && !checker.isTypeAssignableTo(checker.getStringType(), key)) {
          keyKind = "number";
        }
      }
      return { node, kind: known.kind, iterator: known.iterator, keyKind, stable: false };
    }
    return { node, kind: "Map", iterator: true, keyKind: null, stable: false };
  }
}

/** `Map<string, X>`, `ReadonlySet<number>`, `Map<K, V> | undefined`. */
function collectionOfAnnotation(annotation: TSESTree.TypeNode): { kind: CollectionKind; keyKind: KeyKind } | null {
  if (annotation.type === AST_NODE_TYPES.TSUnionType) {
    let found: { kind: CollectionKind; keyKind: KeyKind } | null = null;
    for (const member of annotation.types) {
      if (member.type === AST_NODE_TYPES.TSUndefinedKeyword || member.type === AST_NODE_TYPES.TSNullKeyword) continue;
      const kind = collectionOfAnnotation(member);
      if (!kind || found) return null;
      found = kind;
    }
    return found;
  }
  if (annotation.type !== AST_NODE_TYPES.TSTypeReference || annotation.typeName.type !== AST_NODE_TYPES.Identifier) return null;
  const kind = ANNOTATION_NAMES.get(annotation.typeName.name);
  return kind ? { kind, keyKind: keyKindOfTypeArguments(annotation.typeArguments) } : null;
}

function keyKindOfTypeArguments(args: TSESTree.TSTypeParameterInstantiation | undefined): KeyKind {
  const first = args?.params[0];
  if (first?.type === AST_NODE_TYPES.TSStringKeyword) return "string";
  if (first?.type === AST_NODE_TYPES.TSNumberKeyword) return "number";
  return null;
}

/** Every reference reads the collection (or copies or iterates it): nothing can add to it. */
function onlyRead(variable: Variable): boolean {
  for (const reference of variable.references) {
    if (reference.init) continue;
    const outer = outermostWrapper(reference.identifier);
    const parent = outer.parent;
    if (!parent) return false;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) {
      const name = memberName(parent);
      if (name !== null && READ_MEMBERS.has(name)) continue;
      return false;
    }
    if (parent.type === AST_NODE_TYPES.ForOfStatement && parent.right === outer) continue;
    if (parent.type === AST_NODE_TYPES.SpreadElement && parent.parent?.type === AST_NODE_TYPES.ArrayExpression) continue;
    if (
      parent.type === AST_NODE_TYPES.NewExpression &&
      parent.arguments[0] === outer &&
      parent.callee.type === AST_NODE_TYPES.Identifier &&
      ANNOTATION_NAMES.get(parent.callee.name) === parent.callee.name
    ) {
      continue;
    }
    if (
      parent.type === AST_NODE_TYPES.CallExpression &&
      parent.arguments[0] === outer &&
      parent.callee.type === AST_NODE_TYPES.MemberExpression &&
      parent.callee.object.type === AST_NODE_TYPES.Identifier &&
      parent.callee.object.name === "Array" &&
      memberName(parent.callee) === "from"
    ) {
      continue;
    }
    return false;
  }
  return true;
}

function isExpression(node: TSESTree.Node): boolean {
  return (
    node.type !== AST_NODE_TYPES.SpreadElement &&
    node.type !== AST_NODE_TYPES.Property &&
    !node.type.startsWith("TS") &&
    !node.type.endsWith("Statement") &&
    !node.type.endsWith("Declaration")
  );
}
