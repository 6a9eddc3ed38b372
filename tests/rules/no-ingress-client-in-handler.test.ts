import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import rule from "../../rules/no-ingress-client-in-handler.js";
import { bothTesters } from "../rule-tester.js";

type MessageIds = "createInDurable" | "useInDurable" | "useContextClient";

const header = `import * as restate from "@restatedev/restate-sdk";
import * as clients from "@restatedev/restate-sdk-clients";
`;

const REQUIRE_CASE = `import * as restate from "@restatedev/restate-sdk";
import type { Ingress } from "@restatedev/restate-sdk-clients";
const clients = require("@restatedev/restate-sdk-clients");
declare const shared: Ingress;
const viaRequire = clients.connect({ url: "http://localhost:8080" });
export const wf = restate.workflow({
  name: "wf",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => ctx.promise<string>("done"),
    approve: async (ctx: restate.WorkflowSharedContext, id: string) => {
      await shared.rejectAwakeable(id, "denied");
      await viaRequire.resolveAwakeable(id);
    },
  },
});`;

const WORKFLOW_CASE = `import { object, workflow, type ObjectContext, type WorkflowContext, type WorkflowSharedContext } from "@restatedev/restate-sdk";
import * as restateClients from "@restatedev/restate-sdk-clients";
const signup = workflow({
  name: "signup",
  handlers: { run: async (ctx: WorkflowContext) => true, status: async (ctx: WorkflowSharedContext) => "pending" },
});
const ingress = restateClients.connect({ url: "http://localhost:8080" });
const reminders = object({
  name: "reminders",
  handlers: {
    remind: async (c: ObjectContext, userId: string) => {
      if ((await ingress.workflowClient(signup, userId).status()) === "pending") {
        const done = await ingress.workflowClient(signup, userId).workflowAttach();
        await ingress.objectSendClient(reminders, userId).remind(userId, restateClients.rpc.sendOpts({ delay: 60_000 }));
        return done;
      }
      return true;
    },
  },
});`;

const shippingService = `
const shipping = restate.service({
  name: "shipping",
  handlers: { ship: async (ctx: restate.Context, order: string) => order },
});
`;

/** Code that only type information can see through: the rule finds nothing in it without types (known gaps there). */
const typedOnly: {
  name: string;
  code: string;
  errors: InvalidTestCase<MessageIds, []>["errors"];
  /** The suggestion of the only error replaces this text with that one. */
  rewrite?: [string, string];
}[] = [
  {
    name: "a client derived from a typed ingress and stored in a local: reported once, at the local's use",
    code:
      header +
      shippingService +
      `declare function getIngress(): clients.Ingress;
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, order: string) => {
      const client = getIngress().serviceClient(shipping);
      return client.ship(order);
    },
  },
});`,
    errors: [{ messageId: "useInDurable", line: 14, data: { name: "client", where: "the handler `place`", fix: "ctx.serviceClient(...) / ctx.objectClient(...) / ctx.workflowClient(...)", callee: "connect" }, suggestions: [] }],
  },
  {
    name: "an ingress client reached through an object typed with the clients package (`deps.ingress`)",
    code:
      header +
      shippingService +
      `declare const deps: { ingress: clients.Ingress };
export const orders = restate.object({
  name: "orders",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, order: string) => {
      await deps.ingress.serviceClient(shipping).ship(order);
    },
  },
});`,
    errors: [{ messageId: "useInDurable", line: 13, data: { name: "deps.ingress", where: "the handler `checkout`", fix: "ctx.serviceClient(shipping)...", callee: "connect" } }],
    rewrite: ["await deps.ingress.serviceClient", "await ctx.serviceClient"],
  },
  {
    name: "an ingress client returned by a function declared elsewhere (`getIngress()`)",
    code:
      header +
      shippingService +
      `declare function getIngress(): clients.Ingress;
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, order: string) => {
      return getIngress().serviceClient(shipping).ship(order);
    },
  },
});`,
    errors: [{ messageId: "useInDurable", line: 13 }],
    rewrite: ["return getIngress().serviceClient", "return ctx.serviceClient"],
  },
  {
    name: "a scoped ingress (`ScopedIngress`) returned by a tenant lookup: a derived client, so no rewrite",
    code:
      header +
      shippingService +
      `declare function tenantIngress(tenant: string): clients.ScopedIngress;
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, req: { tenant: string; order: string }) => {
      await tenantIngress(req.tenant).serviceSendClient(shipping).ship(req.order);
    },
  },
});`,
    errors: [{ messageId: "useInDurable", line: 13, data: { name: "tenantIngress(req.tenant)", where: "the handler `place`", fix: "ctx.serviceClient(...) / ctx.objectClient(...) / ctx.workflowClient(...)", callee: "connect" }, suggestions: [] }],
  },
  {
    name: "a class field holding an ingress client, used from a method that takes the context",
    code:
      header +
      shippingService +
      `export class Checkout {
  private readonly ingress = clients.connect({ url: "http://restate:8080" });
  async run(ctx: restate.Context, order: string) {
    await this.ingress.serviceClient(shipping).ship(order);
  }
}`,
    errors: [{ messageId: "useInDurable", line: 11 }],
    rewrite: ["await this.ingress.serviceClient", "await ctx.serviceClient"],
  },
];

const valid: ValidTestCase<[]>[] = [
  {
    name: "module-level client used from an Express route: code outside Restate is exactly where ingress clients belong",
    code:
      header +
      shippingService +
      `const ingress = clients.connect({ url: process.env.RESTATE_URL! });
declare const app: { post(path: string, fn: (req: { body: string }, res: { json(v: unknown): void }) => Promise<void>): void };
app.post("/ship", async (req, res) => {
  res.json(await ingress.serviceClient(shipping).ship(req.body));
});
restate.serve({ services: [shipping], port: 9080 });`,
  },
  {
    name: "a CLI function with the clients package imported as `restate` and the SDK as `sdk`",
    code: `import * as sdk from "@restatedev/restate-sdk";
import * as restate from "@restatedev/restate-sdk-clients";
const signup = sdk.workflow({
  name: "signup",
  handlers: { run: async (ctx: sdk.WorkflowContext, email: string) => ctx.key === email },
});
async function main(userId: string) {
  const rs = restate.connect({ url: "http://localhost:8080" });
  const submission = await rs.workflowClient(signup, userId).workflowSubmit("bob@example.com");
  return rs.result(submission);
}
main(process.argv[2]);`,
  },
  {
    name: "a plain function without a context that builds its own client: a local `restate` shadows the SDK namespace",
    code:
      header +
      shippingService +
      `export function shipFromOutside(url: string) {
  const restate = clients.connect({ url });
  const client = restate.serviceClient(shipping);
  return { ship: async (order: string) => client.ship(order) };
}`,
  },
  {
    name: "a test calls through the ingress client: tests run outside Restate",
    code:
      header +
      shippingService +
      `declare function beforeAll(fn: () => Promise<void>): void;
declare function it(name: string, fn: () => Promise<void>): void;
let ingress: clients.Ingress;
beforeAll(async () => {
  ingress = clients.connect({ url: "http://localhost:8080" });
});
it("ships", async () => {
  await ingress.serviceClient(shipping).ship("o-1");
});`,
  },
  {
    name: "a helper that takes the ingress client but no context is plain code",
    code:
      header +
      shippingService +
      `export async function notify(ingress: clients.Ingress, order: string) {
  await ingress.serviceSendClient(shipping).ship(order);
}`,
  },
  {
    name: "inside a ctx.run action the call is a journaled side effect: it runs once, its result is replayed (idempotency key for retries)",
    code:
      header +
      shippingService +
      `const remote = clients.connect({ url: "https://eu.restate.example.com" });
export const orders = restate.service({
  name: "orders",
  handlers: {
    mirror: async (ctx: restate.Context, order: string) => {
      const id = ctx.rand.uuidv4();
      return ctx.run("mirror to EU cluster", async () =>
        remote.serviceClient(shipping).ship(order, clients.rpc.opts({ idempotencyKey: id })),
      );
    },
  },
});`,
  },
  {
    name: "a client derived in the handler but only called inside ctx.run: nothing bypasses the journal",
    code:
      header +
      shippingService +
      `const remote = clients.connect({ url: "https://eu.restate.example.com" });
export const orders = restate.service({
  name: "orders",
  handlers: {
    mirror: async (ctx: restate.Context, order: string) => {
      const eu = remote.serviceClient(shipping);
      return ctx.run("mirror", async () => eu.ship(order));
    },
  },
});`,
  },
  {
    name: "the SDK's own ctx.serviceClient and ctx.resolveAwakeable are the right way",
    code:
      header +
      shippingService +
      `export const orders = restate.object({
  name: "orders",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, req: { order: string; awakeable: string }) => {
      await ctx.serviceClient(shipping).ship(req.order);
      ctx.resolveAwakeable(req.awakeable, "shipped");
    },
  },
});`,
  },
  {
    name: "`restate.connect` where `restate` is the SDK is not the ingress client",
    code: `import * as restate from "@restatedev/restate-sdk";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const conn = (restate as any).connect({ url: "x" });
      await conn.serviceClient({ name: "b" }).c();
    },
  },
});`,
  },
  {
    name: "a `connect` from another package (a database driver) inside a handler",
    code: `import * as restate from "@restatedev/restate-sdk";
import { connect } from "./db";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const db = await ctx.run("connect", () => connect({ url: "postgres://db" }).then(() => 1));
      return db;
    },
    b: async (ctx: restate.Context) => {
      const pool = connect({ url: "postgres://db" });
      return pool;
    },
  },
});`,
  },
  {
    name: "a variable called `ingress` that is the project's own wrapper, not the clients package",
    code: `import * as restate from "@restatedev/restate-sdk";
declare function makeIngress(): { serviceClient(def: unknown): { ship(o: string): Promise<string> } };
const ingress = makeIngress();
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, o: string) => ingress.serviceClient({ name: "shipping" }).ship(o) },
});`,
  },
  {
    name: "a handler that creates a client but never uses it: nothing is called",
    code:
      header +
      `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const unused = clients.connect({ url: "http://localhost:8080" });
    },
  },
});`,
  },
  {
    name: "a type position (`typeof ingress`) inside a handler is not a use",
    code:
      header +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const client: typeof ingress | null = null;
      return client === null;
    },
  },
});`,
  },
  {
    // TODO: a plain helper without a context, called from a handler, runs in the handler too; needs a call graph.
    name: "a plain helper without a context, called from a handler (gap: not followed across the call)",
    code:
      header +
      shippingService +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
async function shipIt(order: string) {
  await ingress.serviceClient(shipping).ship(order);
}
export const orders = restate.service({
  name: "orders",
  handlers: { place: async (ctx: restate.Context, order: string) => shipIt(order) },
});`,
  },
  {
    // TODO: destructured methods (`const { serviceClient } = ingress`) are not tracked.
    name: "a method destructured from the client (gap)",
    code:
      header +
      shippingService +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
const { resolveAwakeable } = ingress;
export const orders = restate.service({
  name: "orders",
  handlers: { done: async (ctx: restate.Context, id: string) => { await resolveAwakeable(id, "ok"); } },
});`,
  },
  {
    name: "a file without Restate imports is never analysed",
    code: `import { connect } from "./restate-like";
const ingress = connect({ url: "x" });
export async function handler(ctx: { run(): void }) { await ingress.serviceClient({}).x(); }`,
  },
];

const invalid: InvalidTestCase<MessageIds, []>[] = [
  {
    name: "the checkout example: a module-level client called from an exclusive handler repeats the call on replay",
    code:
      header +
      shippingService +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, order: string) => {
      await ingress.serviceClient(shipping).ship(order);
      ctx.clear("items");
    },
  },
});`,
    errors: [
      {
        messageId: "useInDurable",
        line: 13,
        column: 13,
        data: { name: "ingress", where: "the handler `checkout`", fix: "ctx.serviceClient(shipping)...", callee: "connect" },
        suggestions: [
          {
            messageId: "useContextClient",
            data: { ctx: "ctx", method: "serviceClient" },
            output:
              header +
              shippingService +
              `const ingress = clients.connect({ url: "http://localhost:8080" });
export const cart = restate.object({
  name: "cart",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, order: string) => {
      await ctx.serviceClient(shipping).ship(order);
      ctx.clear("items");
    },
  },
});`,
          },
        ],
      },
    ],
  },
  {
    name: "clients package imported as `restate` and the SDK as `sdk`, context called `context`, method shorthand handler",
    code: `import * as sdk from "@restatedev/restate-sdk";
import * as restate from "@restatedev/restate-sdk-clients";
const counter = sdk.object({
  name: "counter",
  handlers: { add: async (ctx: sdk.ObjectContext, n: number) => n },
});
const rs = restate.connect({ url: "http://restate:8080" });
export const stats = sdk.service({
  name: "stats",
  handlers: {
    async record(context: sdk.Context, n: number) {
      return rs.objectClient(counter, "total").add(n);
    },
  },
});`,
    errors: [
      {
        messageId: "useInDurable",
        line: 12,
        data: { name: "rs", where: "the handler `record`", fix: 'context.objectClient(counter, "total")...', callee: "connect" },
        suggestions: [
          {
            messageId: "useContextClient",
            data: { ctx: "context", method: "objectClient" },
            output: `import * as sdk from "@restatedev/restate-sdk";
import * as restate from "@restatedev/restate-sdk-clients";
const counter = sdk.object({
  name: "counter",
  handlers: { add: async (ctx: sdk.ObjectContext, n: number) => n },
});
const rs = restate.connect({ url: "http://restate:8080" });
export const stats = sdk.service({
  name: "stats",
  handlers: {
    async record(context: sdk.Context, n: number) {
      return context.objectClient(counter, "total").add(n);
    },
  },
});`,
          },
        ],
      },
    ],
  },
  {
    name: "named `connect` under an alias, created and used inline in the handler: a send whose result is discarded",
    code: `import * as restate from "@restatedev/restate-sdk";
import { connect as connectIngress } from "@restatedev/restate-sdk-clients";
const emails = restate.service({ name: "emails", handlers: { send: async (ctx: restate.Context, to: string) => {} } });
export const signup = restate.service({
  name: "signup",
  handlers: {
    register: async (ctx: restate.Context, email: string) => {
      await connectIngress({ url: "http://localhost:8080" }).serviceSendClient(emails).send(email);
    },
  },
});`,
    errors: [
      {
        messageId: "createInDurable",
        line: 8,
        data: { name: 'connectIngress({ url: "http://localh…', callee: "connectIngress", where: "the handler `register`", fix: "ctx.serviceSendClient(emails)..." },
        suggestions: [
          {
            messageId: "useContextClient",
            data: { ctx: "ctx", method: "serviceSendClient" },
            output: `import * as restate from "@restatedev/restate-sdk";
import { connect as connectIngress } from "@restatedev/restate-sdk-clients";
const emails = restate.service({ name: "emails", handlers: { send: async (ctx: restate.Context, to: string) => {} } });
export const signup = restate.service({
  name: "signup",
  handlers: {
    register: async (ctx: restate.Context, email: string) => {
      await ctx.serviceSendClient(emails).send(email);
    },
  },
});`,
          },
        ],
      },
    ],
  },
  {
    name: "a client derived at module level (`ingress.objectClient(cart, key)`) used in a handler: reported at the derived client, no rewrite",
    code:
      header +
      `const cart = restate.object({ name: "cart", handlers: { add: async (ctx: restate.ObjectContext, item: string) => {} } });
const ingress = clients.connect({ url: "http://localhost:8080" });
const demoCart = ingress.objectClient(cart, "demo");
export const seeder = restate.service({
  name: "seeder",
  handlers: { seed: async (ctx: restate.Context, item: string) => { await demoCart.add(item); } },
});`,
    errors: [
      {
        messageId: "useInDurable",
        line: 8,
        data: { name: "demoCart", where: "the handler `seed`", fix: 'ctx.objectClient(cart, "demo")...', callee: "connect" },
        suggestions: [],
      },
    ],
  },
  {
    name: "a `let` assigned once by an init function, then resolving an awakeable from a handler",
    code:
      header +
      `let ingress: clients.Ingress | undefined;
export function init(url: string) {
  ingress = clients.connect({ url });
}
export const payments = restate.service({
  name: "payments",
  handlers: {
    confirm: async (ctx: restate.Context, req: { awakeableId: string }) => {
      await ingress!.resolveAwakeable(req.awakeableId, { ok: true });
    },
  },
});`,
    errors: [
      {
        messageId: "useInDurable",
        line: 11,
        data: { name: "ingress", where: "the handler `confirm`", fix: "ctx.resolveAwakeable(...)", callee: "connect" },
        suggestions: [
          {
            messageId: "useContextClient",
            data: { ctx: "ctx", method: "resolveAwakeable" },
            output:
              header +
              `let ingress: clients.Ingress | undefined;
export function init(url: string) {
  ingress = clients.connect({ url });
}
export const payments = restate.service({
  name: "payments",
  handlers: {
    confirm: async (ctx: restate.Context, req: { awakeableId: string }) => {
      await ctx.resolveAwakeable(req.awakeableId, { ok: true });
    },
  },
});`,
          },
        ],
      },
    ],
  },
  {
    name: "`let` never reassigned, in a shared handler (`handlers.object.shared`), with an ingress-only idempotency option: no rewrite",
    code:
      header +
      shippingService +
      `let ingress = clients.connect({ url: "http://localhost:8080" });
export const orders = restate.object({
  name: "orders",
  handlers: {
    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      return ingress.serviceClient(shipping).ship(ctx.key, clients.rpc.opts({ idempotencyKey: ctx.key }));
    }),
  },
});`,
    errors: [{ messageId: "useInDurable", line: 13, suggestions: [] }],
  },
  {
    name: "a handler declared elsewhere and referenced: workflowSubmit has no context twin with the same signature",
    code:
      header +
      `const signup = restate.workflow({
  name: "signup",
  handlers: { run: async (ctx: restate.WorkflowContext, email: string) => true },
});
const ingress = clients.connect({ url: "http://localhost:8080" });
async function invite(ctx: restate.Context, email: string) {
  await ingress.workflowClient(signup, email).workflowSubmit(email);
}
export const invites = restate.service({ name: "invites", handlers: { invite } });`,
    errors: [
      {
        messageId: "useInDurable",
        line: 9,
        data: { name: "ingress", where: "the handler `invite`", fix: "ctx.workflowSendClient(signup, email).run(...)", callee: "connect" },
        suggestions: [],
      },
    ],
  },
  {
    name: "a helper that takes the context, with the client annotated as a parameter (`ingress: clients.Ingress`)",
    code:
      header +
      shippingService +
      `export async function shipOrder(ctx: restate.Context, ingress: clients.Ingress, order: string) {
  const label = await ingress.serviceClient(shipping).ship(order);
  return label;
}`,
    errors: [
      {
        messageId: "useInDurable",
        line: 9,
        data: {
          name: "ingress",
          where: "`shipOrder`, which takes the Restate context and runs as part of a handler",
          fix: "ctx.serviceClient(shipping)...",
          callee: "connect",
        },
        suggestions: [
          {
            messageId: "useContextClient",
            output:
              header +
              shippingService +
              `export async function shipOrder(ctx: restate.Context, ingress: clients.Ingress, order: string) {
  const label = await ctx.serviceClient(shipping).ship(order);
  return label;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "passing the client to another function from the handler",
    code:
      header +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
declare function notifyAll(client: clients.Ingress, id: string): Promise<void>;
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, id: string) => { await notifyAll(ingress, id); } },
});`,
    errors: [{ messageId: "useInDurable", line: 7, suggestions: [] }],
  },
  {
    name: "the result of an ingress send is used (`invocationId`, `status`): the context's send handle differs, no rewrite",
    code:
      header +
      shippingService +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, order: string) => {
      const sent = await ingress.serviceSendClient(shipping).ship(order);
      return sent.status;
    },
  },
});`,
    errors: [{ messageId: "useInDurable", line: 13, suggestions: [] }],
  },
  {
    name: "connect() stored in a const inside the handler: reported once, at the use",
    code:
      header +
      shippingService +
      `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, order: string) => {
      const rs = clients.connect({ url: "http://localhost:8080" });
      return rs.serviceClient(shipping).ship(order);
    },
  },
});`,
    errors: [
      {
        messageId: "useInDurable",
        line: 13,
        suggestions: [
          {
            messageId: "useContextClient",
            output:
              header +
              shippingService +
              `export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, order: string) => {
      const rs = clients.connect({ url: "http://localhost:8080" });
      return ctx.serviceClient(shipping).ship(order);
    },
  },
});`,
          },
        ],
      },
    ],
  },
  {
    name: "an exclusive handler calling its own object through the ingress deadlocks the key; the context rewrite would too, so none is offered",
    code:
      header +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
export const cart = restate.object({
  name: "cart",
  handlers: {
    total: async (ctx: restate.ObjectContext) => 42,
    checkout: async (ctx: restate.ObjectContext): Promise<number> => {
      const total: number = await ingress.objectClient(cart, ctx.key).total();
      return total;
    },
  },
});`,
    errors: [{ messageId: "useInDurable", line: 9, suggestions: [] }],
  },
  {
    name: "a client picked by a conditional between two connect() calls, used in a loop callback inside the handler",
    code:
      header +
      `const inventory = restate.object({ name: "inventory", handlers: { reserve: async (ctx: restate.ObjectContext, n: number) => {} } });
const ingress = process.env.EU ? clients.connect({ url: "https://eu" }) : clients.connect({ url: "https://us" });
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, items: string[]) => {
      for (const item of items) {
        await ingress.objectSendClient(inventory, item).reserve(1);
      }
    },
  },
});`,
    errors: [
      {
        messageId: "useInDurable",
        line: 10,
        suggestions: [
          {
            messageId: "useContextClient",
            output:
              header +
              `const inventory = restate.object({ name: "inventory", handlers: { reserve: async (ctx: restate.ObjectContext, n: number) => {} } });
const ingress = process.env.EU ? clients.connect({ url: "https://eu" }) : clients.connect({ url: "https://us" });
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, items: string[]) => {
      for (const item of items) {
        await ctx.objectSendClient(inventory, item).reserve(1);
      }
    },
  },
});`,
          },
        ],
      },
    ],
  },
  {
    name: "`require` of the clients package, and a declared client annotated with its type, in a workflow's shared handler",
    code: REQUIRE_CASE,
    errors: [
      {
        messageId: "useInDurable",
        line: 11,
        data: { name: "shared", where: "the handler `approve`", fix: "ctx.rejectAwakeable(...)", callee: "connect" },
        suggestions: [{ messageId: "useContextClient", output: REQUIRE_CASE.replace("await shared.rejectAwakeable", "await ctx.rejectAwakeable") }],
      },
      {
        messageId: "useInDurable",
        line: 12,
        suggestions: [{ messageId: "useContextClient", output: REQUIRE_CASE.replace("await viaRequire.resolveAwakeable", "await ctx.resolveAwakeable") }],
      },
    ],
  },
  {
    name: "named SDK imports and the clients package as `restateClients`: a workflow query maps directly, workflowAttach and a delayed send do not",
    code: WORKFLOW_CASE,
    errors: [
      {
        messageId: "useInDurable",
        line: 12,
        data: { name: "ingress", where: "the handler `remind`", fix: "c.workflowClient(signup, userId)...", callee: "connect" },
        suggestions: [{ messageId: "useContextClient", output: WORKFLOW_CASE.replace("await ingress.workflowClient(signup, userId).status()", "await c.workflowClient(signup, userId).status()") }],
      },
      { messageId: "useInDurable", line: 13, suggestions: [] },
      { messageId: "useInDurable", line: 14, data: { name: "ingress", where: "the handler `remind`", fix: "c.objectSendClient(reminders, userId)...", callee: "connect" }, suggestions: [] },
    ],
  },
  {
    name: "generic ingress call inside a nested durable closure: the hint points at ctx.genericCall",
    code:
      header +
      `const ingress = clients.connect({ url: "http://localhost:8080" });
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const compensations: (() => Promise<unknown>)[] = [];
      compensations.push(() => ingress.call({ service: "b", handler: "undo", parameter: new Uint8Array() }));
    },
  },
});`,
    errors: [
      { messageId: "useInDurable", line: 9, data: { name: "ingress", where: "the handler `a`", fix: "ctx.genericCall(...)", callee: "connect" }, suggestions: [] },
    ],
  },
];

for (const [mode, tester] of bothTesters) {
  const typed = mode === "typed";
  tester.run(`no-ingress-client-in-handler (${mode})`, rule, {
    valid: [
      ...valid,
      // TODO (without types): these are only visible through type information.
      ...(typed ? [] : typedOnly.map(({ name, code }) => ({ name: `${name} (needs types)`, code }))),
    ],
    invalid: [
      ...invalid,
      ...(typed
        ? typedOnly.map(({ name, code, errors, rewrite }) => ({
            name,
            code,
            errors: rewrite
              ? [{ ...errors[0], suggestions: [{ messageId: "useContextClient" as const, output: code.replace(...rewrite) }] }]
              : errors,
          }))
        : []),
    ],
  });
}
