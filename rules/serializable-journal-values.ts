import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { getAnalysis, type RestateAnalysis } from "../core/analysis.js";
import { callOfCallee, constantBinding, isFunction, outermostWrapper, propertyKeyName, resolveLocalFunction, resolveLocalObject, unwrap, variableOf, type FunctionNode } from "../core/ast.js";
import { createRule } from "../core/create-rule.js";
import { describeRun, excerpt } from "../core/describe.js";
import type { HandlerInfo } from "../core/handlers.js";
import { memberName } from "../core/imports.js";
import { SDK_MODULES } from "../core/sdk.js";
import { awaitedReturnType, awaitedType, literalTypeFinding, syntacticFinding, typeFinding, type Finding, type Unserializable } from "./serializable-journal-values/serialization.js";

type MessageIds = Unserializable;

/** Context client factories whose handler calls serialize their argument with the default serde. */
const CALL_CLIENTS = new Set(["serviceClient", "objectClient", "workflowClient"]);
const SEND_CLIENTS = new Set(["serviceSendClient", "objectSendClient", "workflowSendClient"]);

/** One place where a value goes into the journal, described in the user's names. */
interface Site {
  /** `the result of ctx.run("load")` */
  readonly what: string;
  /** Who reads the value back: `the code after ctx.run("load")`. */
  readonly receiver: string;
  /** `as \`{ serde }\` in the options of ctx.run` */
  readonly serde: string;
}

const FIX: Record<Unserializable, string> = {
  date: "Store `.toISOString()` or `.getTime()` instead and rebuild the Date where it is read",
  map: "Store `Object.fromEntries(map)` or `[...map]` instead",
  set: "Store `[...set]` instead",
  bigint: "Store `.toString()` instead",
  function: "Store data only",
  symbol: "Store data only",
  classInstance: "Store plain data and rebuild the instance where it is read",
};

export default createRule<[], MessageIds>({
  name: "serializable-journal-values",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow journaled values that Restate's default JSON serde cannot round-trip (Date, Map, Set, bigint, functions, class instances)",
      recommended: "recommended",
      requiresTypeChecking: true,
    },
    messages: {
      date: "{{value}} is a Date: {{receiver}} gets an ISO string back. Store `.toISOString()` or `.getTime()` and rebuild the Date when read, or pass a serde.",
      map: "{{value}} is a {{typeName}}, stored as `{}`: {{receiver}} loses every entry. {{fix}}, or pass a serde.",
      set: "{{value}} is a {{typeName}}, stored as `{}`: {{receiver}} loses every element. {{fix}}, or pass a serde.",
      bigint: "{{value}} is a bigint, which JSON cannot write: the attempt fails and retries forever. {{fix}}, or pass a serde.",
      function: "{{value}} is a function, which is dropped: {{receiver}} gets `undefined`. {{fix}}, or pass a serde.",
      symbol: "{{value}} is a symbol, which is dropped: {{receiver}} gets `undefined`. {{fix}}, or pass a serde.",
      classInstance: "{{value}} is a `{{typeName}}`: {{receiver}} gets a plain object without its methods. {{fix}}, or pass a serde.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getAnalysis(context);
    if (!analysis.active) return {};
    const sourceCode = context.sourceCode;
    /** Calls that may give an endpoint a default serde (`….defaultServiceOptions(opts)`, `serve(opts)`), found while ESLint walks the file. */
    const endpointCalls: TSESTree.CallExpression[] = [];
    return {
      CallExpression(node) {
        if (mayConfigureEndpoint(analysis, node)) endpointCalls.push(node);
      },
      "Program:exit"() {
        // An endpoint of this file with a default serde: every service here may be bound to it.
        if (endpointCalls.some((call) => setsEndpointSerde(sourceCode, analysis, call))) return;
        const serdes = new SerdeOverrides(sourceCode, analysis);
        const reported = new Set<TSESTree.Node>();

        const check = (node: TSESTree.Node, site: Site, typed: boolean) => {
          if (reported.has(node)) return;
          let finding = syntacticFinding(sourceCode, node);
          if (!finding && typed && analysis.types) {
            const literal = literalTypeFinding(analysis.types, node);
            if (literal !== undefined) finding = literal;
            else {
              const type = awaitedType(analysis.types, node);
              finding = type ? typeFinding(analysis.types, type) : null;
            }
          }
          if (finding) report(node, finding, site);
        };
        const report = (node: TSESTree.Node, finding: Finding, site: Site) => {
          reported.add(node);
          context.report({
            node,
            messageId: finding.kind,
            data: {
              value: describeValue(sourceCode, node, finding, site),
              receiver: site.receiver,
              typeName: finding.typeName,
              fix: FIX[finding.kind],
              serde: site.serde,
            },
          });
        };

        // (a) Results of ctx.run actions.
        for (const run of analysis.runCalls) {
          const args = run.call.arguments;
          const named = run.name !== null || (args.length >= 2 && !isFunction(unwrap(args[0])));
          const actionNode = named ? args[1] : args[0];
          if (!actionNode || actionNode.type === AST_NODE_TYPES.SpreadElement || args.some((a) => a.type === AST_NODE_TYPES.SpreadElement)) continue;
          const options = named ? args[2] : undefined;
          if (options && mayCarry(sourceCode, options, ["serde"])) continue;
          if (serdes.defaultOverriddenAt(run.call)) continue;
          const runText = describeRun(run);
          const site: Site = {
            what: `the result of \`${runText}\``,
            receiver: `the code after \`${runText}\``,
            serde: `as \`{ serde }\` in the options of \`${run.binding.name}.run\``,
          };
          if (run.action) {
            for (const returned of returnedExpressions(sourceCode, run.action)) check(returned, site, true);
          } else if (analysis.types) {
            const type = awaitedReturnType(analysis.types, actionNode);
            const finding = type ? typeFinding(analysis.types, type) : null;
            if (finding) report(actionNode, finding, site);
          }
        }

        // (b) Handler return values.
        for (const handler of analysis.handlers.values()) {
          if (serdes.outputOverridden(handler)) continue;
          const site: Site = {
            what: `the return value of handler \`${handler.name}\``,
            receiver: "its caller",
            serde: "as the handler's `output` option (`handlers.handler({ output }, fn)`)",
          };
          for (const returned of returnedExpressions(sourceCode, handler.fn)) {
            // A journaled result (`return ctx.run(...)`, `return client.h(x)`) was checked where it was journaled.
            if (isJournaledResult(analysis, returned) || holdsJournaledResult(sourceCode, analysis, returned)) continue;
            check(returned, site, true);
          }
        }

        // (c), (d) State writes, call arguments, awakeable and promise payloads.
        for (const use of analysis.uses) {
          if (!use.call || use.member === null) continue;
          if (use.call.callee !== outermostWrapper(use.node)) continue;
          if (serdes.defaultOverriddenAt(use.call)) continue;
          const ctx = use.binding.name;
          const args = use.call.arguments;
          if (args.some((a) => a.type === AST_NODE_TYPES.SpreadElement)) continue;
          switch (use.member) {
            case "set": {
              if (args.length !== 2) break;
              const key = keyText(sourceCode, args[0]);
              check(args[1], {
                what: `the value stored by \`${ctx}.set(${key}, …)\``,
                receiver: `\`${ctx}.get(${key})\``,
                serde: `as the third argument of \`${ctx}.set\``,
              }, true);
              break;
            }
            case "resolveAwakeable": {
              if (args.length !== 2) break;
              check(args[1], {
                what: `the payload of \`${ctx}.resolveAwakeable(…)\``,
                receiver: "the code awaiting the awakeable",
                serde: `as the third argument of \`${ctx}.resolveAwakeable\``,
              }, true);
              break;
            }
            case "promise": {
              if (args.length !== 1) break;
              const name = keyText(sourceCode, args[0]);
              for (const call of methodCalls(sourceCode, use.call, "resolve")) {
                if (call.arguments.length !== 1 || call.arguments[0].type === AST_NODE_TYPES.SpreadElement) continue;
                check(call.arguments[0], {
                  what: `the value resolving \`${ctx}.promise(${name})\``,
                  receiver: "the code awaiting the promise",
                  serde: `as the second argument of \`${ctx}.promise(${name}, serde)\``,
                }, true);
              }
              break;
            }
            default: {
              const send = SEND_CLIENTS.has(use.member);
              if (!send && !CALL_CLIENTS.has(use.member)) break;
              for (const call of methodCalls(sourceCode, use.call, null)) {
                const [input, opts] = call.arguments;
                if (!input || input.type === AST_NODE_TYPES.SpreadElement || call.arguments.length > 2) continue;
                if (isOptsCall(analysis, input)) continue;
                if (opts && mayCarry(sourceCode, opts, ["input"])) continue;
                const callee = call.callee.type === AST_NODE_TYPES.MemberExpression ? memberName(call.callee) : null;
                // The client serializes with the target handler's own `input` serde when its definition has one.
                if (callee && serdes.inputOverridden(use.call.arguments[0], callee)) continue;
                const helper = send ? "rpc.sendOpts" : "rpc.opts";
                check(input, {
                  what: `the argument of \`${callee ?? "the handler"}\` sent through \`${ctx}.${use.member}\``,
                  receiver: "the called handler",
                  serde: `with \`${helper}({ input: serde })\``,
                }, true);
              }
            }
          }
        }
      },
    };
  },
});

/** `The result of ctx.run("x")` or `` `order.createdAt` in the result of ctx.run("x") ``. */
function describeValue(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, finding: Finding, site: Site): string {
  if (!finding.path) return site.what.charAt(0).toUpperCase() + site.what.slice(1);
  const root = unwrap(node);
  const prefix =
    root.type === AST_NODE_TYPES.Identifier || root.type === AST_NODE_TYPES.MemberExpression ? excerpt(sourceCode, root, 30) : "";
  const path = prefix ? (finding.path.startsWith("[") ? `${prefix}${finding.path}` : `${prefix}.${finding.path}`) : finding.path;
  return `\`${path}\` in ${site.what}`;
}

function keyText(sourceCode: TSESLint.SourceCode, node: TSESTree.Node | undefined): string {
  return node ? excerpt(sourceCode, node, 30) : "…";
}

/**
 * Whether an options argument may set one of `keys`: an object literal (or a
 * call like `rpc.opts({...})` over one) that names a key or spreads something,
 * or anything this file cannot see into.
 */
function mayCarry(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, keys: readonly string[]): boolean {
  let target = unwrap(node);
  if (target.type === AST_NODE_TYPES.CallExpression) {
    if (target.arguments.length === 0) return false;
    target = target.arguments[0];
  }
  const object = resolveLocalObject(sourceCode, target);
  if (!object) return true;
  return object.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement || keys.includes(propertyKeyName(p) ?? ""));
}

/** `rpc.opts(...)` / `rpc.sendOpts(...)` as the only argument of a handler that takes no input. */
function isOptsCall(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  const target = unwrap(node);
  if (target.type !== AST_NODE_TYPES.CallExpression) return false;
  const resolved = analysis.imports?.resolve(target.callee);
  const last = resolved?.path[resolved.path.length - 1];
  return last === "opts" || last === "sendOpts";
}

/** Whether a returned expression is itself a value read back from the journal. */
function isJournaledResult(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  let target = unwrap(node);
  if (target.type === AST_NODE_TYPES.AwaitExpression) target = unwrap(target.argument);
  if (analysis.runCalls.some((run) => run.call === target)) return true;
  return target.type === AST_NODE_TYPES.CallExpression && analysis.types !== null && analysis.types.isRestatePromise(target);
}

/** `const order = await ctx.run(...); return order;`: the value was checked where it was journaled. */
function holdsJournaledResult(sourceCode: TSESLint.SourceCode, analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  const target = unwrap(node);
  if (target.type !== AST_NODE_TYPES.Identifier) return false;
  const constant = constantBinding(variableOf(sourceCode, target));
  return !!constant && constant.path.length === 0 && isJournaledResult(analysis, constant.init);
}

/**
 * Calls of methods on the client (or durable promise) that `factory` returns:
 * `ctx.serviceClient(X).greet(arg)`, and through a `const` that holds it.
 * `method` null means any method.
 */
function methodCalls(sourceCode: TSESLint.SourceCode, factory: TSESTree.CallExpression, method: string | null): TSESTree.CallExpression[] {
  const result: TSESTree.CallExpression[] = [];
  const take = (object: TSESTree.Node) => {
    const member = outermostWrapper(object).parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== outermostWrapper(object)) return;
    const name = memberName(member);
    if (name === null || (method !== null && name !== method)) return;
    const call = callOfCallee(member);
    if (call) result.push(call);
  };
  const outer = outermostWrapper(factory);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier && parent.init === outer) {
    const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0] ?? null;
    if (!variable || !constantBinding(variable)) return result;
    for (const reference of variable.references) if (!reference.init) take(reference.identifier);
    return result;
  }
  take(factory);
  return result;
}

/** The expressions a function returns: `return x` in its own body (not nested functions), or an arrow's expression body. */
function returnedExpressions(sourceCode: TSESLint.SourceCode, fn: FunctionNode): TSESTree.Expression[] {
  // A generator's `return` value is not what the caller gets.
  if (fn.generator) return [];
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const result: TSESTree.Expression[] = [];
  const keys = sourceCode.visitorKeys;
  const visit = (node: TSESTree.Node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement) {
      if (node.argument) result.push(node.argument);
      return;
    }
    if (isFunction(node) || node.type === AST_NODE_TYPES.ClassBody) return;
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object" && "type" in item) visit(item as TSESTree.Node);
      } else if (child && typeof child === "object" && "type" in child) {
        visit(child as TSESTree.Node);
      }
    }
  };
  for (const statement of fn.body.body) visit(statement);
  return result;
}

// ---- endpoints ------------------------------------------------------------------

/** The SDK's functions that build an endpoint from options (`EndpointOptions.defaultServiceOptions`). */
const ENDPOINT_OPTION_FUNCTIONS = new Set(["serve", "createEndpointHandler"]);
/** Methods of the SDK's endpoint builder that return the endpoint itself. */
const ENDPOINT_BUILDER_METHODS = new Set(["bind", "withIdentityV1", "defaultServiceOptions", "setLogger", "journalValueCodecProvider"]);
const MAX_ENDPOINT_DEPTH = 6;

/** A cheap look at a call: `x.defaultServiceOptions(…)`, or the SDK's `serve(…)`/`createEndpointHandler(…)` under any alias. */
function mayConfigureEndpoint(analysis: RestateAnalysis, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === "defaultServiceOptions") return true;
  const resolved = analysis.imports?.resolve(callee);
  return !!resolved && SDK_MODULES.has(resolved.module) && resolved.path.length === 1 && ENDPOINT_OPTION_FUNCTIONS.has(resolved.path[0]);
}

/**
 * Whether a call gives an endpoint of this file a default serde, which then
 * replaces JSON for every service bound to it: `serve({ defaultServiceOptions:
 * { serde } })`, or `defaultServiceOptions({ serde })` on the SDK's endpoint
 * builder (`restate.endpoint()` and its chain, a variable holding one, a value
 * annotated or typed as one). Options this file cannot see into count; so does
 * a receiver it cannot see into (a parameter, an import from another file).
 */
function setsEndpointSerde(sourceCode: TSESLint.SourceCode, analysis: RestateAnalysis, call: TSESTree.CallExpression): boolean {
  const options = call.arguments[0];
  if (!options || options.type === AST_NODE_TYPES.SpreadElement) return false;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || memberName(callee) !== "defaultServiceOptions") {
    // `serve(opts)` / `createEndpointHandler(opts)`: `opts.defaultServiceOptions.serde`.
    const object = resolveLocalObject(sourceCode, options);
    if (!object) return true;
    return object.properties.some(
      (p) => p.type === AST_NODE_TYPES.SpreadElement || (propertyKeyName(p) === "defaultServiceOptions" && mayCarry(sourceCode, p.value, ["serde"])),
    );
  }
  if (!mayCarry(sourceCode, options, ["serde"])) return false;
  const types = analysis.types;
  if (types) {
    // The method called is the SDK's own `defaultServiceOptions`, whatever holds the endpoint.
    const origin = types.safely(() => {
      const symbol = types.checker.getSymbolAtLocation(types.tsNode(callee.property));
      return symbol ? types.originOf(symbol) : undefined;
    }, undefined);
    if (origin !== undefined) return origin === "sdk";
  }
  return endpointOrigin(sourceCode, analysis, callee.object, 0) !== "other";
}

/**
 * What an expression holds, as far as the syntax shows: the SDK's endpoint
 * ("endpoint"), something this file cannot see into ("unknown"), or a value
 * of its own making ("other").
 */
function endpointOrigin(sourceCode: TSESLint.SourceCode, analysis: RestateAnalysis, node: TSESTree.Node, depth: number): "endpoint" | "unknown" | "other" {
  if (depth > MAX_ENDPOINT_DEPTH) return "unknown";
  let target = unwrap(node);
  // Down the builder chain: `restate.endpoint().bind(a).bind(b)` → `restate.endpoint()`.
  while (
    target.type === AST_NODE_TYPES.CallExpression &&
    target.callee.type === AST_NODE_TYPES.MemberExpression &&
    ENDPOINT_BUILDER_METHODS.has(memberName(target.callee) ?? "")
  ) {
    target = unwrap(target.callee.object);
  }
  if (target.type === AST_NODE_TYPES.CallExpression) {
    const resolved = analysis.imports?.resolve(target.callee);
    if (resolved) return SDK_MODULES.has(resolved.module) ? (resolved.path.join(".") === "endpoint" ? "endpoint" : "other") : "unknown";
    const fn = resolveLocalFunction(sourceCode, target.callee);
    if (!fn) return "other";
    const returned = returnedExpressions(sourceCode, fn).map((e) => endpointOrigin(sourceCode, analysis, e, depth + 1));
    return returned.includes("endpoint") ? "endpoint" : returned.includes("unknown") ? "unknown" : "other";
  }
  if (target.type !== AST_NODE_TYPES.Identifier) return "other";
  const binding = analysis.imports?.bindingOf(target);
  if (binding) return SDK_MODULES.has(binding.module) ? "other" : "unknown";
  const variable = variableOf(sourceCode, target);
  const def = variable?.defs.length === 1 ? variable.defs[0] : null;
  if (!def) return "other";
  const name = def.name as TSESTree.Node;
  const annotation = name.type === AST_NODE_TYPES.Identifier ? name.typeAnnotation?.typeAnnotation : undefined;
  if (annotation) return isSdkTypeReference(analysis, annotation) ? "endpoint" : "other";
  if (def.type === "Parameter") return "unknown";
  if (def.type !== "Variable") return "other";
  // Whatever the variable is given: its initialiser and later assignments.
  const values = variable!.references.flatMap((reference) => (reference.writeExpr ? [reference.writeExpr] : []));
  const origins = values.map((value) => endpointOrigin(sourceCode, analysis, value, depth + 1));
  return origins.includes("endpoint") ? "endpoint" : origins.includes("unknown") ? "unknown" : "other";
}

/** A type annotation naming an SDK export (`restate.RestateEndpoint`, an aliased `FetchEndpoint`). */
function isSdkTypeReference(analysis: RestateAnalysis, annotation: TSESTree.TypeNode): boolean {
  if (annotation.type !== AST_NODE_TYPES.TSTypeReference) return false;
  const resolved = analysis.imports?.resolveTypeName(annotation.typeName);
  return !!resolved && SDK_MODULES.has(resolved.module);
}

// ---- services and handlers ------------------------------------------------------

/**
 * Where the default serde is replaced for a service or handler: service
 * options (`options: { serde }`) or handler options
 * (`handlers.handler({ serde, output }, fn)`). (An endpoint's default serde
 * is `setsEndpointSerde`.) Options this file cannot see into count as
 * replacing it (no report beats a false one).
 */
class SerdeOverrides {
  /** Some component or handler of this file replaces it: helpers outside handlers may run under it. */
  private readonly anywhere: boolean;
  private readonly cache = new Map<HandlerInfo, { input: boolean; output: boolean; serde: boolean }>();

  constructor(
    private readonly sourceCode: TSESLint.SourceCode,
    private readonly analysis: RestateAnalysis,
  ) {
    this.anywhere = [...analysis.handlers.values()].some((h) => this.of(h).serde);
  }

  /** Whether handler `name` of the component `definition` (a local `service()`/`object()`/`workflow()`) declares its own input serde. */
  inputOverridden(definition: TSESTree.Node | undefined, name: string): boolean {
    if (!definition || definition.type === AST_NODE_TYPES.SpreadElement) return false;
    let target = unwrap(definition);
    if (target.type === AST_NODE_TYPES.Identifier) {
      const constant = constantBinding(variableOf(this.sourceCode, target));
      if (!constant || constant.path.length !== 0) return false;
      target = constant.init;
    }
    for (const handler of this.analysis.handlers.values()) {
      if (handler.component.call !== target || handler.name !== name) continue;
      const overrides = this.of(handler);
      return overrides.input || overrides.serde;
    }
    return false;
  }

  outputOverridden(handler: HandlerInfo): boolean {
    const overrides = this.of(handler);
    return overrides.output || overrides.serde;
  }

  /** Whether the default serde at `node` may be replaced. */
  defaultOverriddenAt(node: TSESTree.Node): boolean {
    const handler = this.analysis.scopeOf(node)?.handler ?? null;
    return handler ? this.of(handler).serde : this.anywhere;
  }

  private of(handler: HandlerInfo): { input: boolean; output: boolean; serde: boolean } {
    let result = this.cache.get(handler);
    if (!result) {
      const handlerOptions = this.handlerOptions(handler);
      const componentSerde = this.componentSerde(handler);
      result = {
        input: handlerOptions !== null && mayCarry(this.sourceCode, handlerOptions, ["input"]),
        output: handlerOptions !== null && mayCarry(this.sourceCode, handlerOptions, ["output"]),
        serde: componentSerde || (handlerOptions !== null && mayCarry(this.sourceCode, handlerOptions, ["serde"])),
      };
      this.cache.set(handler, result);
    }
    return result;
  }

  /** The options argument of a `handlers.*(opts, fn)` wrapper. */
  private handlerOptions(handler: HandlerInfo): TSESTree.Node | null {
    if (!handler.wrapped || handler.registration.type !== AST_NODE_TYPES.Property) return null;
    const call = unwrap(handler.registration.value);
    if (call.type !== AST_NODE_TYPES.CallExpression || call.arguments.length < 2) return null;
    return call.arguments[0];
  }

  private componentSerde(handler: HandlerInfo): boolean {
    for (const argument of handler.component.call.arguments) {
      const config = resolveLocalObject(this.sourceCode, argument);
      if (!config) continue;
      for (const property of config.properties) {
        if (property.type === AST_NODE_TYPES.SpreadElement) return true;
        if (propertyKeyName(property) === "options" && mayCarry(this.sourceCode, property.value, ["serde"])) return true;
      }
    }
    return false;
  }
}

