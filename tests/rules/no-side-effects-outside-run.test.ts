import rule from "../../rules/no-side-effects-outside-run.js";
import { bothTesters, typedRuleTester } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

const SUGGESTED_RECEIPT = header + `import nodemailer from "nodemailer";
const mailer = nodemailer.createTransport({ host: "smtp" });
async function sendReceipt(ctx: restate.Context, to: string) {
  ctx.console.log("sending receipt to " + to);
  await ctx.run("mailer.sendMail", async () => { await mailer.sendMail({ to, subject: "receipt" }); });
}
export async function notify(ctx: restate.Context, to: string) {
  await mailer.sendMail({ to, subject: "notice" });
}
export const receipts = restate.service({
  name: "receipts",
  handlers: {
    send: async (ctx: restate.Context, to: string) => {
      await ctx.run("email", () => sendReceipt(ctx, to));
      await sendReceipt(ctx, to);
      await ctx.run("notice", () => notify(ctx, to));
    },
  },
});`;
const SUGGESTED_NOTICE = header + `import nodemailer from "nodemailer";
const mailer = nodemailer.createTransport({ host: "smtp" });
async function sendReceipt(ctx: restate.Context, to: string) {
  ctx.console.log("sending receipt to " + to);
  await mailer.sendMail({ to, subject: "receipt" });
}
export async function notify(ctx: restate.Context, to: string) {
  await ctx.run("mailer.sendMail", async () => { await mailer.sendMail({ to, subject: "notice" }); });
}
export const receipts = restate.service({
  name: "receipts",
  handlers: {
    send: async (ctx: restate.Context, to: string) => {
      await ctx.run("email", () => sendReceipt(ctx, to));
      await sendReceipt(ctx, to);
      await ctx.run("notice", () => notify(ctx, to));
    },
  },
});`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-side-effects-outside-run (${mode})`, rule, {
    valid: [
      {
        name: "fetch inside ctx.run: the common, correct form (Restate's examples)",
        code:
          header +
          `export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      const greeting = await ctx.run("fetch greeting", async () => {
        const res = await fetch("https://api.example.com/greet/" + name);
        return res.text();
      });
      return greeting;
    },
  },
});`,
      },
      {
        name: "a module-level helper that does I/O, called only from ctx.run: plain code, not durable",
        code:
          header +
          `import Stripe from "stripe";
const stripe = new Stripe("sk_test");
async function createPaymentIntent(amount: number, idempotencyKey: string) {
  return stripe.paymentIntents.create({ amount, currency: "usd" }, { idempotencyKey });
}
async function processPayment(ctx: restate.Context, amount: number) {
  const key = ctx.rand.uuidv4();
  const intent = await ctx.run("stripe call", () => createPaymentIntent(amount, key));
  return intent.status;
}
export const payments = restate.service({ name: "payments", handlers: { processPayment } });`,
      },
      {
        name: "a local function of the handler used only as a run action is part of the side effect",
        code:
          header +
          `import { Pool } from "pg";
const db = new Pool();
export const users = restate.object({
  name: "users",
  handlers: {
    async load(ctx: restate.ObjectContext) {
      const loadRows = async () => (await db.query("select * from users where id = $1", [ctx.key])).rows.length;
      return ctx.run("load", loadRows);
    },
  },
});`,
      },
      {
        name: "a helper taking the context only to log, called only from inside ctx.run: its I/O is the run's side effect",
        code:
          header +
          `import nodemailer from "nodemailer";
const mailer = nodemailer.createTransport({ host: "smtp" });
async function sendReceipt(ctx: restate.Context, to: string) {
  ctx.console.log("sending receipt to " + to);
  await mailer.sendMail({ to, subject: "receipt" });
}
export const receipts = restate.service({
  name: "receipts",
  handlers: {
    send: async (ctx: restate.Context, to: string) => {
      await ctx.run("email", () => sendReceipt(ctx, to));
      await ctx.sleep(1000);
    },
  },
});`,
      },
      {
        name: "constructing a client at module level or in the handler is not I/O; only its calls are",
        code:
          header +
          `import { Pool } from "pg";
import { createClient } from "redis";
const pool = new Pool({ connectionString: process.env.DB });
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const redis = createClient({ url: "redis://localhost" });
      const local = new Pool();
      await ctx.run("ping", () => redis.ping());
      await ctx.run("query", async () => (await local.query("select 1")).rowCount);
    },
  },
});`,
      },
      {
        name: "pure exports of I/O modules: fs.constants, axios.isAxiosError, net.isIP, ObjectId from mongodb",
        code:
          header +
          `import * as fs from "node:fs";
import axios from "axios";
import { isIP } from "node:net";
import { ObjectId } from "mongodb";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, input: { ip: string; id: string }) => {
      const mode = fs.constants.R_OK;
      const id = new ObjectId(input.id);
      const hex = id.toHexString();
      try {
        await ctx.run("call", () => axios.get("https://x").then((r) => r.data as string));
      } catch (e) {
        if (axios.isAxiosError(e)) return { mode, hex, ip: isIP(input.ip) };
      }
      return null;
    },
  },
});`,
      },
      {
        name: "query builders and pure helpers of client libraries (drizzle eq/and, AWS marshall) do no I/O",
        code:
          header +
          `import { eq, and } from "drizzle-orm";
import { marshall } from "@aws-sdk/util-dynamodb";
import { PutItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
declare const users: { id: unknown; name: unknown };
const dynamo = new DynamoDBClient({});
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, id: string) => {
      const where = and(eq(users.id, id), eq(users.name, "x"));
      const command = new PutItemCommand({ TableName: "t", Item: marshall({ id }) });
      await ctx.run("put", () => dynamo.send(command));
      return String(where);
    },
  },
});`,
      },
      {
        name: "type-only imports from I/O packages, and a shadowed fetch parameter",
        code:
          header +
          `import type { Pool } from "pg";
type Fetch = (url: string) => Promise<string>;
export async function load(ctx: restate.Context, fetch: Fetch, pool: Pool | null) {
  return ctx.run("load", () => fetch("https://x"));
}`,
      },
      {
        name: "stripe.webhooks.constructEvent only verifies a signature: no I/O",
        code:
          header +
          `import Stripe from "stripe";
const stripe = new Stripe("sk_test");
export const webhooks = restate.service({
  name: "webhooks",
  handlers: {
    onEvent: async (ctx: restate.Context, body: string) => {
      const event = stripe.webhooks.constructEvent(body, ctx.request().headers.get("stripe-signature") ?? "", "whsec");
      return event.type;
    },
  },
});`,
      },
      {
        name: "the result of an awaited I/O call is data: its methods are not I/O",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const res = await ctx.run("get", () => fetch("https://x").then((r) => r.json() as Promise<string[]>));
      return res.map((s) => s.toUpperCase());
    },
  },
});`,
      },
      {
        name: "I/O outside durable code: module-level startup, plain functions, the serve call",
        code:
          header +
          `import { readFileSync } from "node:fs";
const config = JSON.parse(readFileSync("config.json", "utf8"));
export async function warmUp() { await fetch(config.url); }
export const svc = restate.service({ name: "svc", handlers: { a: async (ctx: restate.Context) => ctx.key } });`,
      },
      {
        name: "the handler's only step, nothing journaled after it: a failure can only retry it, as a run would (Restate's database example)",
        code:
          header +
          `import { Pool } from "pg";
const db = new Pool();
export const keyed = restate.object({
  name: "keyed",
  handlers: {
    update: async (ctx: restate.ObjectContext, credits: number) => {
      const userId = ctx.key;
      await db.query("update users set credits = credits + $1 where id = $2", [credits, userId]);
    },
    read: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
      const { rows } = await db.query("select * from users where id = $1", [ctx.key]);
      return rows[0] ?? null;
    }),
  },
});`,
      },
      {
        name: "a file without Restate imports is never analysed",
        code: `import axios from "axios";
export async function handler(ctx: unknown) { await axios.get("https://x"); }`,
      },
      {
        name: "allowModules turns a default module off",
        options: [{ allowModules: ["fs", "fs/promises"] }],
        code:
          header +
          `import { readFile } from "node:fs/promises";
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context) => readFile("bundled/template.html", "utf8") },
});`,
      },
      {
        // TODO: a module-level helper without a context parameter that does I/O, called from durable code, is not followed.
        name: "gap: I/O hidden in a helper without a context parameter, called outside ctx.run",
        code:
          header +
          `async function callDownstream(name: string) { return (await fetch("https://x/" + name)).text(); }
export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.Context, name: string) => callDownstream(name) },
});`,
      },
      {
        // TODO: `const client = await pool.connect()` makes a client only types can see (the typed test covers FileHandle).
        name: "gap (syntax): a client obtained through await is not followed without types",
        code:
          header +
          `import { open } from "node:fs/promises";
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context) => {
      const handle = await ctx.run("open", () => open("log.txt", "a").then(() => "ok"));
      return handle;
    },
  },
});`,
      },
    ],
    invalid: [
      {
        name: "global fetch awaited in a handler: runs again on replay, result not journaled",
        code:
          header +
          `export const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      const res = await fetch("https://api.example.com/greet/" + name);
      const greeting = await res.text();
      await ctx.run("store", () => store(name, greeting));
      return greeting;
    },
  },
});
declare function store(name: string, greeting: string): Promise<void>;`,
        errors: [{ messageId: "ioOutsideRun", line: 6, data: { call: "fetch(…)", ctx: "ctx", name: "fetch" }, suggestions: [] }],
      },
      {
        name: "a discarded awaited POST: suggestion wraps it in a run that returns nothing",
        code:
          header +
          `export const notifier = restate.service({
  name: "notifier",
  handlers: {
    notify: async (context: restate.Context, msg: string) => {
      await globalThis.fetch("https://hooks.example.com", { method: "POST", body: msg });
      await context.sleep(1000);
    },
  },
});`,
        errors: [
          {
            messageId: "ioOutsideRun",
            line: 6,
            data: { call: "globalThis.fetch(…)", ctx: "context", name: "fetch" },
            suggestions: [
              {
                messageId: "suggestRunVoid",
                data: { ctx: "context", name: "fetch" },
                output:
                  header +
                  `export const notifier = restate.service({
  name: "notifier",
  handlers: {
    notify: async (context: restate.Context, msg: string) => {
      await context.run("fetch", async () => { await globalThis.fetch("https://hooks.example.com", { method: "POST", body: msg }); });
      await context.sleep(1000);
    },
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "named imports with aliases from node:fs/promises and fs: file reads and writes in an object handler (method shorthand)",
        code: `import { object, type ObjectContext } from "@restatedev/restate-sdk";
import { writeFile as write, readFile } from "node:fs/promises";
import * as fsSync from "fs";
export const files = object({
  name: "files",
  handlers: {
    async save(c: ObjectContext, text: string) {
      fsSync.appendFileSync("audit.log", text);
      await write("data/" + c.key, text);
      const content = await readFile("data/" + c.key);
      c.set("size", content.length);
    },
  },
});`,
        errors: [
          {
            messageId: "ioOutsideRun",
            line: 8,
            data: { call: "fsSync.appendFileSync(…)", ctx: "c", name: "fsSync.appendFileSync" },
            suggestions: [
              {
                messageId: "suggestRunVoid",
                data: { ctx: "c", name: "fsSync.appendFileSync" },
                output: `import { object, type ObjectContext } from "@restatedev/restate-sdk";
import { writeFile as write, readFile } from "node:fs/promises";
import * as fsSync from "fs";
export const files = object({
  name: "files",
  handlers: {
    async save(c: ObjectContext, text: string) {
      await c.run("fsSync.appendFileSync", async () => { await fsSync.appendFileSync("audit.log", text); });
      await write("data/" + c.key, text);
      const content = await readFile("data/" + c.key);
      c.set("size", content.length);
    },
  },
});`,
              },
            ],
          },
          {
            messageId: "ioOutsideRun",
            line: 9,
            data: { call: "write(…)", ctx: "c", name: "write" },
            suggestions: [
              {
                messageId: "suggestRunVoid",
                data: { ctx: "c", name: "write" },
                output: `import { object, type ObjectContext } from "@restatedev/restate-sdk";
import { writeFile as write, readFile } from "node:fs/promises";
import * as fsSync from "fs";
export const files = object({
  name: "files",
  handlers: {
    async save(c: ObjectContext, text: string) {
      fsSync.appendFileSync("audit.log", text);
      await c.run("write", async () => { await write("data/" + c.key, text); });
      const content = await readFile("data/" + c.key);
      c.set("size", content.length);
    },
  },
});`,
              },
            ],
          },
          { messageId: "ioOutsideRun", line: 10, data: { call: "readFile(…)", ctx: "c", name: "readFile" }, suggestions: [] },
        ],
      },
      {
        name: "a pg pool built at module level: its query in a helper taking the context",
        code:
          header +
          `import pg from "pg";
const pool = new pg.Pool();
async function reserve(ctx: restate.ObjectContext, seat: string) {
  const { rowCount } = await pool.query("update seats set taken = true where id = $1", [seat]);
  if (rowCount === 0) throw new restate.TerminalError("taken");
  ctx.set("seat", seat);
}
export const seats = restate.object({ name: "seats", handlers: { reserve } });`,
        errors: [{ messageId: "ioOutsideRun", line: 5, data: { call: "pool.query(…)", ctx: "ctx", name: "pool.query" }, suggestions: [] }],
      },
      {
        name: "clients from factories and constructors: redis createClient, Stripe, Prisma, Kafka producer, chained drizzle query",
        code:
          header +
          `import { createClient } from "redis";
import Stripe from "stripe";
import { PrismaClient } from "@prisma/client";
import { Kafka } from "kafkajs";
import { drizzle } from "drizzle-orm/node-postgres";
declare const orders: unknown;
const redis = createClient();
const stripe = new Stripe("sk_test");
const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);
export const checkout = restate.workflow({
  name: "checkout",
  handlers: {
    run: async (ctx: restate.WorkflowContext, amount: number) => {
      const producer = new Kafka({ brokers: ["b:9092"] }).producer();
      const previous = await redis.getSet("last", ctx.key);
      const charge = await stripe.charges.create({ amount, currency: "usd" });
      const user = await prisma.user.findUnique({ where: { id: ctx.key } });
      const sent = await producer.send({ topic: "orders", messages: [{ value: ctx.key }] });
      const rows = await db.select().from(orders).limit(1);
      ctx.set("status", "done");
      return { previous, charge: charge.id, user, sent, rows: rows.length };
    },
  },
});`,
        errors: [
          { messageId: "ioOutsideRun", line: 17, data: { call: "redis.getSet(…)", ctx: "ctx", name: "redis.getSet" } },
          { messageId: "ioOutsideRun", line: 18, data: { call: "stripe.charges.create(…)", ctx: "ctx", name: "stripe.charges.create" } },
          { messageId: "ioOutsideRun", line: 19, data: { call: "prisma.user.findUnique(…)", ctx: "ctx", name: "prisma.user.findUnique" } },
          { messageId: "ioOutsideRun", line: 20, data: { call: "producer.send(…)", ctx: "ctx", name: "producer.send" } },
          { messageId: "ioOutsideRun", line: 21, data: { call: "db.select(…)", ctx: "ctx", name: "db.select" } },
        ],
      },
      {
        name: "axios namespace-style default import, an axios.create instance, a fetch(...).then chain reported once",
        code:
          header +
          `import http from "axios";
const api = http.create({ baseURL: "https://api.example.com" });
async function track(ctx: restate.Context, id: string) {
  const status = await http.get("/status/" + id);
  const order = await api.post("/orders", { id });
  const body = await fetch("https://x/" + id).then((r) => r.json());
  await ctx.sleep(1000);
  return [status.data, order.data, body];
}
export const svc = restate.service({ name: "svc", handlers: { track } });`,
        errors: [
          { messageId: "ioOutsideRun", line: 5, data: { call: "http.get(…)", ctx: "ctx", name: "http.get" } },
          { messageId: "ioOutsideRun", line: 6, data: { call: "api.post(…)", ctx: "ctx", name: "api.post" } },
          { messageId: "ioOutsideRun", line: 7, data: { call: "fetch(…)", ctx: "ctx", name: "fetch" } },
        ],
      },
      {
        name: "restate.handlers.object.shared wrapper and a handler declared elsewhere; un-awaited fire-and-forget email",
        code:
          header +
          `import nodemailer from "nodemailer";
const mailer = nodemailer.createTransport({ host: "smtp" });
const status = restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
  mailer.sendMail({ to: "ops@example.com", subject: ctx.key });
  return (await ctx.get<string>("email")) ?? "none";
});
export const account = restate.object({ name: "account", handlers: { status } });`,
        errors: [
          {
            messageId: "ioOutsideRun",
            line: 5,
            data: { call: "mailer.sendMail(…)", ctx: "ctx", name: "mailer.sendMail" },
            suggestions: [
              {
                messageId: "suggestRunVoid",
                data: { ctx: "ctx", name: "mailer.sendMail" },
                output:
                  header +
                  `import nodemailer from "nodemailer";
const mailer = nodemailer.createTransport({ host: "smtp" });
const status = restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
  await ctx.run("mailer.sendMail", async () => { await mailer.sendMail({ to: "ops@example.com", subject: ctx.key }); });
  return (await ctx.get<string>("email")) ?? "none";
});
export const account = restate.object({ name: "account", handlers: { status } });`,
              },
            ],
          },
        ],
      },
      {
        name: "I/O in a callback inside durable code (not a run action) is durable code too; require-style import",
        code:
          header +
          `const { execSync } = require("node:child_process");
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, hosts: string[]) => hosts.map((h) => execSync("ping -c1 " + h).toString()),
  },
});`,
        errors: [{ messageId: "ioOutsideRun", line: 6, data: { call: "execSync(…)", ctx: "ctx", name: "execSync" } }],
      },
      {
        name: "a stream opened by a direct I/O call is reported once, at the call that opens it; mongoose models and connect",
        code:
          header +
          `import { createWriteStream } from "node:fs";
import mongoose from "mongoose";
const User = mongoose.model("User", new mongoose.Schema({ name: String }));
export const users = restate.object({
  name: "users",
  handlers: {
    rename: async (ctx: restate.ObjectContext, name: string) => {
      const out = createWriteStream("audit.log", { flags: "a" });
      out.write(name);
      if (!mongoose.isValidObjectId(ctx.key)) throw new restate.TerminalError("bad id");
      const conn = await mongoose.connect("mongodb://db");
      const updated = await User.updateOne({ _id: ctx.key }, { name });
      ctx.set("name", name);
      return { conn: conn.version, updated: updated.modifiedCount };
    },
  },
});`,
        errors: [
          { messageId: "ioOutsideRun", line: 9, data: { call: "createWriteStream(…)", ctx: "ctx", name: "createWriteStream" } },
          { messageId: "ioOutsideRun", line: 12, data: { call: "mongoose.connect(…)", ctx: "ctx", name: "mongoose.connect" } },
          { messageId: "ioOutsideRun", line: 13, data: { call: "User.updateOne(…)", ctx: "ctx", name: "User.updateOne" } },
        ],
      },
      {
        name: "odd but valid call shapes: optional call, computed member, parenthesised and sequence callees",
        code:
          header +
          `import { Pool } from "pg";
const db = new Pool();
export const svc = restate.service({
  name: "svc",
  handlers: {
    a: async (ctx: restate.Context, ...args: unknown[]) => {
      const r1 = await fetch?.("https://x", ...([] as []));
      const r2 = await db["query"]("select 1");
      const r3 = await (0, fetch)("https://y");
      await ctx.sleep(1);
      return [r1.status, r2.rowCount, r3.status, args];
    },
  },
});`,
        errors: [
          { messageId: "ioOutsideRun", line: 8, data: { call: "fetch(…)", ctx: "ctx", name: "fetch" } },
          { messageId: "ioOutsideRun", line: 9, data: { call: 'db["query"](…)', ctx: "ctx", name: "db.query" } },
          { messageId: "ioOutsideRun", line: 10, data: { call: "fetch(…)", ctx: "ctx", name: "fetch" } },
        ],
      },
      {
        name: "the same helper called from durable code as well (or exported) stays durable",
        code:
          header +
          `import nodemailer from "nodemailer";
const mailer = nodemailer.createTransport({ host: "smtp" });
async function sendReceipt(ctx: restate.Context, to: string) {
  ctx.console.log("sending receipt to " + to);
  await mailer.sendMail({ to, subject: "receipt" });
}
export async function notify(ctx: restate.Context, to: string) {
  await mailer.sendMail({ to, subject: "notice" });
}
export const receipts = restate.service({
  name: "receipts",
  handlers: {
    send: async (ctx: restate.Context, to: string) => {
      await ctx.run("email", () => sendReceipt(ctx, to));
      await sendReceipt(ctx, to);
      await ctx.run("notice", () => notify(ctx, to));
    },
  },
});`,
        errors: [
          {
            messageId: "ioOutsideRun",
            line: 6,
            data: { call: "mailer.sendMail(…)", ctx: "ctx", name: "mailer.sendMail" },
            suggestions: [{ messageId: "suggestRunVoid", data: { ctx: "ctx", name: "mailer.sendMail" }, output: SUGGESTED_RECEIPT }],
          },
          {
            messageId: "ioOutsideRun",
            line: 9,
            data: { call: "mailer.sendMail(…)", ctx: "ctx", name: "mailer.sendMail" },
            suggestions: [{ messageId: "suggestRunVoid", data: { ctx: "ctx", name: "mailer.sendMail" }, output: SUGGESTED_NOTICE }],
          },
        ],
      },
      {
        name: "modules and functions options: the user's own I/O modules and functions",
        options: [{ modules: ["./db", "@acme/*"], functions: ["sendEmail", "audit.write"] }],
        code:
          header +
          `import { saveOrder } from "./db";
import { publish } from "@acme/events";
import { sendEmail as mail } from "./mail";
import audit from "./audit";
export const orders = restate.service({
  name: "orders",
  handlers: {
    place: async (ctx: restate.Context, id: string) => {
      const saved = await saveOrder(id);
      const published = await publish("placed", id);
      const mailed = await mail("a@b.c", id);
      const audited = await audit.write(id);
      await ctx.sleep(1000);
      return [saved, published, mailed, audited];
    },
  },
});`,
        errors: [
          { messageId: "ioOutsideRun", line: 10, data: { call: "saveOrder(…)", ctx: "ctx", name: "saveOrder" } },
          { messageId: "ioOutsideRun", line: 11, data: { call: "publish(…)", ctx: "ctx", name: "publish" } },
          { messageId: "ioOutsideRun", line: 12, data: { call: "mail(…)", ctx: "ctx", name: "mail" } },
          { messageId: "ioOutsideRun", line: 13, data: { call: "audit.write(…)", ctx: "ctx", name: "audit.write" } },
        ],
      },
    ],
  });
}

// Only type information can see these: the client comes from a parameter whose type is declared by an I/O module.
typedRuleTester.run("no-side-effects-outside-run (typed only)", rule, {
  valid: [
    {
      name: "a FileHandle used inside ctx.run is fine",
      code: `import type { Context } from "@restatedev/restate-sdk";
import type { FileHandle } from "node:fs/promises";
export async function append(ctx: Context, file: FileHandle, line: string) {
  await ctx.run("append", async () => { await file.appendFile(line); });
}`,
    },
    {
      name: "methods of the fetch Response (declared by undici-types, not an I/O module) are not reported",
      code: `import type { Context } from "@restatedev/restate-sdk";
export async function parse(ctx: Context, res: Response) {
  return ctx.run("parse", () => res.text());
}`,
    },
  ],
  invalid: [
    {
      name: "a FileHandle parameter: its methods are declared in node:fs/promises",
      code: `import type { Context } from "@restatedev/restate-sdk";
import type { FileHandle } from "node:fs/promises";
export async function append(ctx: Context, file: FileHandle, line: string) {
  await file.appendFile(line);
  const size = (await file.stat()).size;
  return size;
}`,
      errors: [
        {
          messageId: "ioOutsideRun",
          line: 4,
          suggestions: [
            {
              messageId: "suggestRunVoid",
              data: { ctx: "ctx", name: "file.appendFile" },
              output: `import type { Context } from "@restatedev/restate-sdk";
import type { FileHandle } from "node:fs/promises";
export async function append(ctx: Context, file: FileHandle, line: string) {
  await ctx.run("file.appendFile", async () => { await file.appendFile(line); });
  const size = (await file.stat()).size;
  return size;
}`,
            },
          ],
        },
        { messageId: "ioOutsideRun", line: 5, suggestions: [] },
      ],
    },
    {
      name: "an awaited result that is plain data (a string) gets a suggestion that keeps it",
      code: `import type { Context } from "@restatedev/restate-sdk";
import { readFile } from "node:fs/promises";
export async function template(ctx: Context) {
  const text = await readFile("t.html", "utf8");
  return text.length;
}`,
      errors: [
        {
          messageId: "ioOutsideRun",
          line: 4,
          suggestions: [
            {
              messageId: "suggestRun",
              data: { ctx: "ctx", name: "readFile" },
              output: `import type { Context } from "@restatedev/restate-sdk";
import { readFile } from "node:fs/promises";
export async function template(ctx: Context) {
  const text = await ctx.run("readFile", () => readFile("t.html", "utf8"));
  return text.length;
}`,
            },
          ],
        },
      ],
    },
  ],
});

// ---- through helpers, classes and (typed) other modules -------------------------------------------------

const HELPERS = header + `import { writeFile } from "node:fs/promises";
async function loadRate(currency: string) {
  const res = await fetch("https://fx.example.com/" + currency);
  return Number(await res.text());
}
function convert(amount: number, currency: string) {
  return loadRate(currency).then((rate) => amount * rate);
}
const audit = {
  async write(line: string) { await writeFile("/tmp/audit.log", line); },
};
class Ledger {
  async record(amount: number) { await this.persist(String(amount)); }
  private async persist(line: string) { await audit.write(line); }
}
function countdown(n: number): Promise<void> | void {
  if (n > 0) return countdown(n - 1);
  return audit.write("done");
}
function isEven(n: number): boolean { return n === 0 ? true : isOdd(n - 1); }
function isOdd(n: number): boolean { return n === 0 ? false : isEven(n - 1); }
`;

for (const [mode, tester] of bothTesters) {
  tester.run(`no-side-effects-outside-run through calls (${mode})`, rule, {
    valid: [
      {
        name: "the helper itself is plain code (also called from routes and scripts): it gets no finding",
        code: HELPERS + `export async function script() { await loadRate("EUR"); await new Ledger().record(1); }`,
      },
      {
        name: "helpers called inside ctx.run actions run once: silent",
        code:
          HELPERS +
          `export const fx = restate.service({ name: "fx", handlers: {
  quote: async (ctx: restate.Context, amount: number) => {
    const rate = await ctx.run("rate", () => loadRate("EUR"));
    await ctx.run("audit", () => new Ledger().record(amount * rate));
    return amount * rate;
  },
}});`,
      },
      {
        name: "helpers that do no I/O, and mutual recursion without I/O, terminate and stay silent",
        code:
          HELPERS +
          `export const math = restate.service({ name: "math", handlers: {
  parity: async (ctx: restate.Context, n: number) => {
    const even = isEven(n);
    await ctx.set === undefined ? null : ctx.sleep(1);
    return even;
  },
}});`,
      },
      {
        name: "a helper that takes the context and journals its own work is durable code of its own, checked where it is",
        code:
          header +
          `async function charge(ctx: restate.Context, amount: number) {
  return ctx.run("charge", () => fetch("https://pay.example.com/" + amount).then((r) => r.status));
}
export const pay = restate.service({ name: "pay", handlers: {
  go: async (ctx: restate.Context, amount: number) => { await charge(ctx, amount); await ctx.sleep(10); },
}});`,
      },
      {
        name: "a function that only returns a closure doing I/O does none when called",
        code:
          header +
          `function makeFetcher(url: string) { return () => fetch(url); }
export const s = restate.service({ name: "s", handlers: {
  go: async (ctx: restate.Context) => { const f = makeFetcher("https://x"); await ctx.run("get", () => f()); await ctx.sleep(1); },
}});`,
      },
      {
        name: "the handler's last step through a helper (nothing journaled follows): a retry re-runs it as a run would",
        code:
          HELPERS +
          `export const fx = restate.service({ name: "fx", handlers: {
  quote: async (ctx: restate.Context, currency: string) => {
    await ctx.sleep(10);
    return loadRate(currency);
  },
}});`,
      },
    ],
    invalid: [
      {
        name: "a handler awaiting a plain helper that fetches, a helper chain through .then, an object of functions and a class method",
        code:
          HELPERS +
          `export const fx = restate.service({ name: "fx", handlers: {
  quote: async (ctx: restate.Context, amount: number) => {
    const rate = await loadRate("EUR");
    const total = await convert(amount, "USD");
    await audit.write("quoted");
    const ledger = new Ledger();
    await ledger.record(total);
    await countdown(3);
    await ctx.set === undefined ? null : ctx.sleep(1);
    return rate;
  },
}});`,
        errors: [
          { messageId: "ioThroughCall", line: 25, data: { call: "loadRate(…)", ctx: "ctx", chain: "`loadRate` → `fetch` (file.ts:4)" } },
          { messageId: "ioThroughCall", line: 26, data: { call: "convert(…)", ctx: "ctx", chain: "`convert` → `loadRate` → `fetch` (file.ts:4)" } },
          { messageId: "ioThroughCall", line: 27, data: { call: "audit.write(…)", ctx: "ctx", chain: "`audit.write` → `writeFile` (file.ts:11)" } },
          { messageId: "ioThroughCall", line: 29, data: { call: "ledger.record(…)", ctx: "ctx", chain: "`Ledger.record` → `Ledger.persist` → `audit.write` → `writeFile` (file.ts:11)" } },
          { messageId: "ioThroughCall", line: 30, data: { call: "countdown(…)", ctx: "ctx", chain: "`countdown` → `audit.write` → `writeFile` (file.ts:11)" } },
        ],
      },
      {
        name: "the same helper from a durable handler is reported, from ctx.run it is not",
        code:
          HELPERS +
          `export const fx = restate.service({ name: "fx", handlers: {
  quote: async (ctx: restate.Context) => {
    const a = await ctx.run("rate", () => loadRate("EUR"));
    const b = await loadRate("USD");
    await ctx.set === undefined ? null : ctx.sleep(1);
    return a + b;
  },
}});`,
        errors: [{ messageId: "ioThroughCall", line: 26 }],
      },
      {
        name: "a constructor that does I/O",
        code:
          header +
          `class Session { constructor(readonly id: string) { void fetch("https://audit.example.com/" + id); } }
export const s = restate.service({ name: "s", handlers: {
  go: async (ctx: restate.Context, id: string) => { const session = new Session(id); await ctx.sleep(1); return session.id; },
}});`,
        errors: [{ messageId: "ioThroughCall", line: 4, data: { call: "new Session(…)", ctx: "ctx", chain: "`new Session` → `fetch` (file.ts:2)" } }],
      },
    ],
  });
}

typedRuleTester.run("no-side-effects-outside-run across files (typed)", rule, {
  valid: [
    {
      name: "an imported pure helper (no I/O) stays silent",
      code: header + `import { round } from "./services/utils/fx.js";
export const s = restate.service({ name: "s", handlers: { go: async (ctx: restate.Context, n: number) => { const r = round(n); await ctx.sleep(1); return r; } } });`,
    },
    {
      name: "imported helpers called inside ctx.run stay silent",
      code: header + `import { getFxRate, Ledger } from "./services/utils/fx.js";
export const s = restate.service({ name: "s", handlers: { go: async (ctx: restate.Context) => {
  const r = await ctx.run("rate", () => getFxRate("EUR"));
  await ctx.run("record", () => new Ledger().record(r));
  await ctx.sleep(1);
  return r;
} } });`,
    },
  ],
  invalid: [
    {
      name: "named, namespace and re-exported (barrel) imports, and a method by the receiver's declared type",
      code: header + `import { getFxRate, Ledger } from "./services/utils/fx.js";
import * as utils from "./services/utils/index.js";
export class Billing { constructor(private readonly ledger: Ledger) {} }
export const s = restate.service({ name: "s", handlers: { go: async (ctx: restate.Context, ledger: Ledger) => {
  const a = await getFxRate("EUR");
  const b = await utils.rateOf("USD");
  await ledger.record(a + b);
  await ctx.sleep(1);
  return a;
} } });`,
      errors: [
        { messageId: "ioThroughCall", line: 6, data: { call: "getFxRate(…)", ctx: "ctx", chain: "`getFxRate` → `fetch` (fx.ts:5)" } },
        { messageId: "ioThroughCall", line: 7, data: { call: "utils.rateOf(…)", ctx: "ctx", chain: "`getFxRate` → `fetch` (fx.ts:5)" } },
        { messageId: "ioThroughCall", line: 8, data: { call: "ledger.record(…)", ctx: "ctx", chain: "`Ledger.record` → `Ledger.persist` → `audit` → `writeFile` (fx.ts:10)" } },
      ],
    },
    {
      name: "a class-based client wrapper held in another module's constant: its method is resolved by the receiver's declared type",
      code: header + `import { fx } from "./services/utils/fx-client.js";
export const s = restate.service({ name: "s", handlers: { go: async (ctx: restate.Context) => {
  const rate = await fx.rate("EUR");
  await ctx.set === undefined ? null : ctx.sleep(1);
  return rate;
} } });`,
      errors: [{ messageId: "ioThroughCall", line: 4, data: { call: "fx.rate(…)", ctx: "ctx", chain: "`FxClient.rate` → `FxClient.get` → `fetch` (fx-client.ts:11)" } }],
    },
  ],
});
