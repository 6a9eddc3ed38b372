/**
 * What survives Restate's default serde (`serde.json`: `JSON.stringify` on the
 * way into the journal, `JSON.parse` on the way out), judged from syntax alone
 * or from a type.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { tsApiUtils } from "#ts-api-utils";
import type * as ts from "typescript";
import { unwrap } from "../../core/ast.js";
import { isGlobalReference } from "../../core/globals.js";
import type { TypeInfo } from "../../core/types.js";

/** What kind of value does not survive JSON. */
export type Unserializable = "date" | "map" | "set" | "bigint" | "function" | "symbol" | "classInstance";

export interface Finding {
  readonly kind: Unserializable;
  /** Property path inside the value (`order.createdAt`, `items[]`), empty for the value itself. */
  readonly path: string;
  /** The class name for `classInstance`, the collection name for `map`/`set`. */
  readonly typeName: string;
}

// ---- syntax ------------------------------------------------------------------

const MAX_DEPTH = 5;
const MAX_PROPERTIES = 64;

/** A global (not shadowed, not imported) identifier named `name`. */
function isGlobal(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, name: string): boolean {
  return node.type === AST_NODE_TYPES.Identifier && node.name === name && isGlobalReference(sourceCode, node);
}

/**
 * A value that is certainly not JSON-safe from its syntax alone: `new Date()`,
 * `new Map()`, `new Set()`, a bigint literal, `BigInt(x)`, `Symbol()`, a
 * function, or an object/array literal holding one of these.
 */
export function syntacticFinding(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, path = "", depth = 0): Finding | null {
  const value = unwrap(node);
  switch (value.type) {
    case AST_NODE_TYPES.NewExpression: {
      for (const [name, kind] of [["Date", "date"], ["Map", "map"], ["Set", "set"]] as const) {
        if (isGlobal(sourceCode, value.callee, name)) return { kind, path, typeName: name };
      }
      return null;
    }
    case AST_NODE_TYPES.Literal:
      return "bigint" in value && typeof value.bigint === "string" ? { kind: "bigint", path, typeName: "bigint" } : null;
    case AST_NODE_TYPES.CallExpression:
      if (isGlobal(sourceCode, value.callee, "BigInt")) return { kind: "bigint", path, typeName: "bigint" };
      if (isGlobal(sourceCode, value.callee, "Symbol")) return { kind: "symbol", path, typeName: "symbol" };
      return null;
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
      return { kind: "function", path, typeName: "function" };
    case AST_NODE_TYPES.ObjectExpression: {
      if (depth >= MAX_DEPTH) return null;
      // `toJSON` decides what JSON.stringify writes: whatever it returns is the user's choice.
      if (value.properties.some((p) => p.type === AST_NODE_TYPES.Property && !p.computed && keyName(p) === "toJSON")) return null;
      for (const property of value.properties.slice(0, MAX_PROPERTIES)) {
        if (property.type !== AST_NODE_TYPES.Property) continue;
        const key = keyName(property);
        if (key === null) continue;
        // Methods (`{ total() {} }`) are dropped too, but are rarely data by mistake: report only function-valued properties.
        if (property.method || property.kind !== "init") continue;
        const found = syntacticFinding(sourceCode, property.value, join(path, key), depth + 1);
        if (found) return found;
      }
      return null;
    }
    case AST_NODE_TYPES.ArrayExpression: {
      if (depth >= MAX_DEPTH) return null;
      for (const element of value.elements.slice(0, MAX_PROPERTIES)) {
        if (!element || element.type === AST_NODE_TYPES.SpreadElement) continue;
        const found = syntacticFinding(sourceCode, element, `${path}[]`, depth + 1);
        if (found) return found;
      }
      return null;
    }
    default:
      return null;
  }
}

function keyName(property: TSESTree.Property): string | null {
  if (property.computed) return property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : null;
  if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  if (property.key.type === AST_NODE_TYPES.Literal) return String(property.key.value);
  return null;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// ---- types -------------------------------------------------------------------

/** `ts.SymbolFlags` values (stable across TypeScript versions; `typescript` is only a type import here). */
const SYMBOL_FLAG_PROPERTY = 4;
const SYMBOL_FLAG_CLASS = 32;
const SYMBOL_FLAG_METHOD = 8192;
/** `ts.SignatureKind.Call`. */
const CALL_SIGNATURE = 0;

const LIB_COLLECTIONS: ReadonlyMap<string, "map" | "set"> = new Map([
  ["Map", "map"],
  ["ReadonlyMap", "map"],
  ["WeakMap", "map"],
  ["Set", "set"],
  ["ReadonlySet", "set"],
  ["WeakSet", "set"],
]);

/**
 * The first part of a value of type `type` that does not survive JSON, or
 * null. Never reports `any`, `unknown`, type parameters or anything that
 * depends on them; a union is reported when any member is bad (that value can
 * flow). Walks properties, array elements and index signatures to a fixed
 * depth with a cycle guard; does not walk into library types (other than
 * arrays) or types that define `toJSON`.
 */
export function typeFinding(info: TypeInfo, type: ts.Type): Finding | null {
  return info.safely(() => walk(info, type, "", 0, new Set()), null);
}

function walk(info: TypeInfo, type: ts.Type, path: string, depth: number, seen: Set<ts.Type>): Finding | null {
  if (tsApiUtils().isUnionType(type)) {
    for (const part of type.types) {
      const found = walk(info, part, path, depth, seen);
      if (found) return found;
    }
    return null;
  }
  if (tsApiUtils().isIntersectionType(type)) {
    // Branded primitives (`string & { __brand: "Id" }`) are primitives; a part that is generic is unknowable.
    if (type.types.some((part) => !tsApiUtils().isObjectType(part))) return null;
    return walkObject(info, type, path, depth, seen);
  }
  const single: ts.Type = type;
  if (tsApiUtils().isIntrinsicAnyType(single) || tsApiUtils().isIntrinsicUnknownType(single) || tsApiUtils().isInstantiableType(single)) return null;
  if (tsApiUtils().isIntrinsicBigIntType(single) || tsApiUtils().isBigIntLiteralType(single)) return { kind: "bigint", path, typeName: "bigint" };
  if (tsApiUtils().isIntrinsicESSymbolType(single) || tsApiUtils().isUniqueESSymbolType(single)) return { kind: "symbol", path, typeName: "symbol" };
  if (!tsApiUtils().isObjectType(type)) return null;
  return walkObject(info, type, path, depth, seen);
}

function walkObject(info: TypeInfo, type: ts.Type, path: string, depth: number, seen: Set<ts.Type>): Finding | null {
  if (seen.has(type) || depth > MAX_DEPTH) return null;
  seen.add(type);
  const checker = info.checker;
  const symbol = type.getSymbol();
  const name = symbol?.getName() ?? "";
  const origin = symbol ? info.originOf(symbol) : null;
  // The SDK's own objects (`rpc.opts(...)`, handles) are never journaled values.
  if (origin === "sdk" || origin === "clients") return null;
  const fromLib = origin === "lib";
  if (fromLib && name === "Date") return { kind: "date", path, typeName: "Date" };
  if (fromLib && LIB_COLLECTIONS.has(name)) return { kind: LIB_COLLECTIONS.get(name)!, path, typeName: name };
  if (checker.isArrayType(type) || tsApiUtils().isTupleTypeReference(type)) {
    const elements = tsApiUtils().isTypeReference(type) ? checker.getTypeArguments(type) : [];
    for (const element of elements) {
      const found = walk(info, element, `${path}[]`, depth + 1, seen);
      if (found) return found;
    }
    return null;
  }
  if (type.getCallSignatures().length > 0) return { kind: "function", path, typeName: "function" };
  // Other library types (Error, RegExp, URL, typed arrays, Promise…) are left alone.
  if (fromLib) return null;
  const properties = checker.getPropertiesOfType(type);
  if (properties.some((p) => p.getName() === "toJSON")) return null;
  if (symbol && (symbol.flags & SYMBOL_FLAG_CLASS) !== 0 && properties.some((p) => (p.flags & SYMBOL_FLAG_METHOD) !== 0)) {
    return { kind: "classInstance", path, typeName: name };
  }
  for (const property of properties.slice(0, MAX_PROPERTIES)) {
    // Method signatures of interfaces describe behaviour, not data: only walk properties.
    if ((property.flags & SYMBOL_FLAG_PROPERTY) === 0) continue;
    const found = walk(info, checker.getTypeOfSymbol(property), join(path, property.getName()), depth + 1, seen);
    if (found) return found;
  }
  for (const index of checker.getIndexInfosOfType(type)) {
    const found = walk(info, index.type, `${path}[key]`, depth + 1, seen);
    if (found) return found;
  }
  return null;
}

/**
 * `typeFinding` of `node`'s awaited type where syntax can stand in for the checker, without asking for the type of
 * `node` itself: a template literal is a string; an object literal's type is the types of its property values, walked
 * as `walkObject` walks them (same order, paths, depth and cycle guard), so only values whose own type needs no
 * contextual type are asked for. Asking for an object literal's type when it is an argument of a generic call
 * (`ctx.objectSendClient(X, key).h({ … })`) first resolves that call, and with it the SDK's client types.
 * Undefined when syntax does not settle it: the caller asks the checker.
 */
export function literalTypeFinding(info: TypeInfo, node: TSESTree.Node): Finding | null | undefined {
  if (node.type === AST_NODE_TYPES.TemplateLiteral) return null;
  if (node.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  return info.safely(() => literalFinding(info, node, "", 0, new Set()), undefined);
}

/** Values whose type the checker gives without a contextual type, and that are never a literal's own `then`. */
function selfTypedValue(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.Identifier ||
    node.type === AST_NODE_TYPES.TemplateLiteral ||
    (node.type === AST_NODE_TYPES.Literal && !("regex" in node && node.regex)) ||
    (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && !node.optional && node.object.type !== AST_NODE_TYPES.Super)
  );
}

function literalFinding(info: TypeInfo, node: TSESTree.ObjectExpression, path: string, depth: number, seen: Set<ts.Type>): Finding | null | undefined {
  if (depth > MAX_DEPTH) return null;
  const keys = new Set<string>();
  const values: [string, TSESTree.Node][] = [];
  for (const property of node.properties) {
    // Spreads, computed keys, accessors and methods change the literal's properties in ways only its type shows.
    if (property.type !== AST_NODE_TYPES.Property || property.computed || property.kind !== "init" || property.method) return undefined;
    const key = keyName(property);
    // `then` makes the literal a thenable (its awaited type differs); `toJSON` decides what JSON writes.
    if (key === null || keys.has(key) || key === "then" || key === "toJSON" || key === "__proto__") return undefined;
    keys.add(key);
    const value = property.value;
    if (value.type !== AST_NODE_TYPES.ObjectExpression && !selfTypedValue(value)) return undefined;
    values.push([key, value]);
  }
  for (const [key, value] of values.slice(0, MAX_PROPERTIES)) {
    const found =
      value.type === AST_NODE_TYPES.ObjectExpression
        ? literalFinding(info, value, join(path, key), depth + 1, seen)
        : value.type === AST_NODE_TYPES.Literal || value.type === AST_NODE_TYPES.TemplateLiteral
          ? literalValueFinding(value, join(path, key))
          : walk(info, info.typeOf(value), join(path, key), depth + 1, seen);
    if (found !== null) return found;
  }
  return null;
}

/** A literal property value: only a bigint does not survive JSON. */
function literalValueFinding(value: TSESTree.Literal | TSESTree.TemplateLiteral, path: string): Finding | null {
  return value.type === AST_NODE_TYPES.Literal && "bigint" in value && typeof value.bigint === "string" ? { kind: "bigint", path, typeName: "bigint" } : null;
}

/** The awaited return type of a function-typed expression (an action passed by reference), or null. */
export function awaitedReturnType(info: TypeInfo, node: TSESTree.Node): ts.Type | null {
  return info.safely(() => {
    const signatures = info.checker.getSignaturesOfType(info.typeOf(node), CALL_SIGNATURE as ts.SignatureKind);
    if (signatures.length !== 1) return null;
    const returned = info.checker.getReturnTypeOfSignature(signatures[0]);
    return info.checker.getAwaitedType(returned) ?? returned;
  }, null);
}

/** The awaited type of an expression. */
export function awaitedType(info: TypeInfo, node: TSESTree.Node): ts.Type | null {
  return info.safely(() => {
    const type = info.typeOf(node);
    return info.checker.getAwaitedType(type) ?? type;
  }, null);
}
