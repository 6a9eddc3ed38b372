/**
 * The Restate surface of a project, for `restate-guard compat`: what already-running state and invocations depend
 * on. Read with the same analysis the rules use (core/analysis.ts, through a probe rule in ESLint's `Linter`):
 *
 * - components (`service()`, `object()`, `workflow()` with a literal name) and their kind;
 * - handlers: name, how Restate registers them (exclusive, shared, workflow run), and a fingerprint of the handler's
 *   tokens (a handler renamed with the same body has the same fingerprint);
 * - per object and workflow, the state keys its handlers read and write with a literal key (`ctx.get("items")`);
 * - per workflow, the durable promise names its handlers use (`ctx.promise("approval")`).
 *
 * Keys and promise names used through helpers, or computed at runtime, are not seen (the docs say so).
 */
import { readFileSync } from "node:fs";
import * as tsParser from "@typescript-eslint/parser";
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { Linter } from "eslint";
import { getAnalysis, type RestateAnalysis } from "../../core/analysis.js";
import { PRESET_FILES } from "../../eslint-plugin.js";
import type ts from "typescript";
import { contains, unwrap, type FunctionNode } from "../../core/ast.js";
import type { ComponentKind, HandlerKind } from "../../core/sdk.js";
import type { TypeInfo } from "../../core/types.js";
import { loadTypeScript } from "../typescript.js";
import { journalPaths } from "./journal.js";

const typescript = loadTypeScript();

export interface Place {
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly line: number;
}

/** A handler's input or output type, as much as a payload's JSON needs: its text, and its fields when an object. */
export interface PayloadShape {
  readonly text: string;
  /** Field → its type's text and whether it may be missing; absent when the type is not a plain object type. */
  readonly fields?: Readonly<Record<string, { readonly type: string; readonly optional: boolean }>>;
}

export interface HandlerSurface {
  readonly name: string;
  readonly kind: HandlerKind | "unknown";
  /** With type information: the input (the parameter after the context) and the awaited output. */
  readonly input?: PayloadShape;
  readonly output?: PayloadShape;
  /** Whether the handler resolves or rejects awakeables (`ctx.resolveAwakeable`, `ctx.rejectAwakeable`). */
  readonly resolvesAwakeables: boolean;
  /** With `--in-place`: each path's journal entries (cli/compat/journal.ts); null when there are too many paths. */
  readonly journal?: string[][] | null;
  /** The handler function's tokens, joined: equal for the same body under another name. */
  readonly fingerprint: string;
  readonly place: Place;
}

export interface ComponentSurface {
  readonly name: string;
  readonly kind: ComponentKind | "unknown";
  readonly place: Place;
  readonly handlers: Map<string, HandlerSurface>;
  /**
   * State key → where it is read (`get`) and written (`set`, `clear`), and, with type information, the shapes of
   * the values `set` writes.
   */
  readonly state: Map<string, { reads: Place[]; writes: Place[]; values: PayloadShape[] }>;
  /** Durable promise name → where it is used. */
  readonly promises: Map<string, Place[]>;
}

export type Surface = Map<string, ComponentSurface>;

const STATE_READS = new Set(["get"]);
const STATE_WRITES = new Set(["set", "clear"]);

/**
 * The surface of `files` (absolute paths), places relative to `root`. With `program` (the project's TypeScript
 * program), handlers also get their input and output shapes.
 */
export function readSurface(root: string, files: readonly string[], program?: ts.Program, options: { journal?: boolean } = {}): Surface {
  const surface: Surface = new Map();
  const linter = new Linter({ configType: "flat", cwd: root });
  for (const file of files) {
    let analysis: RestateAnalysis | undefined;
    const probe: TSESLint.RuleModule<string, []> = {
      meta: { type: "problem", messages: {}, schema: [] },
      defaultOptions: [],
      create(context) {
        analysis = getAnalysis(context);
        return {};
      },
    };
    const relativeFile = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
    linter.verify(
      readFileSync(file, "utf8"),
      [{ files: PRESET_FILES, languageOptions: { parser: tsParser as Linter.Parser, parserOptions: program ? { programs: [program] } : {} }, plugins: { compat: { rules: { probe } } as never }, rules: { "compat/probe": "error" } }],
      file,
    );
    if (analysis?.active) collect(analysis, relativeFile, surface, options.journal ?? false);
  }
  return surface;
}

function collect(analysis: RestateAnalysis, file: string, surface: Surface, journal: boolean): void {
  const sourceCode = analysis.sourceCode;
  const place = (node: TSESTree.Node): Place => ({ file, line: node.loc.start.line });
  for (const handler of analysis.handlers.values()) {
    const component = handler.component;
    if (component.name === null) continue;
    let entry = surface.get(component.name);
    if (!entry) {
      entry = { name: component.name, kind: component.kind, place: place(component.call), handlers: new Map(), state: new Map(), promises: new Map() };
      surface.set(component.name, entry);
    }
    const fingerprint = sourceCode.getTokens(handler.fn).map((token) => token.value).join(" ");
    const payloads = analysis.types ? payloadsOf(analysis.types, handler.fn) : {};
    const resolvesAwakeables = analysis.uses.some(
      (use) => (use.member === "resolveAwakeable" || use.member === "rejectAwakeable") && contains(handler.fn, use.identifier),
    );
    entry.handlers.set(handler.name, {
      name: handler.name,
      kind: handler.kind,
      resolvesAwakeables,
      fingerprint,
      place: place(handler.registration),
      ...payloads,
      ...(journal ? { journal: journalPaths(analysis, handler.fn) } : {}),
    });

    for (const use of analysis.uses) {
      if (!use.call || !use.member || !contains(handler.fn, use.identifier)) continue;
      const key = literal(use.call.arguments[0]);
      if (key === null) continue;
      if (STATE_READS.has(use.member) || STATE_WRITES.has(use.member)) {
        let state = entry.state.get(key);
        if (!state) entry.state.set(key, (state = { reads: [], writes: [], values: [] }));
        (STATE_READS.has(use.member) ? state.reads : state.writes).push(place(use.call));
        const value = use.member === "set" ? use.call.arguments[1] : undefined;
        const types = analysis.types;
        if (value && types) {
          const written = types.safely(() => shape(types, types.checker.getBaseTypeOfLiteralType(types.typeOf(value))), null);
          if (written && !state.values.some((v) => v.text === written.text)) state.values.push(written);
        }
      } else if (use.member === "promise") {
        const places = entry.promises.get(key) ?? [];
        places.push(place(use.call));
        entry.promises.set(key, places);
      }
    }
  }
}

/** The handler's input (its second parameter's declared type) and output (its return type, awaited). */
function payloadsOf(types: TypeInfo, fn: FunctionNode): { input?: PayloadShape; output?: PayloadShape } {
  return types.safely(() => {
    const checker = types.checker;
    const result: { input?: PayloadShape; output?: PayloadShape } = {};
    const parameter = fn.params[1];
    if (parameter) result.input = shape(types, types.typeOf(parameter));
    const signature = checker.getSignaturesOfType(types.typeOf(fn), typescript.SignatureKind.Call)[0];
    if (signature) {
      const returned = checker.getReturnTypeOfSignature(signature);
      result.output = shape(types, checker.getAwaitedType(returned) ?? returned);
    }
    return result;
  }, {});
}

function shape(types: TypeInfo, type: ts.Type): PayloadShape {
  const checker = types.checker;
  const text = checker.typeToString(type);
  const symbol = type.getSymbol();
  // Fields only for a plain object type the project declares (an interface, a type literal, an object literal):
  // not a union, a primitive, an array or tuple, a class instance, or a type of the standard library (Date, Map).
  const plain =
    !type.isUnion() &&
    (type.getFlags() & typescript.TypeFlags.Object) !== 0 &&
    !checker.isArrayType(type) &&
    !checker.isTupleType(type) &&
    symbol !== undefined &&
    (symbol.getFlags() & (typescript.SymbolFlags.TypeLiteral | typescript.SymbolFlags.Interface | typescript.SymbolFlags.ObjectLiteral)) !== 0 &&
    (symbol.getFlags() & typescript.SymbolFlags.Class) === 0 &&
    !(symbol.getDeclarations() ?? []).some((d) => types.program.isSourceFileDefaultLibrary(d.getSourceFile()));
  if (!plain) return { text };
  const fields: Record<string, { type: string; optional: boolean }> = {};
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const propertyType = declaration ? checker.getTypeOfSymbolAtLocation(property, declaration) : checker.getDeclaredTypeOfSymbol(property);
    fields[property.getName()] = { type: checker.typeToString(propertyType), optional: (property.getFlags() & typescript.SymbolFlags.Optional) !== 0 };
  }
  return { text, fields };
}

/** A string literal (or a template literal without expressions). */
function literal(node: TSESTree.Node | undefined): string | null {
  if (!node) return null;
  const value = unwrap(node);
  if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") return value.value;
  if (value.type === AST_NODE_TYPES.TemplateLiteral && value.expressions.length === 0) return value.quasis[0]?.value.cooked ?? null;
  return null;
}
