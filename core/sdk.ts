/**
 * What restate-guard knows about the Restate TypeScript SDK, as data.
 * Everything here is keyed by module and exported name, never by the local
 * identifier a user picked.
 */

/** Modules whose exports are the Restate SDK (services, contexts, handlers). */
export const SDK_MODULES: ReadonlySet<string> = new Set([
  "@restatedev/restate-sdk",
  "@restatedev/restate-sdk/fetch",
  "@restatedev/restate-sdk/lambda",
  "@restatedev/restate-sdk/node",
  "@restatedev/restate-sdk-cloudflare-workers",
  "@restatedev/restate-sdk-cloudflare-workers/fetch",
  "@restatedev/restate-sdk-core",
]);

/** The ingress client package: for code outside Restate handlers. */
export const CLIENTS_MODULES: ReadonlySet<string> = new Set(["@restatedev/restate-sdk-clients"]);

/** Packages whose declarations count as "the SDK" when matching types. */
export const SDK_PACKAGES = [
  "@restatedev/restate-sdk",
  "@restatedev/restate-sdk-core",
  "@restatedev/restate-sdk-cloudflare-workers",
] as const;

export type ContextKind =
  /** `Context`: a service handler or a helper that may be called from any handler. */
  | "service"
  /** `ObjectContext`: an exclusive virtual-object handler (holds the key's lock). */
  | "object"
  | "object-shared"
  | "workflow"
  | "workflow-shared";

/** Exported context type names and the kind of handler they describe. */
export const CONTEXT_TYPES: ReadonlyMap<string, ContextKind> = new Map([
  ["Context", "service"],
  ["ObjectContext", "object"],
  ["ObjectSharedContext", "object-shared"],
  ["WorkflowContext", "workflow"],
  ["WorkflowSharedContext", "workflow-shared"],
  ["RestateContext", "service"],
  ["RestateObjectContext", "object"],
  ["RestateObjectSharedContext", "object-shared"],
  ["RestateWorkflowContext", "workflow"],
  ["RestateWorkflowSharedContext", "workflow-shared"],
]);

/** Context members that return a client whose method calls are journaled calls to other handlers. */
export const CLIENT_FACTORIES: ReadonlySet<string> = new Set([
  "serviceClient",
  "objectClient",
  "workflowClient",
  "serviceSendClient",
  "objectSendClient",
  "workflowSendClient",
  "client",
  "sendClient",
]);

/** Client factories whose handler calls only send: such a call returns an `InvocationHandle`, never a promise. */
export const SEND_CLIENT_FACTORIES: ReadonlySet<string> = new Set(["serviceSendClient", "objectSendClient", "workflowSendClient", "sendClient"]);

/**
 * Context members whose call returns no SDK promise, as the SDK declares them: `void` (`set`, `clear`, `clearAll`,
 * `resolveAwakeable`, `rejectAwakeable`, `cancel`), a plain `Promise` (`get`, `stateKeys`), an `InvocationHandle`
 * (`genericSend`), a client, a scoped context, a request, an invocation reference, or an awakeable's `{ id, promise }`.
 * A call of one needs no type query to tell that it is no Restate promise.
 */
export const NON_PROMISE_MEMBERS: ReadonlySet<string> = new Set([
  "get",
  "set",
  "clear",
  "clearAll",
  "stateKeys",
  "resolveAwakeable",
  "rejectAwakeable",
  "cancel",
  "genericSend",
  "request",
  "scope",
  "invocation",
  "awakeable",
  ...CLIENT_FACTORIES,
]);

/**
 * Members of a context whose use creates (or depends on the order of) journal
 * entries. Anything used inside a `ctx.run` action, in an iteration whose
 * order may vary, and so on, is judged by this table.
 */
export const JOURNALED_MEMBERS: ReadonlySet<string> = new Set([
  "run",
  "sleep",
  "get",
  "set",
  "clear",
  "clearAll",
  "stateKeys",
  ...CLIENT_FACTORIES,
  "genericCall",
  "genericSend",
  "awakeable",
  "resolveAwakeable",
  "rejectAwakeable",
  "promise",
  "rand",
  "date",
  "attach",
  "cancel",
  "signal",
  "invocation",
  "scope",
]);

/** Members that are read-only and harmless anywhere, including inside `ctx.run`. */
export const HARMLESS_MEMBERS: ReadonlySet<string> = new Set(["key", "request", "console"]);

/** The handler kinds Restate registers. */
export type HandlerKind =
  | "service"
  | "object-exclusive"
  | "object-shared"
  | "workflow-run"
  | "workflow-shared";

export type ComponentKind = "service" | "object" | "workflow";

/**
 * `handlers.*` wrappers (and their older `create*Handler` aliases) and the
 * kind they register. The path is the member chain after the SDK namespace.
 */
export const HANDLER_WRAPPERS: ReadonlyMap<string, HandlerKind | "service-or-component"> = new Map([
  ["handlers.handler", "service-or-component"],
  ["handlers.object.exclusive", "object-exclusive"],
  ["handlers.object.shared", "object-shared"],
  ["handlers.workflow.workflow", "workflow-run"],
  ["handlers.workflow.shared", "workflow-shared"],
  ["createServiceHandler", "service-or-component"],
  ["createObjectHandler", "object-exclusive"],
  ["createObjectSharedHandler", "object-shared"],
  ["createWorkflowHandler", "workflow-run"],
  ["createWorkflowSharedHandler", "workflow-shared"],
]);

export const RESTATE_PROMISE_COMBINATORS: ReadonlySet<string> = new Set(["all", "race", "any", "allSettled"]);

// ---- restate-guard's runtime helpers ---------------------------------------

/** The module users import restate-guard's runtime helpers from (`import { Saga } from "restate-guard-runtime"`). */
export const RUNTIME_MODULE = "restate-guard-runtime";
/** The same, as the module set core/spelling.ts's `exportSpelling` takes. */
export const RUNTIME_MODULES: ReadonlySet<string> = new Set([RUNTIME_MODULE]);

/** The runtime helpers the rules point to as the safe form of what they report. */
export type RuntimeHelper = "Saga" | "runSaga" | "ordered" | "durableDate" | "scheduleSelf";

export const RUNTIME_HELPERS: ReadonlySet<RuntimeHelper> = new Set(["Saga", "runSaga", "ordered", "durableDate", "scheduleSelf"]);

/** Every Restate package's name starts so: a file importing none (and reaching none) holds no Restate code. */
export const RESTATE_MODULE_PREFIX = "@restatedev/";
