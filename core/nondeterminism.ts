/**
 * Non-deterministic JavaScript APIs (clocks, random numbers, random ids), the
 * fix-building helpers the rule about them needs (where `await` may go,
 * parenthesising, removing an import specifier), and `reachesOnlyOutput`:
 * whether anything journaled can follow a point in a handler.
 *
 * Everything is matched by where a name comes from — the real global (not a
 * shadowing local), or an export of a module imported under any alias — never
 * by the identifier the user picked.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { RestateAnalysis } from "./analysis.js";
import { callRunning, constantValueOf, contains, neverReassigned, enclosingFunction, isFunction, outermostWrapper, unwrap, variableOf, type FunctionNode } from "./ast.js";
import { resolveApi } from "./globals.js";
import type { ImportIndex, ImportedBinding } from "./imports.js";
import { clientCallAt } from "./calls.js";
import { CLIENT_FACTORIES, HARMLESS_MEMBERS } from "./sdk.js";
import { excerpt } from "./describe.js";
import type { Effect, Reach, SinkMatch } from "./summaries.js";

/** What a call produces, which decides the message and the replacement. */
export type NondeterminismCategory =
  /** Wall-clock time: `Date.now()`, `new Date()`, `Date()`. */
  | "time"
  /** A random number: `Math.random()`, `crypto.randomInt()`. */
  | "random"
  /** A random or time-based identifier: `crypto.randomUUID()`, uuid `v4()`, `nanoid()`. */
  | "id"
  /** Random bytes in a buffer: `crypto.randomBytes()`, `crypto.getRandomValues()`. */
  | "bytes"
  /** A monotonic clock for measuring durations: `performance.now()`, `process.hrtime()`. */
  | "clock";

/** The names users can pass in the rule's `allow` option: one per API, whatever the import style. */
export const NONDETERMINISTIC_API_NAMES = [
  "Date.now",
  "new Date",
  "Date",
  "Math.random",
  "crypto.randomUUID",
  "crypto.getRandomValues",
  "crypto.randomBytes",
  "crypto.randomInt",
  "crypto.randomFillSync",
  "performance.now",
  "process.hrtime",
  "process.hrtime.bigint",
  "uuid.v1",
  "uuid.v4",
  "uuid.v6",
  "uuid.v7",
  "nanoid",
  "nanoid.customAlphabet",
] as const;

export type NondeterministicApiName = (typeof NONDETERMINISTIC_API_NAMES)[number];

export interface NondeterministicApi {
  readonly name: NondeterministicApiName;
  readonly category: NondeterminismCategory;
  /** The `ctx.rand` method that replaces a call without arguments exactly, if any. */
  readonly exactReplacement: "random" | "uuidv4" | null;
}

const api = (
  name: NondeterministicApiName,
  category: NondeterminismCategory,
  exactReplacement: "random" | "uuidv4" | null = null,
): NondeterministicApi => ({ name, category, exactReplacement });

const DATE_NOW = api("Date.now", "time");
const NEW_DATE = api("new Date", "time");
const DATE_CALL = api("Date", "time");
const MATH_RANDOM = api("Math.random", "random", "random");
const RANDOM_UUID = api("crypto.randomUUID", "id", "uuidv4");
const GET_RANDOM_VALUES = api("crypto.getRandomValues", "bytes");
const PERFORMANCE_NOW = api("performance.now", "clock");
const HRTIME = api("process.hrtime", "clock");
const HRTIME_BIGINT = api("process.hrtime.bigint", "clock");
const UUID_V4 = api("uuid.v4", "id", "uuidv4");
const NANOID = api("nanoid", "id");
export const NANOID_CUSTOM_ALPHABET = api("nanoid.customAlphabet", "id");

/** Paths below the global object (`globalThis.` optional). */
const GLOBAL_CALLS = new Map<string, NondeterministicApi>([
  ["Date.now", DATE_NOW],
  ["Math.random", MATH_RANDOM],
  ["crypto.randomUUID", RANDOM_UUID],
  ["crypto.getRandomValues", GET_RANDOM_VALUES],
  ["performance.now", PERFORMANCE_NOW],
  ["process.hrtime", HRTIME],
  ["process.hrtime.bigint", HRTIME_BIGINT],
]);

const CRYPTO_CALLS = new Map<string, NondeterministicApi>([
  ["randomUUID", RANDOM_UUID],
  ["webcrypto.randomUUID", RANDOM_UUID],
  ["getRandomValues", GET_RANDOM_VALUES],
  ["webcrypto.getRandomValues", GET_RANDOM_VALUES],
  ["randomBytes", api("crypto.randomBytes", "bytes")],
  ["randomInt", api("crypto.randomInt", "random")],
  ["randomFillSync", api("crypto.randomFillSync", "bytes")],
]);

const UUID_CALLS = new Map<string, NondeterministicApi>([
  ["v1", api("uuid.v1", "id")],
  ["v4", UUID_V4],
  ["v6", api("uuid.v6", "id")],
  ["v7", api("uuid.v7", "id")],
]);

const NANOID_CALLS = new Map<string, NondeterministicApi>([["nanoid", NANOID]]);

/** Exports of a module, keyed by module (without `node:`) and then by the dotted path after it. */
const MODULE_CALLS = new Map<string, ReadonlyMap<string, NondeterministicApi>>([
  ["crypto", CRYPTO_CALLS],
  ["perf_hooks", new Map([["performance.now", PERFORMANCE_NOW]])],
  ["process", new Map([["hrtime", HRTIME], ["hrtime.bigint", HRTIME_BIGINT]])],
  ["uuid", UUID_CALLS],
  // uuid before v7 also shipped one module per version, with the generator as its default export.
  ["uuid/v1", new Map([["", UUID_CALLS.get("v1")!]])],
  ["uuid/v4", new Map([["", UUID_V4]])],
  ["nanoid", NANOID_CALLS],
  ["nanoid/non-secure", NANOID_CALLS],
  ["nanoid/async", NANOID_CALLS],
]);

export const NANOID_MODULES: ReadonlySet<string> = new Set(["nanoid", "nanoid/non-secure", "nanoid/async"]);

/** Last names of every callee above, for a cheap first look at each call. */
export const CANDIDATE_MEMBER_NAMES: ReadonlySet<string> = new Set([
  "now",
  "random",
  "randomUUID",
  "getRandomValues",
  "randomBytes",
  "randomInt",
  "randomFillSync",
  "hrtime",
  "bigint",
  "v1",
  "v4",
  "v6",
  "v7",
  "nanoid",
]);

/** A recognised call, and the import binding it goes through (for removing the import with the last use). */
export interface NondeterministicCall {
  readonly api: NondeterministicApi;
  readonly root: TSESTree.Identifier;
  readonly binding: ImportedBinding | null;
}

/** Recognises `callee(...)` / `new callee(...)` as a non-deterministic API, or returns null. */
export function matchNondeterministicCall(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  node: TSESTree.CallExpression | TSESTree.NewExpression,
): NondeterministicCall | null {
  // Also through aliases: `const { now } = Date; now()`, `const M = Math; M.random()`.
  const reference = resolveApi(sourceCode, imports, node.callee);
  if (!reference) return null;
  const key = reference.path.join(".");
  let found: NondeterministicApi | null = null;
  if (reference.module !== null) {
    found = MODULE_CALLS.get(reference.module)?.get(key) ?? null;
    if (found && uuidWithOwnEntropy(found, node)) found = null;
  } else {
    if (key === "Date") {
      if (node.type === AST_NODE_TYPES.CallExpression) found = DATE_CALL;
      else if (node.arguments.length === 0) found = NEW_DATE;
    } else if (node.type === AST_NODE_TYPES.CallExpression) {
      found = GLOBAL_CALLS.get(key) ?? null;
    }
  }
  if (found && found !== NEW_DATE && node.type === AST_NODE_TYPES.NewExpression) found = null;
  return found ? { api: found, root: reference.root, binding: reference.binding } : null;
}

/**
 * uuid generators take their entropy from `options.random` / `options.rng`
 * when given (and v1/v6/v7 their time from `options.msecs`): such a call is
 * as deterministic as what is passed in.
 */
function uuidWithOwnEntropy(found: NondeterministicApi, node: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  if (!found.name.startsWith("uuid.")) return false;
  const options = node.arguments[0] ? unwrap(node.arguments[0]) : null;
  if (options?.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const keys = new Set<string>();
  for (const property of options.properties) {
    if (property.type !== AST_NODE_TYPES.Property) return false; // a spread may carry anything
    if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) keys.add(property.key.name);
    else if (property.key.type === AST_NODE_TYPES.Literal) keys.add(String(property.key.value));
  }
  const entropy = keys.has("random") || keys.has("rng");
  return found.name === "uuid.v4" ? entropy : entropy && keys.has("msecs");
}

/**
 * A call of the function `customAlphabet(...)` from nanoid returns:
 * `customAlphabet(abc, 10)()` or `const makeId = customAlphabet(abc, 10); makeId()`.
 */
export function isNanoidGeneratorCall(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  call: TSESTree.CallExpression,
): boolean {
  let producer: TSESTree.Node | null = unwrap(call.callee);
  if (producer.type === AST_NODE_TYPES.Identifier) producer = constantValueOf(sourceCode, producer);
  if (producer?.type !== AST_NODE_TYPES.CallExpression) return false;
  const reference = resolveApi(sourceCode, imports, producer.callee);
  return reference?.module != null && NANOID_MODULES.has(reference.module) && reference.path.join(".") === "customAlphabet";
}

// ---- fix helpers ------------------------------------------------------------

/** Whether `await` may be written at `node`: inside the body of an async function (not its parameters, not a class field). */
export function canAwaitAt(node: TSESTree.Node): boolean {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (isFunction(current)) return current.async && current.body === child;
    if (
      current.type === AST_NODE_TYPES.StaticBlock ||
      ((current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.AccessorProperty) &&
        current.value === child)
    ) {
      return false;
    }
  }
  return false;
}

/** The node a replacement of `call` stands for: the call, or the `a?.b()` chain it ends. */
export function replacementTarget(call: TSESTree.Node): TSESTree.Node {
  let target = call;
  while (target.parent?.type === AST_NODE_TYPES.ChainExpression) target = target.parent;
  return target;
}

/** `await x` where `node` stands, parenthesised only where the surrounding expression needs it. */
export function awaitExpressionText(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, operand: string): string {
  const text = `await ${operand}`;
  return needsParenthesesAsUnary(sourceCode, node) ? `(${text})` : text;
}

function needsParenthesesAsUnary(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): boolean {
  if (ASTUtils.isParenthesized(node, sourceCode)) return false;
  const parent = node.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.MemberExpression:
      return parent.object === node;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return parent.callee === node;
    case AST_NODE_TYPES.TaggedTemplateExpression:
      return parent.tag === node;
    case AST_NODE_TYPES.BinaryExpression:
      return parent.operator === "**" && parent.left === node;
    case AST_NODE_TYPES.TSNonNullExpression:
      return true;
    default:
      return false;
  }
}

/** The import specifier that declares `binding`, when it comes from a value `import` declaration (not `require`). */
export function importSpecifierOf(
  binding: ImportedBinding,
): TSESTree.ImportSpecifier | TSESTree.ImportDefaultSpecifier | TSESTree.ImportNamespaceSpecifier | null {
  const def = binding.variable.defs[0];
  if (def?.type !== "ImportBinding" || def.parent.type !== AST_NODE_TYPES.ImportDeclaration) return null;
  if (def.parent.importKind === "type") return null;
  const node = def.node;
  if (node.type === AST_NODE_TYPES.ImportSpecifier && node.importKind === "type") return null;
  return node.type === AST_NODE_TYPES.ImportSpecifier ||
    node.type === AST_NODE_TYPES.ImportDefaultSpecifier ||
    node.type === AST_NODE_TYPES.ImportNamespaceSpecifier
    ? node
    : null;
}

/**
 * The source ranges to delete to remove `removed` specifiers from one import
 * declaration: the whole declaration (and the rest of its line) when nothing is
 * left. The ranges never overlap each other, so they can go into one fix.
 */
export function importRemovalRanges(
  sourceCode: TSESLint.SourceCode,
  declaration: TSESTree.ImportDeclaration,
  removed: ReadonlySet<TSESTree.Node>,
): TSESTree.Range[] {
  const specifiers = declaration.specifiers;
  if (specifiers.every((s) => removed.has(s))) {
    let end = declaration.range[1];
    const rest = /^[ \t]*(\r?\n)?/.exec(sourceCode.text.slice(end)); // text for a fix
    if (rest) end += rest[0].length;
    return [[declaration.range[0], end]];
  }
  const ranges: TSESTree.Range[] = [];
  const named = specifiers.filter((s): s is TSESTree.ImportSpecifier => s.type === AST_NODE_TYPES.ImportSpecifier);
  const keptNamed = named.filter((s) => !removed.has(s));
  // The default or namespace specifier, written first.
  const head = specifiers[0].type === AST_NODE_TYPES.ImportSpecifier ? null : specifiers[0];
  const second = specifiers.find((s) => s !== head && s.type !== AST_NODE_TYPES.ImportSpecifier) ?? null;

  if (head && removed.has(head)) {
    // `import d, { a }` → `import { a }`; `import d, * as ns` → `import * as ns`.
    const comma = sourceCode.getTokenAfter(head);
    const next = comma ? sourceCode.getTokenAfter(comma, { includeComments: true }) : null;
    if (!comma || !next || !ASTUtils.isCommaToken(comma)) return [];
    ranges.push([head.range[0], next.range[0]]);
  } else if (head && second && removed.has(second)) {
    // `import d, * as ns` → `import d`.
    return [[head.range[1], second.range[1]]];
  }
  if (named.length === 0 || keptNamed.length === named.length) return ranges;
  if (keptNamed.length === 0) {
    // Only the default import is left: `import d, { a }` → `import d`.
    const close = sourceCode.getTokenAfter(named[named.length - 1], { filter: (t) => t.value === "}" });
    return head && close ? [[head.range[1], close.range[1]]] : [];
  }
  const lastKept = keptNamed[keptNamed.length - 1];
  const lastKeptIndex = named.indexOf(lastKept);
  // Removed specifiers before the last kept one go with the comma (and spacing) that follows them.
  for (const specifier of named.slice(0, lastKeptIndex)) {
    if (!removed.has(specifier)) continue;
    const comma = sourceCode.getTokenAfter(specifier);
    const next = comma ? sourceCode.getTokenAfter(comma, { includeComments: true }) : null;
    if (!comma || !next || !ASTUtils.isCommaToken(comma)) return [];
    ranges.push([specifier.range[0], next.range[0]]);
  }
  // Those after it go together with the comma before them: `{ a, b, c }` → `{ a }`.
  const trailing = named.slice(lastKeptIndex + 1);
  if (trailing.length > 0) ranges.push([lastKept.range[1], trailing[trailing.length - 1].range[1]]);
  return ranges;
}

// ---- values that only reach the handler's output ------------------------------

/** Context members that return a handle whose later calls are journaled (`client.greet(x)`, `promise.resolve(x)`). */
const HANDLE_FACTORIES: ReadonlySet<string> = new Set([
  ...CLIENT_FACTORIES,
  "promise",
  "awakeable",
  "scope",
  "invocation",
]);

const ARITHMETIC: ReadonlySet<string> = new Set(["+", "-", "*", "/", "%"]);

/** `Math.max(…)`, `Math.round(…)` and the like, on the real global `Math`. */
function isMathCall(analysis: RestateAnalysis, call: TSESTree.CallExpression): boolean {
  const api = resolveApi(analysis.sourceCode, analysis.imports, call.callee);
  return api !== null && api.module === null && api.path.length === 2 && api.path[0] === "Math";
}

/** Send factories: a call through their clients is a one-way message. */
const SEND_FACTORIES: ReadonlySet<string> = new Set(["serviceSendClient", "objectSendClient", "workflowSendClient", "sendClient"]);

/**
 * Whether a value is only ever the delay of a delayed message: the `delay`
 * of the options built for a call through a context's send client
 * (`ctx.serviceSendClient(S).remind(req, sendOpts({ delay: value }))`),
 * written there or through a `const` read only there. Restate does not
 * compare a message's delay on replay — the message was journaled with the
 * delay of the attempt that sent it, and a replay does not send it again
 * (checked on restate-server: tests/server/rules.test.ts) — so a clock value
 * that only sets a delay cannot make the handler diverge.
 */
export function onlyDelaysAMessage(analysis: RestateAnalysis, node: TSESTree.Node, depth = 0): boolean {
  // Arithmetic on it (`at - Date.now()`, `Math.max(0, …)`, `a ? x : y`) is still only the delay.
  let value = outermostWrapper(node);
  for (;;) {
    const up = value.parent;
    if (up?.type === AST_NODE_TYPES.BinaryExpression && ARITHMETIC.has(up.operator)) value = outermostWrapper(up);
    else if (up?.type === AST_NODE_TYPES.UnaryExpression && (up.operator === "-" || up.operator === "+")) value = outermostWrapper(up);
    else if (up?.type === AST_NODE_TYPES.ConditionalExpression && up.test !== value) value = outermostWrapper(up);
    else if (up?.type === AST_NODE_TYPES.CallExpression && up.arguments.includes(value as TSESTree.CallExpressionArgument) && isMathCall(analysis, up)) value = outermostWrapper(up);
    else break;
  }
  const parent = value.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === value && depth === 0) {
    const variable = analysis.sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
    if (!variable || !neverReassigned(variable)) return false;
    const reads = variable.references.filter((ref) => !ref.init);
    return reads.length > 0 && reads.every((ref) => onlyDelaysAMessage(analysis, ref.identifier, depth + 1));
  }
  if (parent?.type !== AST_NODE_TYPES.Property || parent.value !== value || parent.computed) return false;
  const key = parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : parent.key.type === AST_NODE_TYPES.Literal ? parent.key.value : null;
  const options = parent.parent;
  if (key !== "delay" || options?.type !== AST_NODE_TYPES.ObjectExpression) return false;
  // `sendOpts({ delay })` (however it is imported or aliased) handed straight to the send.
  const built = outermostWrapper(options).parent;
  if (built?.type !== AST_NODE_TYPES.CallExpression || !built.arguments.includes(outermostWrapper(options) as TSESTree.CallExpressionArgument)) return false;
  const send = outermostWrapper(built).parent;
  if (send?.type !== AST_NODE_TYPES.CallExpression || !send.arguments.includes(outermostWrapper(built) as TSESTree.CallExpressionArgument)) return false;
  const client = clientCallAt(analysis, send);
  return client !== null && SEND_FACTORIES.has(client.factory);
}

/** Where the journaled operations of a handler are, by source range; `null` when they cannot be placed. */
type OperationRanges = readonly TSESTree.Range[] | null;

const operationCache = new WeakMap<RestateAnalysis, Map<FunctionNode, OperationRanges>>();

/**
 * Whether a non-deterministic value computed at `node` can only reach the
 * handler's output: `node` is in a registered handler's own body (not a helper,
 * whose result goes back to its caller, nor a callback), and after `node` is
 * evaluated the handler performs no journaled operation at all — no context
 * operation, no call through a client or promise handle, no hand-off of the
 * context. Then nothing derived from the value can reach the journal but the
 * handler's result, which is recorded once when the invocation completes and
 * never compared on a replay. This is the "only an output entry" case that
 * Restate's own examples rely on (e.g. a rate limiter returning `Date.now()`).
 */
export function reachesOnlyOutput(analysis: RestateAnalysis, node: TSESTree.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn || !analysis.handlers.has(fn) || !contains(fn.body, node)) return false;
  let perAnalysis = operationCache.get(analysis);
  if (!perAnalysis) operationCache.set(analysis, (perAnalysis = new Map()));
  let operations = perAnalysis.get(fn);
  if (operations === undefined) {
    operations = handlerOperations(analysis, fn);
    perAnalysis.set(fn, operations);
  }
  if (operations === null) return false;
  const after = executedAfter(node, fn);
  if (after === null) return false;
  return operations.every(
    (op) =>
      // the value is not an argument of the operation…
      !(op[0] <= node.range[0] && node.range[1] <= op[1]) &&
      // …and the operation does not run after the value was computed.
      !after.some((region) => op[0] < region[1] && region[0] < op[1]),
  );
}

function handlerOperations(analysis: RestateAnalysis, fn: FunctionNode): OperationRanges {
  const ranges: TSESTree.Range[] = [];
  const handles: TSESLint.Scope.Variable[] = [];
  const scopeManager = analysis.sourceCode.scopeManager!;
  for (const use of analysis.usesWithin(fn)) {
    if (use.member !== null && HARMLESS_MEMBERS.has(use.member)) continue;
    const inner = enclosingFunction(use.identifier);
    if (inner && inner !== fn) {
      // Inside a `ctx.run` action it belongs to the run call, itself a use of the context.
      if (analysis.functionInfo(inner).durability === "side-effect") continue;
      // A closure may run at any time: give up.
      return null;
    }
    if (use.member === null && !use.passed) {
      // `const c = ctx` makes an alias, whose own uses are listed; anything else lets the context escape.
      const parent = outermostWrapper(use.identifier).parent;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init !== null && unwrap(parent.init) === use.identifier) continue;
      return null;
    }
    const operation = operationOf(use.identifier);
    ranges.push(operation.range);
    if (use.member !== null && HANDLE_FACTORIES.has(use.member)) {
      let holder: TSESTree.Node = operation;
      while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression || isTypeWrapper(holder.parent)) holder = holder.parent!;
      if (holder.parent?.type === AST_NODE_TYPES.VariableDeclarator && holder.parent.init === holder) {
        handles.push(...scopeManager.getDeclaredVariables(holder.parent));
      } else if (holder === operation && operation.type !== AST_NODE_TYPES.CallExpression) {
        return null; // the handle factory itself escapes
      }
    }
  }
  for (const handle of handles) {
    for (const reference of handle.references) {
      if (reference.init) continue;
      const inner = enclosingFunction(reference.identifier);
      if (inner && inner !== fn && analysis.functionInfo(inner).durability !== "side-effect") return null;
      ranges.push(operationOf(reference.identifier).range);
    }
  }
  return ranges;
}

function isTypeWrapper(node: TSESTree.Node | undefined): boolean {
  return (
    node?.type === AST_NODE_TYPES.TSAsExpression ||
    node?.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    node?.type === AST_NODE_TYPES.TSNonNullExpression ||
    node?.type === AST_NODE_TYPES.TSTypeAssertion ||
    node?.type === AST_NODE_TYPES.ChainExpression
  );
}

/** The expression that performs the operation a reference takes part in: `ctx.set(...)`, `client.greet(...)`, `helper(ctx)`. */
function operationOf(identifier: TSESTree.Node): TSESTree.Node {
  let current: TSESTree.Node = identifier;
  for (;;) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (!parent) return current;
    if (isTypeWrapper(parent) || (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current)) {
      current = parent;
    } else if (parent.type === AST_NODE_TYPES.CallExpression && parent.callee === current) {
      current = parent;
    } else if (
      (parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) &&
      parent.arguments.includes(current as TSESTree.CallExpressionArgument)
    ) {
      return parent;
    } else if (parent.type === AST_NODE_TYPES.SpreadElement || (parent.type === AST_NODE_TYPES.Property && parent.value === current)) {
      // `helper({ ctx })`, `helper(...handles)`: the call that receives the object.
      current = parent.type === AST_NODE_TYPES.Property ? parent.parent : parent;
    } else {
      return current;
    }
  }
}

const LOOPS: ReadonlySet<AST_NODE_TYPES> = new Set([
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
]);

/**
 * The source ranges of `fn` that may run after `node` has been evaluated
 * (conservatively: loops around it run again, `catch` and `finally` blocks may
 * follow it), up to the first `return`/`throw` that leaves the function; null
 * when the structure is not understood.
 */
function executedAfter(node: TSESTree.Node, fn: FunctionNode): TSESTree.Range[] | null {
  const regions: TSESTree.Range[] = [];
  let exiting = false;
  let statementSeen = false;
  let child: TSESTree.Node = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (
      current.type === AST_NODE_TYPES.ClassBody ||
      current.type === AST_NODE_TYPES.PropertyDefinition ||
      current.type === AST_NODE_TYPES.StaticBlock
    ) {
      return null;
    }
    if (!statementSeen && (/Statement$/.test(current.type) || current.type === AST_NODE_TYPES.VariableDeclaration)) {
      // The rest of the statement that contains the value.
      regions.push([node.range[1], current.range[1]]);
      statementSeen = true;
    }
    if (current.type === AST_NODE_TYPES.BlockStatement && !exiting) {
      const statements = current.body;
      for (let i = statements.indexOf(child as TSESTree.Statement) + 1; i > 0 && i < statements.length; i++) {
        regions.push(statements[i].range);
        if (statements[i].type === AST_NODE_TYPES.ReturnStatement || statements[i].type === AST_NODE_TYPES.ThrowStatement) {
          exiting = true;
          break;
        }
      }
    } else if (current.type === AST_NODE_TYPES.SwitchCase && !exiting) {
      regions.push([child.range[1], current.parent.range[1]]);
    } else if (LOOPS.has(current.type) && !exiting) {
      regions.push(current.range);
    } else if (current.type === AST_NODE_TYPES.TryStatement) {
      if (child === current.block && current.handler) regions.push(current.handler.range);
      if (child !== current.finalizer && current.finalizer) regions.push(current.finalizer.range);
    }
  }
  if (!statementSeen && fn.body.type !== AST_NODE_TYPES.BlockStatement) regions.push([node.range[1], fn.body.range[1]]);
  return regions;
}

// ---- through helpers: non-deterministic values a function returns ------------

/** What a `nondeterministicReturnEffect` sink carries: the API whose value is returned. */
export interface ReturnedNondeterminism {
  readonly api: NondeterministicApiName;
}

const returnEffects = new Map<string, Effect>();

/**
 * The effect "calling this function returns a clock, random or id value"
 * (`core/summaries.ts`). Its sink is one of this module's APIs (not in
 * `allow`) whose value reaches the function's return value
 * (`returnsValueOf`), and the search goes only through calls whose value the
 * function returns (`return stamp()`, `const id = ids.next(); return { id }`).
 * A helper that reads the clock only for a log line or a value it keeps to
 * itself has no sink: what it returns is the same on replay.
 */
export function nondeterministicReturnEffect(allow: readonly string[] = []): Effect {
  const allowed = new Set(allow);
  const id = `nondeterministic-return:${JSON.stringify([...allowed].sort())}`;
  const known = returnEffects.get(id);
  if (known) return known;
  const effect: Effect = {
    id,
    throughDurable: false,
    sink(node, analysis): SinkMatch | null {
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return null;
      const imports = analysis.imports;
      if (!imports) return null;
      const sourceCode = analysis.sourceCode;
      const api = directNondeterministicApi(sourceCode, imports, node);
      if (!api || allowed.has(api.name) || !returnsValueOf(sourceCode, node)) return null;
      const data: ReturnedNondeterminism = { api: api.name };
      return { label: `${node.type === AST_NODE_TYPES.NewExpression ? "new " : ""}${excerpt(sourceCode, node.callee, 30)}()`, data };
    },
    across: (call, analysis, data) => (returnsValueOf(analysis.sourceCode, call) ? { data } : null),
  };
  returnEffects.set(id, effect);
  return effect;
}

/** What a reach of `nondeterministicReturnEffect` says about the call: the API whose value it returns, and the chain. */
export function returnedNondeterminism(reach: Reach): { api: NondeterministicApiName; chain: Reach } | null {
  const data = reach.sink.data as ReturnedNondeterminism | undefined;
  return data ? { api: data.api, chain: reach } : null;
}

/** One of the APIs above, called directly (including a nanoid `customAlphabet` generator). */
function directNondeterministicApi(
  sourceCode: TSESLint.SourceCode,
  imports: ImportIndex,
  node: TSESTree.CallExpression | TSESTree.NewExpression,
): NondeterministicApi | null {
  const match = matchNondeterministicCall(sourceCode, imports, node);
  if (match) return match.api;
  if (node.type !== AST_NODE_TYPES.CallExpression || !imports.hasModule(NANOID_MODULES)) return null;
  return isNanoidGeneratorCall(sourceCode, imports, node) ? NANOID_CUSTOM_ALPHABET : null;
}

/**
 * Whether the value of `node` (an expression a function executes) reaches
 * that function's return value, by syntax and the scope manager: it is part
 * of the returned expression (or the arrow's expression body), through
 * operators, member accesses and calls on it (`new Date().toISOString()`),
 * arguments (`String(Date.now())`), object and array literals, `await`; or of
 * a local variable read in one (`const id = randomUUID(); return { id }`,
 * `order.id = randomUUID(); return order`); or it decides which `return` runs
 * (`if (Date.now() > deadline) return "expired"`). A callback it is returned
 * from (`ids.map(() => randomUUID())`) passes it on to the call it is given
 * to. A value that only goes into a statement of its own (`console.log(...)`,
 * `metrics.observe(...)`) does not reach it.
 */
export function returnsValueOf(sourceCode: TSESLint.SourceCode, node: TSESTree.Node): boolean {
  const home = executingFunction(node);
  return home !== null && reachesReturn(sourceCode, node, home, new Set());
}

/** The function whose body executes `node`: its innermost enclosing function, past callbacks and IIFEs. */
function executingFunction(node: TSESTree.Node): FunctionNode | null {
  let fn = enclosingFunction(node);
  while (fn && runsWhereWritten(fn)) fn = enclosingFunction(fn);
  return fn;
}

function runsWhereWritten(fn: FunctionNode): boolean {
  return fn.type !== AST_NODE_TYPES.FunctionDeclaration && callRunning(fn) !== null;
}

function reachesReturn(
  sourceCode: TSESLint.SourceCode,
  start: TSESTree.Node,
  home: FunctionNode,
  seen: Set<TSESLint.Scope.Variable>,
): boolean {
  let current: TSESTree.Node = start;
  for (let steps = 0; steps < 200; steps++) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (!parent) return false;
    switch (parent.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.TaggedTemplateExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.ObjectExpression:
      case AST_NODE_TYPES.MemberExpression:
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        current = parent;
        continue;
      case AST_NODE_TYPES.UnaryExpression:
        if (parent.operator === "void" || parent.operator === "typeof" || parent.operator === "delete") return false;
        current = parent;
        continue;
      case AST_NODE_TYPES.Property:
        if (parent.value !== current || parent.parent.type !== AST_NODE_TYPES.ObjectExpression) return false;
        current = parent;
        continue;
      case AST_NODE_TYPES.SequenceExpression:
        if (parent.expressions[parent.expressions.length - 1] !== current) return false;
        current = parent;
        continue;
      case AST_NODE_TYPES.ReturnStatement:
        return returnOf(sourceCode, parent, home, seen);
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === current && returnOf(sourceCode, current, home, seen);
      // Forward data flow, not constant resolution: the value taints whatever variable it is stored in, and every
      // later read of that variable counts, reassigned or not (so neither constantBinding nor resolveApi applies).
      case AST_NODE_TYPES.VariableDeclarator:
        if (parent.init !== current) return false;
        return variablesReachReturn(sourceCode, sourceCode.scopeManager?.getDeclaredVariables(parent) ?? [], home, seen);
      case AST_NODE_TYPES.AssignmentExpression: {
        if (parent.right !== current) return false;
        let target: TSESTree.Node = unwrap(parent.left);
        while (target.type === AST_NODE_TYPES.MemberExpression) target = unwrap(target.object);
        if (target.type === AST_NODE_TYPES.Identifier) {
          const variable = variableOf(sourceCode, target);
          if (variable && variablesReachReturn(sourceCode, [variable], home, seen)) return true;
        }
        current = parent; // `return (last = Date.now())`
        continue;
      }
      case AST_NODE_TYPES.IfStatement:
        return parent.test === current && decidesReturn(sourceCode, [parent.consequent, parent.alternate], home, seen);
      case AST_NODE_TYPES.SwitchStatement:
        return parent.discriminant === current && decidesReturn(sourceCode, parent.cases, home, seen);
      case AST_NODE_TYPES.SwitchCase:
        return parent.test === current && decidesReturn(sourceCode, parent.parent.cases, home, seen);
      default:
        return false;
    }
  }
  return false;
}

/** `node` is returned from its function (a `return` statement or an arrow's expression body): whether that is `home`'s return value. */
function returnOf(sourceCode: TSESLint.SourceCode, node: TSESTree.Node, home: FunctionNode, seen: Set<TSESLint.Scope.Variable>): boolean {
  const fn = node.type === AST_NODE_TYPES.ReturnStatement ? enclosingFunction(node) : (node.parent as FunctionNode);
  if (!fn) return false;
  if (fn === home) return true;
  // A callback's result goes into the call it is given to (`ids.map(() => randomUUID())`), but not what
  // a constructor's callback returns (`new Promise((resolve) => setTimeout(resolve, Math.random() * 100))`).
  const call = callRunning(fn);
  return call?.type === AST_NODE_TYPES.CallExpression && reachesReturn(sourceCode, call, home, seen);
}

function variablesReachReturn(
  sourceCode: TSESLint.SourceCode,
  variables: readonly TSESLint.Scope.Variable[],
  home: FunctionNode,
  seen: Set<TSESLint.Scope.Variable>,
): boolean {
  for (const variable of variables) {
    if (seen.has(variable)) continue;
    seen.add(variable);
    for (const reference of variable.references) {
      if (reference.init || !reference.isRead()) continue;
      if (reachesReturn(sourceCode, reference.identifier, home, seen)) return true;
    }
  }
  return false;
}

/** A test that decides which of these branches runs, when one of them returns a value from `home` (or a callback of it). */
function decidesReturn(
  sourceCode: TSESLint.SourceCode,
  branches: readonly (TSESTree.Node | null)[],
  home: FunctionNode,
  seen: Set<TSESLint.Scope.Variable>,
): boolean {
  const keys = sourceCode.visitorKeys;
  let found = false;
  const visit = (node: TSESTree.Node): void => {
    if (found || isFunction(node) || node.type === AST_NODE_TYPES.ClassBody) return;
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) {
      found = returnOf(sourceCode, node, home, seen);
      return;
    }
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof (item as TSESTree.Node).type === "string") visit(item as TSESTree.Node);
      } else if (child && typeof (child as TSESTree.Node).type === "string") {
        visit(child as TSESTree.Node);
      }
    }
  };
  for (const branch of branches) if (branch) visit(branch);
  return found;
}
