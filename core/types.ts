import { typeMatchesSomeSpecifier, type TypeOrValueSpecifier } from "@typescript-eslint/type-utils";
import type { ParserServicesWithTypeInformation, TSESTree } from "@typescript-eslint/utils";
import { unionTypeParts, intersectionTypeParts } from "ts-api-utils";
import type * as ts from "typescript";
import { CONTEXT_TYPES, SDK_PACKAGES, type ContextKind } from "./sdk.js";

const sdkSpecifier = (name: string | string[]): TypeOrValueSpecifier[] =>
  SDK_PACKAGES.map((pkg) => ({ from: "package" as const, package: pkg, name }));

const CONTEXT_SPECIFIERS = new Map<string, TypeOrValueSpecifier[]>(
  [...CONTEXT_TYPES.keys()].map((name) => [name, sdkSpecifier(name)]),
);
const RESTATE_PROMISE_SPECIFIERS = sdkSpecifier(["RestatePromise", "InvocationPromise", "DurablePromise", "CombineablePromise"]);
const INGRESS_SPECIFIERS: TypeOrValueSpecifier[] = [
  { from: "package", package: "@restatedev/restate-sdk-clients", name: ["Ingress", "IngressClient", "IngressSendClient", "IngressWorkflowClient"] },
];
const MAP_OR_SET_SPECIFIERS: TypeOrValueSpecifier[] = [
  { from: "lib", name: ["Map", "Set", "ReadonlyMap", "ReadonlySet", "MapIterator", "SetIterator"] },
];

/**
 * Type questions the rules ask, answered from the program that
 * typescript-eslint built. Types from packages are matched by where they are
 * declared, never by their name alone.
 */
export class TypeInfo {
  readonly checker: ts.TypeChecker;
  private readonly program: ts.Program;

  constructor(private readonly services: ParserServicesWithTypeInformation) {
    this.program = services.program;
    this.checker = services.program.getTypeChecker();
  }

  typeOf(node: TSESTree.Node): ts.Type {
    return this.services.getTypeAtLocation(node);
  }

  tsNode(node: TSESTree.Node): ts.Node {
    return this.services.esTreeNodeToTSNodeMap.get(node);
  }

  /** The Restate context kind of a type (`ObjectContext<S>`, a union including one, ...), or null. */
  contextKind(type: ts.Type): ContextKind | null {
    for (const part of unionTypeParts(type)) {
      for (const piece of intersectionTypeParts(part)) {
        const symbol = piece.aliasSymbol ?? piece.getSymbol();
        const name = symbol?.getName();
        if (!name) continue;
        const specifiers = CONTEXT_SPECIFIERS.get(name);
        if (specifiers && typeMatchesSomeSpecifier(piece, specifiers, this.program)) return CONTEXT_TYPES.get(name)!;
      }
    }
    return null;
  }

  /** The context kind a function's first parameter gets from where the function is passed (e.g. `implement()` handlers). */
  contextualFirstParameterKind(fn: TSESTree.Node): ContextKind | null {
    const tsNode = this.tsNode(fn) as ts.Expression;
    const contextual = this.checker.getContextualType(tsNode);
    if (!contextual) return null;
    for (const signature of contextual.getCallSignatures()) {
      const first = signature.getParameters()[0];
      if (!first) continue;
      const kind = this.contextKind(this.checker.getTypeOfSymbolAtLocation(first, tsNode));
      if (kind) return kind;
    }
    return null;
  }

  isRestatePromise(node: TSESTree.Node): boolean {
    return unionTypeParts(this.typeOf(node)).some((part) =>
      typeMatchesSomeSpecifier(part, RESTATE_PROMISE_SPECIFIERS, this.program),
    );
  }

  isIngress(node: TSESTree.Node): boolean {
    return unionTypeParts(this.typeOf(node)).some((part) => typeMatchesSomeSpecifier(part, INGRESS_SPECIFIERS, this.program));
  }

  /** A `Map`, `Set` (or read-only view, or iterator over one). */
  isMapOrSet(node: TSESTree.Node): boolean {
    const type = this.typeOf(node);
    return unionTypeParts(type).some((part) => typeMatchesSomeSpecifier(part, MAP_OR_SET_SPECIFIERS, this.program));
  }

  /** Whether the program can see the Restate SDK at all: when it cannot, no type is a Restate type. */
  programUsesSdk(): boolean {
    let cached = sdkProgramCache.get(this.program);
    if (cached === undefined) {
      cached = this.program
        .getSourceFiles()
        .some((file) => /[\\/]@restatedev[\\/]restate-sdk(-core|-cloudflare-workers)?[\\/]/.test(file.fileName));
      sdkProgramCache.set(this.program, cached);
    }
    return cached;
  }
}

const sdkProgramCache = new WeakMap<ts.Program, boolean>();
