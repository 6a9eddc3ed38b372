import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type ContextBinding } from "../core/analysis.js";
import { tsApiUtils } from "#ts-api-utils";
import { constantBinding, enclosingFunction, propertyKeyName, resolveLocalFunction, unwrap, variableOf, type FunctionNode } from "../core/ast.js";
import { memberChain } from "../core/globals.js";
import { createRule } from "../core/create-rule.js";
import { excerpt } from "../core/describe.js";
import { memberName, type ImportedBinding } from "../core/imports.js";
import {
  CANDIDATE_MEMBER_NAMES,
  NANOID_CUSTOM_ALPHABET,
  NANOID_MODULES,
  NONDETERMINISTIC_API_NAMES,
  awaitExpressionText,
  canAwaitAt,
  importRemovalRanges,
  importSpecifierOf,
  isNanoidGeneratorCall,
  matchNondeterministicCall,
  nondeterministicReturnEffect,
  onlyDelaysAMessage,
  reachesOnlyOutput,
  returnedNondeterminism,
  replacementTarget,
  type NondeterministicApi,
  type NondeterministicApiName,
} from "../core/nondeterminism.js";
import { RUNTIME_MODULES } from "../core/sdk.js";
import { exportSpelling } from "../core/spelling.js";
import { reportThrough } from "../core/related.js";
import { describeReach, summariesOf } from "../core/summaries.js";

const RULE_ID = "no-nondeterministic-calls";

type Options = [{ allow?: NondeterministicApiName[] }];
type ProblemIds = "time" | "date" | "random" | "id" | "bytes" | "clock" | "throughCall";
type SuggestionIds = "suggestDateNow" | "suggestNewDate" | "suggestDateString" | "suggestDurableDate" | "suggestRun" | "suggestRand";
type MessageIds = ProblemIds | SuggestionIds;

type Call = TSESTree.CallExpression | TSESTree.NewExpression;

interface Finding {
  readonly node: Call;
  readonly api: NondeterministicApi;
  /** The import the call goes through, when there is one. */
  readonly binding: ImportedBinding | null;
  /** The identifier of that import the call uses (`randomUUID` in `randomUUID()`, `crypto` in `crypto.randomUUID()`). */
  readonly root: TSESTree.Identifier | null;
  readonly ctx: ContextBinding | null;
  /** The exact replacement, when the call can be autofixed. */
  readonly autofix: string | null;
  /** The same replacement offered as a suggestion, when it cannot be shown to keep the file type-checking. */
  readonly suggestion: string | null;
}

type Suggestion = TSESLint.SuggestionReportDescriptor<SuggestionIds>;

export default createRule<Options, MessageIds>({
  name: RULE_ID,
  meta: {
    type: "problem",
    docs: {
      description: "Disallow clocks, random numbers and random ids in durable Restate code outside `ctx.run`",
      recommended: "recommended",
    },
    fixable: "code",
    hasSuggestions: true,
    messages: {
      time: "`{{call}}` differs when the handler replays, so what is derived from it mismatches the journal. Use `await {{ctx}}.date.now()` or compute it inside `{{ctx}}.run`.",
      date: "`{{call}}` reads the clock again on replay, so what is derived from it mismatches the journal. Use `new Date(await {{ctx}}.date.now())` or `await durableDate({{ctx}})`.",
      random: "`{{call}}` differs when the handler replays, so what is derived from it mismatches the journal. Use `{{ctx}}.rand.random()` or draw it inside `{{ctx}}.run`.",
      id: "`{{call}}` makes a new id when the handler replays, so what is derived from it mismatches the journal. Use `{{ctx}}.rand.uuidv4()` or generate it inside `{{ctx}}.run`.",
      bytes: "`{{call}}` gives other bytes on replay. Generate them inside `{{ctx}}.run` and return a hex string, or derive them from `{{ctx}}.rand`.",
      clock: "`{{call}}` reads a clock that differs on replay. Compute it inside `{{ctx}}.run`; if it only times logs, add \"{{name}}\" to this rule's `allow` option.",
      throughCall: "`{{call}}` returns a value that differs on replay: {{chain}}. Call it in `{{ctx}}.run`, or use `{{ctx}}.date`/`{{ctx}}.rand`.",
      suggestDateNow: "Use `await {{ctx}}.date.now()` (journaled).",
      suggestRand: "Use `{{replacement}}` (check that its type fits here).",
      suggestNewDate: "Use `new Date(await {{ctx}}.date.now())` (journaled).",
      suggestDateString: "Use `new Date(await {{ctx}}.date.now()).toString()` (journaled).",
      suggestDurableDate: "Use `{{replacement}}` (restate-guard's `durableDate`, journaled).",
      suggestRun: "Compute it inside `{{ctx}}.run(\"{{name}}\", \u2026)`.",
    },
    schema: [
      {
        type: "object",
        properties: {
          allow: {
            type: "array",
            items: { type: "string", enum: [...NONDETERMINISTIC_API_NAMES] },
            uniqueItems: true,
            description:
              'Calls not to report, by API name whatever the import style: e.g. "performance.now" for code that only measures latency for logs.',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ allow: [] }],
  create(context, [options]) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const imports = analysis.imports;
    if (!imports) return {};
    const sourceCode = context.sourceCode;
    const allow = new Set<string>(options.allow ?? []);
    let nanoidImported = false;
    for (const module of imports.modules) if (NANOID_MODULES.has(module)) nanoidImported = true;
    const findings: Finding[] = [];
    const throughEffect = nondeterministicReturnEffect([...allow]);

    function check(node: Call): void {
      if (!mayBeCandidate(node)) return checkThrough(node);
      const match = matchNondeterministicCall(sourceCode, imports!, node);
      let api = match?.api ?? null;
      if (!api && nanoidImported && node.type === AST_NODE_TYPES.CallExpression && isNanoidGeneratorCall(sourceCode, imports!, node)) {
        api = NANOID_CUSTOM_ALPHABET;
      }
      if (!api) return checkThrough(node);
      if (allow.has(api.name) || !analysis.isDurable(node)) return;
      // Computed after the handler's last journaled operation: it can only reach the handler's result.
      // Or only a message's delay, which a replay never compares.
      if (reachesOnlyOutput(analysis, node) || onlyDelaysAMessage(analysis, node)) return;
      const ctx = analysis.contextAt(node);
      const replacement = api.exactReplacement;
      const exact = ctx && replacement && node.arguments.length === 0 ? `${ctx.name}.rand.${replacement}()` : null;
      // An autofix must keep the file type-checking; when that cannot be shown, the same edit is a suggestion.
      const safe = exact !== null && autofixKeepsTypes(node, ctx!, replacement!);
      findings.push({
        node,
        api,
        binding: match?.binding ?? null,
        root: match?.root ?? null,
        ctx,
        autofix: safe ? exact : null,
        suggestion: safe ? null : exact,
      });
    }

    /**
     * A call of a helper, class method or (typed) function of another file
     * that returns a clock, random or id value: the same as the API call
     * itself, and exempt in the same way when it only reaches the handler's
     * output. A call whose value is dropped (`touch();`) brings nothing into
     * the handler. No fix: wrapping it in `ctx.run` changes its type (a
     * `Date` comes back as a string) and may not be wanted.
     */
    function checkThrough(node: Call): void {
      if (!analysis.isDurable(node) || valueDropped(node)) return;
      const reach = summariesOf(analysis).reachOfCall(node, throughEffect);
      const returned = reach ? returnedNondeterminism(reach) : null;
      if (!returned || reachesOnlyOutput(analysis, node) || onlyDelaysAMessage(analysis, node)) return;
      const ctx = analysis.contextAt(node);
      const call = `${node.type === AST_NODE_TYPES.NewExpression ? "new " : ""}${excerpt(sourceCode, node.callee, 40)}(${node.arguments.length > 0 ? "…" : ""})`;
      reportThrough(context, { node, messageId: "throughCall", data: { call, chain: describeReach(returned.chain), ctx: ctx?.name ?? "ctx" } }, returned.chain);
    }

    /**
     * Whether `ctx.rand.<replacement>()` type-checks wherever the call was:
     * the context must not be possibly undefined (`ctx?: Context`), and a
     * `uuidv4()` string must fit where `randomUUID()`'s template-literal
     * `UUID` type went: with types, the declared or contextual type there, or
     * of every use of the variable it initialises; without, the annotations
     * written there (`stringFitsBySyntax`).
     */
    function autofixKeepsTypes(node: Call, ctx: ContextBinding, replacement: string): boolean {
      const declared = ctx.variable.defs[0]?.name;
      if (declared?.type === AST_NODE_TYPES.Identifier) {
        if (declared.optional) return false;
        const annotation = declared.typeAnnotation?.typeAnnotation;
        if (
          annotation?.type === AST_NODE_TYPES.TSUnionType &&
          annotation.types.some((t) => t.type === AST_NODE_TYPES.TSUndefinedKeyword || t.type === AST_NODE_TYPES.TSNullKeyword)
        ) {
          return false;
        }
      }
      const types = analysis.types;
      if (types && declared) {
        const type = types.typeOf(declared);
        if (types.safely(() => types.checker.getNonNullableType(type) !== type, true)) return false;
      }
      if (replacement !== "uuidv4") return true;
      if (!types) return stringFitsBySyntax(sourceCode, node, 0);
      const generic = (type: import("typescript").Type) => tsApiUtils().isTypeParameter(type) || tsApiUtils().isConditionalType(type) || tsApiUtils().isIndexedAccessType(type);
      const fitsString = (expression: TSESTree.Node) => {
        const string = types.checker.getStringType();
        // An argument: judge by the parameter's declared type, before inference from this very argument
        // (`ctx.set(key, value: TValue)` is generic: any string fits).
        const parent = expression.parent;
        if ((parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(expression as never)) {
          const signature = types.checker.getResolvedSignature(types.tsNode(parent) as never);
          const parameters = signature?.getDeclaration()?.parameters;
          const index = parent.arguments.indexOf(expression as never);
          const parameter = parameters?.[Math.min(index, parameters.length - 1)];
          if (parameter) {
            if (parameter.dotDotDotToken) return true;
            const declared = types.checker.getTypeAtLocation(parameter);
            return generic(declared) || types.checker.isTypeAssignableTo(string, declared);
          }
        }
        const contextual = types.checker.getContextualType(types.tsNode(expression) as never);
        if (!contextual || generic(contextual)) return true;
        return types.checker.isTypeAssignableTo(string, contextual);
      };
      if (!types.safely(() => fitsString(node), false)) return false;
      const parent = node.parent;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier && !parent.id.typeAnnotation) {
        const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
        for (const reference of variable?.references ?? []) {
          if (!reference.init && reference.isRead() && !types.safely(() => fitsString(reference.identifier), false)) return false;
        }
      }
      return true;
    }

    /** A cheap syntactic look before any scope or import look-up. */
    function mayBeCandidate(node: Call): boolean {
      const callee = unwrap(node.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const name = memberName(callee);
        return name !== null && (CANDIDATE_MEMBER_NAMES.has(name) || name === "Date");
      }
      if (callee.type === AST_NODE_TYPES.Identifier) {
        if (callee.name === "Date" || imports!.bindingOf(callee) !== undefined || nanoidImported || CANDIDATE_MEMBER_NAMES.has(callee.name)) return true;
        // An alias under a name of the user's choosing (`const { now: clock } = Date`, `const roll = Math.random`):
        // resolveApi follows it; only a never-reassigned local read from a member chain can be one.
        const alias = constantBinding(variableOf(sourceCode, callee));
        return alias !== null && memberChain(alias.init) !== null;
      }
      return callee.type === AST_NODE_TYPES.CallExpression && nanoidImported;
    }

    function report(finding: Finding, grouped: GroupedFix | null): void {
      const { node, api, ctx, autofix } = finding;
      const call = `${node.type === AST_NODE_TYPES.NewExpression ? "new " : ""}${excerpt(sourceCode, node.callee, 40)}()`;
      context.report({
        node,
        // `new Date()` has its own message: it can name the Date-returning helper.
        messageId: api.name === "new Date" ? "date" : api.category,
        data: { call, ctx: ctx?.name ?? "ctx", name: api.name },
        fix: grouped
          ? (fixer) => [
              ...grouped.replaced.map((f) => fixer.replaceText(f.node, f.autofix!)),
              ...grouped.ranges.map((range) => fixer.removeRange(range)),
            ]
          : autofix
            ? (fixer) => fixer.replaceText(node, autofix)
            : null,
        suggest:
          ctx && !autofix
            ? [
                ...(finding.suggestion
                  ? [{ messageId: "suggestRand" as const, data: { replacement: finding.suggestion }, fix: (fixer: TSESLint.RuleFixer) => fixer.replaceText(node, finding.suggestion!) }]
                  : []),
                ...suggestionsFor(node, api, ctx.name),
              ]
            : [],
      });
    }

    /**
     * Rewrites that change evaluation (the value is read once and journaled),
     * so they are offered, never applied. They need `await`, so only in the
     * body of an async function.
     */
    function suggestionsFor(node: Call, api: NondeterministicApi, ctx: string): Suggestion[] {
      const target = replacementTarget(node);
      if (!canAwaitAt(target)) return [];
      const original = sourceCode.getText(target);
      const callee = sourceCode.getText(node.callee);
      const replace = (messageId: SuggestionIds, name: string, text: string): Suggestion => ({
        messageId,
        data: { ctx, name },
        fix: (fixer) => fixer.replaceText(target, text),
      });
      const run = (name: string, action: string) => awaitExpressionText(sourceCode, target, `${ctx}.run(${JSON.stringify(name)}, () => ${action})`);
      // restate-guard's `durableDate(ctx)`, first, when the file already imports it (never added: it is a runtime dependency).
      const durableDate = (text: (call: string) => string): Suggestion[] => {
        const helper = exportSpelling(imports, sourceCode, target, RUNTIME_MODULES, "durableDate")?.text;
        if (!helper) return [];
        const replacement = text(`${helper}(${ctx})`);
        return [{ messageId: "suggestDurableDate", data: { replacement }, fix: (fixer) => fixer.replaceText(target, replacement) }];
      };
      switch (api.name) {
        case "Date.now":
          return [
            replace("suggestDateNow", "now", awaitExpressionText(sourceCode, target, `${ctx}.date.now()`)),
            replace("suggestRun", "now", run("now", original)),
          ];
        case "new Date":
          // A Date returned from ctx.run comes back as a string after the journal's JSON round trip: journal the number.
          return [
            ...durableDate((call) => awaitExpressionText(sourceCode, target, call)),
            replace("suggestNewDate", "now", `new ${callee}(await ${ctx}.date.now())`),
            replace("suggestRun", "now", `new ${callee}(await ${ctx}.run("now", () => ${callee}.now()))`),
          ];
        case "Date":
          // `Date()` is a string: keep it one.
          return [
            ...durableDate((call) => `(await ${call}).toString()`),
            replace("suggestDateString", "now", `new ${callee}(await ${ctx}.date.now()).toString()`),
            replace("suggestRun", "now", run("now", original)),
          ];
        case "performance.now":
          return [replace("suggestRun", "performance.now", run("performance.now", original))];
        case "process.hrtime":
          return [replace("suggestRun", "hrtime", run("hrtime", original))];
        case "process.hrtime.bigint":
          // A bigint cannot be serialised as JSON: journal its decimal string.
          return [replace("suggestRun", "hrtime", `BigInt(await ${ctx}.run("hrtime", () => ${original}.toString()))`)];
        case "crypto.randomInt":
          return [replace("suggestRun", "random", run("random", original))];
        default:
          // Ids are strings and survive the journal; bytes do not, and have no suggestion.
          return api.category === "id" ? [replace("suggestRun", "id", run("id", original))] : [];
      }
    }

    return {
      CallExpression: check,
      NewExpression: check,
      "Program:exit"() {
        const grouped = planImportRemoval(sourceCode, findings);
        for (const finding of findings) report(finding, grouped?.carrier === finding ? grouped : null);
      },
    };
  },
});

// ---- without types: does a plain string fit where the value goes? ---------------------

/** How far unannotated variables, local type aliases and nested literals are followed. */
const MAX_SYNTAX_DEPTH = 4;

/**
 * Without type information: whether a plain `string` (what `ctx.rand.uuidv4()`
 * returns) fits where `node`'s value goes, judged from the type annotations
 * written there — a variable's, a local function's parameter or return type,
 * a class property's, a `satisfies` — through `await`, `?:`, `??` and object
 * or array literals, and through the reads of an unannotated variable it
 * initialises. An annotation fits when it is `string`, `any` or `unknown`
 * (or a union with one, or a local alias of one); any other annotation there
 * (`UUID`, `ReturnType<typeof randomUUID>`, a template-literal type, a type
 * from another file) cannot be shown to take a string. No annotation in
 * sight fits. Nothing else in the file counts.
 */
function stringFitsBySyntax(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, depth: number): boolean {
  if (depth > MAX_SYNTAX_DEPTH) return false;
  const position = valuePosition(node);
  if (!position) return true;
  const parent = position.parent;
  if (parent?.type === AST_NODE_TYPES.TSSatisfiesExpression) {
    return acceptsString(sourceCode, parent.typeAnnotation, 0) && stringFitsBySyntax(sourceCode, parent, depth);
  }
  // An unannotated variable takes the value's type: the string must then fit wherever the variable is read.
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === position && parent.id.type === AST_NODE_TYPES.Identifier && !parent.id.typeAnnotation) {
    const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
    return (variable?.references ?? []).every((reference) => reference.init || !reference.isRead() || stringFitsBySyntax(sourceCode, reference.identifier, depth + 1));
  }
  const expected = expectedType(sourceCode, position, depth);
  return expected === null || (expected !== "unknown" && acceptsString(sourceCode, expected, 0));
}

/** The outermost expression that carries `node`'s value unchanged (`await x`, `x!`, `c ? x : y`, `a ?? x`); null when the value is only tested. */
function valuePosition(node: TSESTree.Node): TSESTree.Node | null {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    switch (parent.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.LogicalExpression:
        current = parent;
        break;
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === current) return null;
        current = parent;
        break;
      case AST_NODE_TYPES.SequenceExpression:
        if (parent.expressions[parent.expressions.length - 1] !== current) return null;
        current = parent;
        break;
      default:
        return current;
    }
  }
}

/**
 * The type annotation written for where an expression's value goes: null when
 * there is none (the value's own type is used, or it is not typed at all),
 * "unknown" when there is one but the syntax cannot say what it expects here.
 */
function expectedType(sourceCode: TSESLint.SourceCode, position: TSESTree.Node, depth: number): TSESTree.TypeNode | null | "unknown" {
  if (depth > MAX_SYNTAX_DEPTH) return "unknown";
  const parent = position.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
      // `x as UUID` accepts a string as well: TypeScript allows the assertion either way.
      return null;
    case AST_NODE_TYPES.TSSatisfiesExpression:
      return parent.typeAnnotation;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.init === position ? (parent.id.typeAnnotation?.typeAnnotation ?? null) : null;
    case AST_NODE_TYPES.PropertyDefinition:
      return parent.value === position ? (parent.typeAnnotation?.typeAnnotation ?? null) : null;
    case AST_NODE_TYPES.AssignmentPattern:
      return parent.right === position && parent.left.type === AST_NODE_TYPES.Identifier ? (parent.left.typeAnnotation?.typeAnnotation ?? null) : null;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.right === position && parent.operator === "=" ? assignedType(sourceCode, parent.left) : null;
    case AST_NODE_TYPES.ReturnStatement:
      return returnedType(enclosingFunction(parent));
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === position ? returnedType(parent) : null;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      const index = parent.arguments.indexOf(position as TSESTree.CallExpressionArgument);
      if (index < 0) return null;
      const fn = resolveLocalFunction(sourceCode, parent.callee);
      return fn ? parameterType(fn, index) : null;
    }
    case AST_NODE_TYPES.Property: {
      const object = parent.parent;
      if (parent.value !== position || object?.type !== AST_NODE_TYPES.ObjectExpression) return null;
      const key = propertyKeyName(parent);
      const whole = expectedOfLiteral(sourceCode, object, depth);
      return whole === null || whole === "unknown" ? whole : key === null ? "unknown" : memberType(sourceCode, whole, key, 0);
    }
    case AST_NODE_TYPES.ArrayExpression: {
      const whole = expectedOfLiteral(sourceCode, parent, depth);
      if (whole === null || whole === "unknown") return whole;
      if (whole.type === AST_NODE_TYPES.TSArrayType) return whole.elementType;
      return acceptsAnything(whole) ? null : "unknown";
    }
    default:
      return null;
  }
}

/** The expected type of an object or array literal, from where it goes. */
function expectedOfLiteral(sourceCode: TSESLint.SourceCode, literal: TSESTree.Node, depth: number): TSESTree.TypeNode | null | "unknown" {
  const position = valuePosition(literal);
  if (!position) return null;
  const parent = position.parent;
  // `const order = { id: randomUUID() }`: the literal's own type; checking the reads of `order` is for types.
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === position && parent.id.type === AST_NODE_TYPES.Identifier && !parent.id.typeAnnotation) return null;
  return expectedType(sourceCode, position, depth + 1);
}

/** The declared type of an assignment target: a local variable's annotation, or a class property's for `this.x`. */
function assignedType(sourceCode: TSESLint.SourceCode, target: TSESTree.Node): TSESTree.TypeNode | null {
  if (target.type === AST_NODE_TYPES.Identifier) {
    const declared = variableOf(sourceCode, target)?.defs[0]?.name;
    return declared?.type === AST_NODE_TYPES.Identifier ? (declared.typeAnnotation?.typeAnnotation ?? null) : null;
  }
  if (target.type !== AST_NODE_TYPES.MemberExpression || target.object.type !== AST_NODE_TYPES.ThisExpression) return null;
  const name = memberName(target);
  let fn = enclosingFunction(target);
  while (fn?.type === AST_NODE_TYPES.ArrowFunctionExpression) fn = enclosingFunction(fn);
  const method = fn?.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition) return null;
  for (const member of method.parent.body) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && propertyKeyName(member) === name) return member.typeAnnotation?.typeAnnotation ?? null;
  }
  return null;
}

/** A function's declared return type, unwrapped from `Promise<T>` for an async function. */
function returnedType(fn: FunctionNode | null): TSESTree.TypeNode | null | "unknown" {
  const declared = fn?.returnType?.typeAnnotation ?? null;
  if (!declared || !fn?.async) return declared;
  if (
    declared.type === AST_NODE_TYPES.TSTypeReference &&
    declared.typeName.type === AST_NODE_TYPES.Identifier &&
    declared.typeName.name === "Promise" &&
    declared.typeArguments?.params.length === 1
  ) {
    return declared.typeArguments.params[0];
  }
  return "unknown";
}

/** The annotation of a local function's parameter `index` (the element type of a rest parameter). */
function parameterType(fn: FunctionNode, index: number): TSESTree.TypeNode | null | "unknown" {
  const params = fn.params.filter((p) => !(p.type === AST_NODE_TYPES.Identifier && p.name === "this"));
  const param = params[index] ?? params[params.length - 1];
  if (!param) return null;
  if (param.type === AST_NODE_TYPES.RestElement) {
    const rest = param.typeAnnotation?.typeAnnotation;
    return !rest ? null : rest.type === AST_NODE_TYPES.TSArrayType ? rest.elementType : "unknown";
  }
  if (param !== params[index]) return null;
  let target: TSESTree.Node = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  if (target.type === AST_NODE_TYPES.AssignmentPattern) target = target.left;
  return target.type === AST_NODE_TYPES.Identifier ? (target.typeAnnotation?.typeAnnotation ?? null) : null;
}

/** The type of member `key` of an object type written in this file (a type literal, a local interface or alias); "unknown" otherwise. */
function memberType(sourceCode: TSESLint.SourceCode, type: TSESTree.TypeNode, key: string, depth: number): TSESTree.TypeNode | null | "unknown" {
  if (acceptsAnything(type)) return null;
  if (depth > MAX_SYNTAX_DEPTH) return "unknown";
  let members: readonly TSESTree.TypeElement[] | null = null;
  if (type.type === AST_NODE_TYPES.TSTypeLiteral) members = type.members;
  const declaration = type.type === AST_NODE_TYPES.TSTypeReference ? localTypeDeclaration(sourceCode, type) : null;
  if (declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration) return memberType(sourceCode, declaration.typeAnnotation, key, depth + 1);
  // An interface that extends another may get the member from it.
  if (declaration?.type === AST_NODE_TYPES.TSInterfaceDeclaration && (declaration.extends?.length ?? 0) === 0) members = declaration.body.body;
  for (const member of members ?? []) {
    if (member.type !== AST_NODE_TYPES.TSPropertySignature || member.computed) continue;
    const name = member.key.type === AST_NODE_TYPES.Identifier ? member.key.name : member.key.type === AST_NODE_TYPES.Literal ? String(member.key.value) : null;
    if (name === key) {
      return member.typeAnnotation?.typeAnnotation ?? null;
    }
  }
  return "unknown";
}

/** The one local, non-generic `type`/`interface` declaration a type reference names; null for imports, globals and generics. */
function localTypeDeclaration(
  sourceCode: TSESLint.SourceCode,
  type: TSESTree.TSTypeReference,
): TSESTree.TSTypeAliasDeclaration | TSESTree.TSInterfaceDeclaration | null {
  if (type.typeName.type !== AST_NODE_TYPES.Identifier || type.typeArguments) return null;
  const variable = ASTUtils.findVariable(sourceCode.getScope(type), type.typeName.name);
  if (variable?.defs.length !== 1) return null;
  const node = variable.defs[0].node;
  if ((node.type === AST_NODE_TYPES.TSTypeAliasDeclaration || node.type === AST_NODE_TYPES.TSInterfaceDeclaration) && !node.typeParameters) return node;
  return null;
}

function acceptsAnything(type: TSESTree.TypeNode): boolean {
  return type.type === AST_NODE_TYPES.TSAnyKeyword || type.type === AST_NODE_TYPES.TSUnknownKeyword;
}

/** Whether a written type certainly accepts a plain `string`: `string`, `any`, `unknown`, a union with one, a local alias of one. */
function acceptsString(sourceCode: TSESLint.SourceCode, type: TSESTree.TypeNode, depth: number): boolean {
  if (depth > MAX_SYNTAX_DEPTH) return false;
  switch (type.type) {
    case AST_NODE_TYPES.TSStringKeyword:
    case AST_NODE_TYPES.TSAnyKeyword:
    case AST_NODE_TYPES.TSUnknownKeyword:
      return true;
    case AST_NODE_TYPES.TSUnionType:
      return type.types.some((part) => acceptsString(sourceCode, part, depth + 1));
    case AST_NODE_TYPES.TSIntersectionType:
      return type.types.every((part) => acceptsString(sourceCode, part, depth + 1));
    case AST_NODE_TYPES.TSTypeReference: {
      const declaration = localTypeDeclaration(sourceCode, type);
      return declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration && acceptsString(sourceCode, declaration.typeAnnotation, depth + 1);
    }
    default:
      return false;
  }
}

/** Whether a call's value is thrown away: `touch();`, `await touch();`, `void touch()`. */
function valueDropped(node: Call): boolean {
  let current: TSESTree.Node = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.AwaitExpression ||
      current.parent.type === AST_NODE_TYPES.ChainExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression)
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  return parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === "void");
}

/** One autofix that also removes imports: it replaces every call in `replaced` and deletes `ranges`. */
interface GroupedFix {
  readonly carrier: Finding;
  readonly replaced: readonly Finding[];
  readonly ranges: readonly TSESTree.Range[];
}

/**
 * When the autofixes replace every use of an imported binding, the import
 * goes too, so that the file still compiles under `noUnusedLocals`.
 *
 * Only the fix of the LAST use removes it, and that fix also replaces every
 * other autofixable call between the import and that use. So:
 * - applying that one fix on its own (an editor's "fix this problem") never
 *   leaves a use of a removed import behind;
 * - applying the other fixes on their own never touches the import;
 * - `--fix` applies everything in a single pass: the carrier's range starts
 *   at the import, so ESLint applies it first and skips the fixes it already
 *   contains; a second pass finds nothing to fix.
 * Nothing is removed when disable comments might keep a use unfixed.
 */
function planImportRemoval(sourceCode: TSESLint.SourceCode, findings: readonly Finding[]): GroupedFix | null {
  const fixed = findings.filter((f) => f.autofix !== null);
  if (fixed.length === 0 || mayBeSuppressed(sourceCode)) return null;
  const fixedRoots = new Set(fixed.map((f) => f.root));
  const removedByDeclaration = new Map<TSESTree.ImportDeclaration, Set<TSESTree.Node>>();
  const users: Finding[] = [];
  for (const finding of fixed) {
    const specifier = finding.binding ? importSpecifierOf(finding.binding) : null;
    if (!specifier || specifier.parent.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    const references = finding.binding!.variable.references;
    if (!references.every((reference) => fixedRoots.has(reference.identifier as TSESTree.Identifier))) continue;
    const declaration = specifier.parent;
    let removed = removedByDeclaration.get(declaration);
    if (!removed) removedByDeclaration.set(declaration, (removed = new Set()));
    removed.add(specifier);
    users.push(finding);
  }
  if (users.length === 0) return null;
  const ranges: TSESTree.Range[] = [];
  for (const [declaration, removed] of removedByDeclaration) ranges.push(...importRemovalRanges(sourceCode, declaration, removed));
  if (ranges.length === 0) return null;

  const carrier = users.reduce((last, f) => (f.node.range[0] > last.node.range[0] ? f : last));
  let start = Math.min(...ranges.map((r) => r[0]), ...users.map((f) => f.node.range[0]));
  let end = Math.max(...ranges.map((r) => r[1]), ...users.map((f) => f.node.range[1]));
  const replaced = new Set<Finding>(users);
  for (let grew = true; grew; ) {
    grew = false;
    for (const finding of fixed) {
      if (replaced.has(finding) || finding.node.range[1] <= start || finding.node.range[0] >= end) continue;
      replaced.add(finding);
      start = Math.min(start, finding.node.range[0]);
      end = Math.max(end, finding.node.range[1]);
      grew = true;
    }
  }
  return { carrier, replaced: [...replaced], ranges };
}

/**
 * Disable comments that could switch this rule off for some uses: then a use
 * may stay unfixed, and its import must stay. Reads comments only to keep the
 * fix from removing an import still needed, never to decide a finding.
 */
function mayBeSuppressed(sourceCode: TSESLint.SourceCode): boolean {
  return sourceCode.getAllComments().some((comment) => { // text for a fix
    const match = /^\s*eslint-disable(?:-next-line|-line)?(?:\s+([^]*))?$/.exec(comment.value); // text for a fix
    if (!match) return false;
    const rules = (match[1] ?? "").split("--")[0].trim();
    return rules === "" || rules.includes(RULE_ID);
  });
}
