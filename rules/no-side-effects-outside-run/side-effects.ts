/**
 * I/O that durable Restate code must not do outside `ctx.run`: which modules
 * do I/O, and how a call reaches them — a function exported by an I/O module
 * (`readFile(...)`, `axios.get(...)`), the global `fetch`, or a method of a
 * client built from a client library (`new Pool()`, `createClient()`,
 * `new Stripe(key)`), followed through local constants.
 *
 * Everything is matched by the module a name is imported from (any alias,
 * `node:` prefix or not), never by the identifier the user picked.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { tsApiUtils } from "#ts-api-utils";
import type * as ts from "typescript";
import type { RestateAnalysis } from "../../core/analysis.js";
import { constantBinding, outermostWrapper, unwrap, variableOf } from "../../core/ast.js";
import type { Effect } from "../../core/summaries.js";
import type { TypeInfo } from "../../core/types.js";
import { memberName, type ImportIndex } from "../../core/imports.js";
import { memberChain, resolveApi } from "../../core/globals.js";

/**
 * How a module does I/O.
 * - `functions`: calling its exports is I/O (`fs`, `axios`, `got`), except the
 *   listed pure exports and factories.
 * - `client`: its exports build clients (constructors, factories) and the
 *   clients' methods do the I/O (`pg`, `redis`, `stripe`); calling an export
 *   directly is not reported (`eq()` from drizzle, `marshall()` from the AWS SDK).
 */
export interface IoModule {
  readonly kind: "functions" | "client";
  /** Exports (first name after the module) that do no I/O: value classes, predicates, constants, errors. */
  readonly pure?: readonly string[];
  /** Exports of a `functions` module whose call returns a client (`axios.create()`). */
  readonly factories?: readonly string[];
  /** Client members that do no I/O (`stripe.webhooks.constructEvent`). */
  readonly pureMembers?: readonly string[];
  /** The module itself (its default or namespace import) is a client (`mongoose.connect()`). */
  readonly moduleIsClient?: boolean;
}

const NODE_HTTP_PURE = ["createServer", "validateHeaderName", "validateHeaderValue", "Agent", "STATUS_CODES", "METHODS", "globalAgent", "setMaxIdleHTTPParsers", "Server", "IncomingMessage", "OutgoingMessage", "ServerResponse"];

/** The default I/O modules, by module name (without `node:`); a trailing `/*` matches every module under a scope or package. */
export const DEFAULT_IO_MODULES: ReadonlyMap<string, IoModule> = new Map<string, IoModule>([
  // Node.js built-ins.
  ["fs", { kind: "functions", pure: ["constants", "Stats", "Dirent"] }],
  ["fs/promises", { kind: "functions", pure: ["constants"] }],
  ["http", { kind: "functions", pure: NODE_HTTP_PURE }],
  ["https", { kind: "functions", pure: NODE_HTTP_PURE }],
  ["http2", { kind: "functions", pure: ["constants", "getDefaultSettings", "getPackedSettings", "getUnpackedSettings", "createServer", "createSecureServer", "sensitiveHeaders"] }],
  ["net", { kind: "functions", pure: ["isIP", "isIPv4", "isIPv6", "createServer", "BlockList", "SocketAddress", "Server", "getDefaultAutoSelectFamily", "setDefaultAutoSelectFamily"] }],
  ["child_process", { kind: "functions" }],
  ["dgram", { kind: "functions", factories: ["createSocket"] }],
  // HTTP clients.
  ["axios", { kind: "functions", pure: ["isAxiosError", "isCancel", "mergeConfig", "getAdapter", "toFormData", "formToJSON", "AxiosError", "AxiosHeaders", "CanceledError", "Cancel", "CancelToken", "spread", "all", "HttpStatusCode", "defaults", "interceptors"], factories: ["create"] }],
  ["got", { kind: "functions", pure: ["RequestError", "HTTPError", "TimeoutError"], factories: ["extend"] }],
  ["node-fetch", { kind: "functions", pure: ["Headers", "Request", "Response", "FormData", "Blob", "isRedirect", "FetchError", "AbortError"] }],
  ["undici", { kind: "functions", pure: ["Headers", "Request", "Response", "FormData", "File", "setGlobalDispatcher", "getGlobalDispatcher", "MockAgent", "errors", "Agent", "ProxyAgent", "RetryAgent", "EnvHttpProxyAgent", "interceptors"], factories: ["Pool", "Client", "BalancedPool"] }],
  ["ky", { kind: "functions", pure: ["HTTPError", "TimeoutError", "stop"], factories: ["create", "extend"] }],
  ["superagent", { kind: "functions", factories: ["agent"] }],
  // Databases, queues, cloud and SaaS clients.
  ["pg", { kind: "client", pure: ["types", "escapeIdentifier", "escapeLiteral", "defaults", "DatabaseError"] }],
  ["mysql2", { kind: "client", pure: ["format", "escape", "escapeId", "raw", "Types"] }],
  ["mysql2/promise", { kind: "client", pure: ["format", "escape", "escapeId", "raw", "Types"] }],
  ["mongodb", { kind: "client", pure: ["ObjectId", "Binary", "Decimal128", "Long", "Timestamp", "UUID", "BSON", "Double", "Int32", "MinKey", "MaxKey", "Code", "DBRef", "BSONRegExp", "BSONSymbol", "ReadPreference", "WriteConcern", "ReadConcern", "MongoError", "MongoServerError"] }],
  ["mongoose", { kind: "client", moduleIsClient: true, pure: ["Types", "Schema", "SchemaTypes", "isValidObjectId", "isObjectIdOrHexString", "Error", "trusted", "sanitizeFilter", "mongo", "set", "get", "plugin", "pluralize"] }],
  ["ioredis", { kind: "client" }],
  ["redis", { kind: "client" }],
  ["@prisma/client", { kind: "client", pure: ["Prisma", "$Enums"] }],
  ["@aws-sdk/*", { kind: "client" }],
  ["@google-cloud/*", { kind: "client" }],
  ["@supabase/supabase-js", { kind: "client" }],
  ["stripe", { kind: "client", pureMembers: ["webhooks", "errors"] }],
  ["openai", { kind: "client", pure: ["toFile", "APIError", "OpenAIError"] }],
  ["@anthropic-ai/sdk", { kind: "client", pure: ["toFile", "APIError", "AnthropicError"] }],
  ["nodemailer", { kind: "client", pure: ["getTestMessageUrl"] }],
  ["kafkajs", { kind: "client", pure: ["logLevel", "CompressionTypes", "CompressionCodecs", "Partitioners", "AssignerProtocol", "PartitionAssigners", "KafkaJSError"] }],
  ["@elastic/elasticsearch", { kind: "client", pure: ["errors"] }],
  ["sequelize", { kind: "client", pure: ["DataTypes", "Op", "QueryTypes", "Transaction", "Model", "fn", "col", "literal", "where", "and", "or", "cast", "json"] }],
  ["drizzle-orm", { kind: "client" }],
  ["drizzle-orm/*", { kind: "client" }],
]);

/** Methods of any client that only register listeners or convert values. */
const PURE_METHODS: ReadonlySet<string> = new Set(["on", "once", "off", "addListener", "removeListener", "removeAllListeners", "listenerCount", "toJSON", "toString", "toObject", "valueOf"]);

/** Node.js built-in I/O modules, for matching declarations in `@types/node`. */
const NODE_BUILTINS: ReadonlySet<string> = new Set(["fs", "fs/promises", "http", "https", "http2", "net", "child_process", "dgram"]);

/** Global objects through which `fetch` can be reached. */
const GLOBAL_OBJECTS = new Set(["globalThis", "global"]);

export interface IoModuleOptions {
  /** Extra modules (or `prefix/*` globs) whose calls are I/O; they behave like `functions` modules. */
  readonly modules?: readonly string[];
  /** Extra function names: an unshadowed global, or an import under that exported name; `a.b` for a member of a namespace or default import `a`. */
  readonly functions?: readonly string[];
  /** Default modules (or globs) not to treat as I/O. */
  readonly allowModules?: readonly string[];
}

/** A matched I/O call. */
export interface IoCall {
  /** The call that does the I/O (the innermost one of a chain such as `fetch(url).then(...)`). */
  readonly origin: TSESTree.CallExpression;
  /** The module it goes through (`fs/promises`, `pg`), or `fetch` for the global. */
  readonly module: string;
  /** A short name for the call: `fetch`, `axios.get`, `db.query`. */
  readonly name: string;
  /** A call of an I/O function (`fetch`, `readFile`), not a method of a client: its value is never a client. */
  readonly direct: boolean;
}

const matches = (pattern: string, module: string): boolean =>
  pattern.endsWith("/*") ? module.startsWith(pattern.slice(0, -1)) && module.length > pattern.length - 1 : pattern === module;

/** The package a module specifier belongs to: `@aws-sdk/client-s3` for `@aws-sdk/client-s3/dist`, `mysql2` for `mysql2/promise`. */
function packageOf(module: string): string {
  const parts = module.split("/");
  return module.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What an `IoMatcher` derives from the rule's options alone: built once per distinct options, not once per file. */
interface IoTables {
  readonly table: readonly [string, IoModule][];
  readonly moduleCache: Map<string, IoModule | null>;
  readonly functionNames: ReadonlySet<string>;
  readonly packageFiles: RegExp | null;
}

const ioTablesByOptions = new Map<string, IoTables>();

function ioTables(options: IoModuleOptions): IoTables {
  const key = JSON.stringify([options.modules ?? [], options.functions ?? [], options.allowModules ?? []]);
  const cached = ioTablesByOptions.get(key);
  if (cached) return cached;
  const allowed = options.allowModules ?? [];
  const table = [...DEFAULT_IO_MODULES].filter(([name]) => !allowed.some((a) => a === name || matches(a, name)));
  for (const extra of options.modules ?? []) table.push([extra, { kind: "functions" }]);
  const packages = new Set<string>();
  for (const [name] of table) {
    if (NODE_BUILTINS.has(name) || name.startsWith(".") || name.startsWith("/")) continue;
    const pkg = packageOf(name);
    packages.add(pkg.endsWith("/*") ? `${escapeRegExp(pkg.slice(0, -1))}[^/\\\\]+` : escapeRegExp(pkg));
  }
  if (packages.has(escapeRegExp("@prisma/client"))) packages.add(escapeRegExp(".prisma/client"));
  const alternatives = [...packages].map((p) => p.replace(/\//g, "[\\\\/]"));
  const packageFiles = alternatives.length
    ? new RegExp(`[\\\\/]node_modules[\\\\/](?:@types[\\\\/])?(?:${alternatives.join("|")})[\\\\/]`)
    : null;
  const tables: IoTables = { table, moduleCache: new Map(), functionNames: new Set(options.functions ?? []), packageFiles };
  ioTablesByOptions.set(key, tables);
  return tables;
}

/**
 * The I/O model of one file under the rule's options: which imports do I/O,
 * and whether a call (or an expression) reaches one of them.
 */
export class IoMatcher {
  private readonly table: readonly [string, IoModule][];
  private readonly moduleCache: Map<string, IoModule | null>;
  private readonly functionNames: ReadonlySet<string>;
  private readonly originCache = new Map<TSESTree.Node, string | null>();
  /** Declaration files of I/O packages (`node_modules/pg/`, `node_modules/@types/pg/`, `node_modules/@aws-sdk/x/`). */
  private readonly packageFiles: RegExp | null;

  constructor(
    private readonly sourceCode: TSESLint.SourceCode,
    private readonly imports: ImportIndex,
    options: IoModuleOptions,
  ) {
    ({ table: this.table, moduleCache: this.moduleCache, functionNames: this.functionNames, packageFiles: this.packageFiles } = ioTables(options));
  }

  /** The I/O description of a module, or null. */
  ioModule(module: string): IoModule | null {
    let found = this.moduleCache.get(module);
    if (found === undefined) {
      found = this.table.find(([pattern]) => matches(pattern, module))?.[1] ?? null;
      this.moduleCache.set(module, found);
    }
    return found;
  }

  /** Whether the file imports anything this matcher cares about (a cheap first look). */
  get relevant(): boolean {
    return this.functionNames.size > 0 || this.imports.bindings.some((b) => this.ioModule(b.module) !== null);
  }

  /** Whether `call` does I/O, and through what. */
  match(call: TSESTree.CallExpression): IoCall | null {
    let callee = unwrap(call.callee);
    // `(0, fetch)(url)`, as bundlers and transpilers write it.
    if (callee.type === AST_NODE_TYPES.SequenceExpression) callee = unwrap(callee.expressions[callee.expressions.length - 1]);
    // A direct call of an I/O function: `fetch(url)`, `readFile(p)`, `axios.get(url)`, `axios(config)`.
    const direct = this.directFunction(callee);
    if (direct) return { origin: call, module: direct, name: this.nameOf(callee), direct: true };
    // Any other call through an import is judged by its module alone: `axios.isAxiosError(e)`,
    // `eq(a, b)` from drizzle, except the methods of a module that is itself a client (`mongoose.connect()`).
    const chain = memberChain(callee);
    const binding = chain ? this.imports.bindingOf(chain.root) : undefined;
    if (chain && binding) {
      const io = this.ioModule(binding.module);
      if (!io?.moduleIsClient || binding.imported !== null || chain.path.length === 0) return null;
      const first = chain.path[0];
      if (io.pure?.includes(first) || PURE_METHODS.has(chain.path[chain.path.length - 1])) return null;
      return { origin: call, module: binding.module, name: this.nameOf(callee), direct: false };
    }
    // A method of a client: `db.query(...)`, `new Stripe(k).charges.create(...)`, `fetch(url).then(...)`.
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
    // A chain is named after its first I/O call: `fetch` for `fetch(url).then(...)`.
    const inner = innermostCall(callee.object);
    if (inner) {
      const innerMatch = this.match(inner);
      if (innerMatch) return innerMatch;
    }
    const method = memberName(callee);
    // Listeners and conversions are not I/O.
    if (method !== null && PURE_METHODS.has(method)) return null;
    const module = this.clientOrigin(callee.object, 0, new Set());
    return module ? { origin: call, module, name: this.nameOf(callee), direct: false } : null;
  }

  /** `fetch`, `globalThis.fetch`, or a call of a `functions` module export (not pure, not a factory); the module, or null. */
  private directFunction(callee: TSESTree.Node): string | null {
    // Also through aliases: `const { readFile } = fs`, `const get = globalThis.fetch`.
    const reference = resolveApi(this.sourceCode, this.imports, callee);
    if (!reference) return null;
    const binding = reference.binding;
    if (reference.module !== null && binding) {
      const path = reference.path;
      const io = this.ioModule(reference.module);
      if (io?.kind === "functions") {
        const first = path[0];
        if (first !== undefined && (io.pure?.includes(first) || io.factories?.includes(first))) return null;
        return reference.module;
      }
      if (this.functionNames.size > 0) {
        const spelled = binding.imported === null ? [binding.local, ...path] : path;
        if (this.functionNames.has(spelled.join("."))) return reference.module;
      }
      return null;
    }
    const key = reference.path.join(".");
    return key === "fetch" || this.functionNames.has(key) ? key : null;
  }

  /**
   * The I/O module an expression's value is a client of (or the pending
   * result of an I/O call, for chains like `fetch(url).then(...)`), or null.
   */
  clientOrigin(node: TSESTree.Node, depth: number, seen: Set<TSESLint.Scope.Variable>): string | null {
    const target = unwrap(node);
    if (depth > 8) return null;
    const cached = this.originCache.get(target);
    if (cached !== undefined) return cached;
    const result = this.computeClientOrigin(target, depth, seen);
    this.originCache.set(target, result);
    return result;
  }

  private computeClientOrigin(target: TSESTree.Node, depth: number, seen: Set<TSESLint.Scope.Variable>): string | null {
    switch (target.type) {
      case AST_NODE_TYPES.Identifier: {
        const binding = this.imports.bindingOf(target);
        if (binding) {
          const io = this.ioModule(binding.module);
          // `axios.get`, `fs.promises.readFile` are handled as direct calls; a client module may be a client itself.
          if (!io) return null;
          if (io.kind === "client" && !(io.moduleIsClient && binding.imported === null)) return null;
          return binding.module;
        }
        const variable = variableOf(this.sourceCode, target);
        if (!variable || seen.has(variable)) return null;
        // `const client = new Client()`; destructured names (`const { get } = client`) are not followed.
        const constant = constantBinding(variable);
        if (!constant || constant.path.length !== 0) return null;
        seen.add(variable);
        const init = constant.init;
        // The value of a direct I/O call (`const text = readFileSync(p)`) is data, not a client.
        if (init.type === AST_NODE_TYPES.CallExpression && this.directFunction(unwrap(init.callee))) return null;
        return this.clientOrigin(init, depth + 1, seen);
      }
      case AST_NODE_TYPES.MemberExpression: {
        const resolved = this.imports.resolve(target);
        if (resolved) {
          const io = this.ioModule(resolved.module);
          if (!io || resolved.path.length === 0) return null;
          if (io.pure?.includes(resolved.path[0])) return null;
          if (io.kind === "functions") return resolved.module; // `fs.promises`
          return io.moduleIsClient && resolved.binding.imported === null ? resolved.module : null;
        }
        const name = memberName(target);
        const module = this.clientOrigin(target.object, depth + 1, seen);
        if (!module || (name !== null && this.ioModule(module)?.pureMembers?.includes(name))) return null;
        return module;
      }
      case AST_NODE_TYPES.NewExpression: {
        const resolved = this.imports.resolve(unwrap(target.callee));
        if (!resolved) return null;
        const io = this.ioModule(resolved.module);
        if (!io) return null;
        const first = resolved.path[0];
        if (first !== undefined && io.pure?.includes(first)) return null;
        return resolved.module;
      }
      case AST_NODE_TYPES.CallExpression: {
        const callee = unwrap(target.callee);
        const resolved = this.imports.resolve(callee);
        if (resolved) {
          const io = this.ioModule(resolved.module);
          if (!io) return null;
          const first = resolved.path[0];
          if (first !== undefined && io.pure?.includes(first)) return null;
          if (io.kind === "client") {
            // `createClient()`, `drizzle(pool)`, `DynamoDBDocumentClient.from(c)`, or `mongoose.model(...)`.
            return resolved.module;
          }
          return resolved.module; // a factory (`axios.create()`) or a pending I/O result (`fetch(url).then`)
        }
        const match = this.match(target);
        return match ? match.module : null;
      }
      default:
        return null;
    }
  }

  private nameOf(callee: TSESTree.Node): string {
    const chain = memberChain(callee);
    if (chain) {
      const parts = GLOBAL_OBJECTS.has(chain.root.name) && chain.path.length > 0 ? chain.path : [chain.root.name, ...chain.path];
      return parts.join(".");
    }
    const property = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : null;
    return property ?? "I/O";
  }

  // ---- with type information ---------------------------------------------

  /** With types: a method declared by an I/O package, called on something the syntax cannot follow. */
  typedMatch(types: TypeInfo, call: TSESTree.CallExpression): IoCall | null {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.property.type === AST_NODE_TYPES.PrivateIdentifier) return null;
    const method = memberName(callee);
    if (method === null || PURE_METHODS.has(method)) return null;
    // Imports are judged by module (pure helpers such as `eq()` are declared in I/O packages too).
    const chain = memberChain(callee);
    if (chain && this.imports.bindingOf(chain.root)) return null;
    const module = types.safely(() => this.declaredInIoModule(types.checker, types.tsNode(callee.property)), null);
    if (module) return { origin: call, module, name: chain ? [chain.root.name, ...chain.path].join(".") : method, direct: false };
    // The first I/O call of a chain: `(await pool.connect()).query(sql).then(...)`.
    let inner: TSESTree.Node = unwrap(callee.object);
    while (inner.type === AST_NODE_TYPES.MemberExpression) inner = unwrap(inner.object);
    return inner.type === AST_NODE_TYPES.CallExpression ? this.typedMatch(types, inner) : null;
  }

  /**
   * The I/O `call` does as its own statement would be reported: not the inner
   * part of a chain reported whole, not the creation of a client kept in a
   * constant (its calls are reported instead).
   */
  matchReported(call: TSESTree.CallExpression, types: TypeInfo | null): IoCall | null {
    if (isChainInner(call)) return null;
    let found = this.match(call);
    if (!found && types) found = this.typedMatch(types, call);
    if (!found || (!found.direct && found.origin === call && isClientDerivation(this.sourceCode, call))) return null;
    return found;
  }

  /**
   * With types: whether the method called is declared by an I/O package
   * (`node_modules/pg/…`, `@types/pg`, a `declare module "fs"` in
   * `@types/node`), for clients the syntax cannot follow (parameters,
   * class fields, values returned by other functions).
   */
  declaredInIoModule(checker: ts.TypeChecker, property: ts.Node): string | null {
    const symbol = checker.getSymbolAtLocation(property);
    for (const declaration of symbol?.getDeclarations() ?? []) {
      const file = declaration.getSourceFile();
      if (file.fileName.includes("@types/node") || file.fileName.includes("@types\\node")) {
        const module = ambientModuleName(declaration);
        if (module && NODE_BUILTINS.has(module) && this.ioModule(module)) return module;
        continue;
      }
      const match = this.packageFiles?.exec(file.fileName);
      if (match) return match[0].replace(/^[\\/]node_modules[\\/](@types[\\/])?/, "").replace(/[\\/]$/, "").replace(/\\/g, "/");
    }
    return null;
  }
}

/** The name of the `declare module "x"` a declaration is in, without `node:`. */
function ambientModuleName(declaration: ts.Node): string | null {
  for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
    const name = (node as { name?: ts.Node & { text?: unknown } }).name;
    // `declare module "x" { … }`: a module declaration whose name is a string literal (a namespace's is an identifier).
    if (name && typeof name.text === "string" && (node as { body?: unknown }).body !== undefined && tsApiUtils().isNumericOrStringLikeLiteral(name)) {
      return name.text.startsWith("node:") ? name.text.slice(5) : name.text;
    }
  }
  return null;
}

/** The innermost call of a `a(...).b.c(...)` chain below `node` (the object of a called member), if any. */
function innermostCall(node: TSESTree.Node): TSESTree.CallExpression | null {
  let current = unwrap(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = unwrap(current.object);
  return current.type === AST_NODE_TYPES.CallExpression ? current : null;
}

/** `x.y(...)` where `x` is `call`: the call is the inner part of a chain whose outer call is reported instead. */
export function isChainInner(call: TSESTree.CallExpression): boolean {
  let current: TSESTree.Node = outermostWrapper(call);
  while (current.parent?.type === AST_NODE_TYPES.MemberExpression && current.parent.object === current) {
    current = outermostWrapper(current.parent);
    if (current.parent?.type === AST_NODE_TYPES.CallExpression && current.parent.callee === current) return true;
  }
  return false;
}

/**
 * The call's value is a client, kept in a constant whose every use is a member
 * access (`const producer = kafka.producer(); await producer.send(...)`): the
 * calls on it are reported, not the call that made it.
 */
export function isClientDerivation(sourceCode: TSESLint.SourceCode, call: TSESTree.CallExpression): boolean {
  const outer = outermostWrapper(call);
  const declarator = outer.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== outer || declarator.id.type !== AST_NODE_TYPES.Identifier) {
    return false;
  }
  const variable = sourceCode.scopeManager?.getDeclaredVariables(declarator)[0];
  const reads = variable?.references.filter((ref) => !ref.init && ref.isRead()) ?? [];
  return (
    reads.length > 0 &&
    reads.every((ref) => {
      const wrapper = outermostWrapper(ref.identifier);
      return wrapper.parent?.type === AST_NODE_TYPES.MemberExpression && wrapper.parent.object === wrapper;
    })
  );
}

// ---- through calls --------------------------------------------------------------

const matchers = new WeakMap<RestateAnalysis, Map<string, IoMatcher | null>>();

/** The I/O matcher of a file under `options`, shared by the rule and the summaries. */
export function ioMatcherOf(analysis: RestateAnalysis, options: IoModuleOptions): IoMatcher | null {
  if (!analysis.imports) return null;
  const key = JSON.stringify([options.modules ?? [], options.functions ?? [], options.allowModules ?? []]);
  let perFile = matchers.get(analysis);
  if (!perFile) matchers.set(analysis, (perFile = new Map()));
  let matcher = perFile.get(key);
  if (matcher === undefined) {
    matcher = new IoMatcher(analysis.sourceCode, analysis.imports, options);
    perFile.set(key, matcher);
  }
  return matcher;
}

/** I/O as an effect of calling a function (`core/summaries.ts`): the same definition and options as in durable code. */
export function ioEffect(options: IoModuleOptions): Effect {
  return {
    id: `io:${JSON.stringify([options.modules ?? [], options.functions ?? [], options.allowModules ?? []])}`,
    throughDurable: false,
    sink(node, analysis) {
      if (node.type !== AST_NODE_TYPES.CallExpression) return null;
      // A method of what the context gives (a client, a RestatePromise) is the SDK's: no checker query.
      const types = analysis.derivesFromContext(node.callee) ? null : analysis.types;
      const found = ioMatcherOf(analysis, options)?.matchReported(node, types) ?? null;
      return found ? { label: found.name, data: found.module } : null;
    },
  };
}
