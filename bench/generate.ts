/**
 * A synthetic Restate code base for `npm run bench`, deterministic from a seed.
 *
 * `generate({ dir, files, seed })` writes `dir/src/*.ts`, a `tsconfig.json` and
 * a `node_modules` symlink to this checkout's (so typed runs see the real SDK
 * types). The mix, per file: services 18%, virtual objects 14%, workflows 8%,
 * helpers taking the context 12%, sagas 10%, plain non-Restate modules 38%.
 * Restate files import the SDK in several styles (namespace `restate`, another
 * namespace name, named imports with aliases), write handlers as arrow
 * properties and method shorthand, call helpers with `ctx`, use `ctx.run` with
 * `fetch` inside, `RestatePromise.all`, state and clients, and import plain
 * modules. The code is correct: `recommended` reports nothing on it, so the
 * bench measures the rules, not the reporter. `restate: false` writes only
 * plain modules (the non-Restate code base).
 *
 * `tsx bench/generate.ts <dir> <files> [seed]` writes one from the command line.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prng } from "../scripts/prng.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");

type Kind = "service" | "object" | "workflow" | "helpers" | "saga" | "plain";
const MIX: [Kind, number][] = [
  ["service", 0.18],
  ["object", 0.14],
  ["workflow", 0.08],
  ["helpers", 0.12],
  ["saga", 0.1],
  ["plain", 0.38],
];

class Gen {
  constructor(readonly rand: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)];
  }
  /** `n` distinct items, in their original order. */
  some<T>(items: readonly T[], n: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(n, items.length)) chosen.add(Math.floor(this.rand() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}

/** How a Restate file imports the SDK: the names it uses for each export. */
interface Style {
  header: string;
  ns: string; // prefix for namespace style ("restate."), "" for named imports
  Context: string;
  ObjectContext: string;
  ObjectSharedContext: string;
  WorkflowContext: string;
  WorkflowSharedContext: string;
  service: string;
  object: string;
  workflow: string;
  shared: string;
  TerminalError: string;
  RestatePromise: string;
}

function namespaceStyle(ns: string): Style {
  const p = `${ns}.`;
  return {
    header: `import * as ${ns} from "@restatedev/restate-sdk";`,
    ns: p,
    Context: `${p}Context`,
    ObjectContext: `${p}ObjectContext`,
    ObjectSharedContext: `${p}ObjectSharedContext`,
    WorkflowContext: `${p}WorkflowContext`,
    WorkflowSharedContext: `${p}WorkflowSharedContext`,
    service: `${p}service`,
    object: `${p}object`,
    workflow: `${p}workflow`,
    shared: `${p}handlers.object.shared`,
    TerminalError: `${p}TerminalError`,
    RestatePromise: `${p}RestatePromise`,
  };
}

const NAMED_STYLE: Style = {
  header: `import {
  service as defineService,
  object as defineObject,
  workflow as defineWorkflow,
  handlers,
  rpc,
  TerminalError as Fatal,
  RestatePromise,
  type Context as Ctx,
  type ObjectContext as ObjCtx,
  type ObjectSharedContext as SharedObjCtx,
  type WorkflowContext as WfCtx,
  type WorkflowSharedContext as SharedWfCtx,
} from "@restatedev/restate-sdk";`,
  ns: "",
  Context: "Ctx",
  ObjectContext: "ObjCtx",
  ObjectSharedContext: "SharedObjCtx",
  WorkflowContext: "WfCtx",
  WorkflowSharedContext: "SharedWfCtx",
  service: "defineService",
  object: "defineObject",
  workflow: "defineWorkflow",
  shared: "handlers.object.shared",
  TerminalError: "Fatal",
  RestatePromise: "RestatePromise",
};

function styleFor(g: Gen): Style {
  const r = g.rand();
  return r < 0.55 ? namespaceStyle("restate") : r < 0.7 ? namespaceStyle("sdk") : NAMED_STYLE;
}

/** Every file's kind and the indices of the files of each kind (for imports between them). */
interface Plan {
  kinds: Kind[];
  byKind: Record<Kind, number[]>;
}

const fileName = (kind: Kind, i: number) => `${kind}-${i}`;

// ---- plain, non-Restate modules -------------------------------------------

const PLAIN_PARTS: ((i: number, g: Gen) => string)[] = [
  (i) => `
export interface Money${i} {
  amount: number;
  currency: string;
}

export function formatMoney${i}(value: Money${i}): string {
  const fixed = (Math.round(value.amount * 100) / 100).toFixed(2);
  return \`\${fixed} \${value.currency}\`;
}

export function sumMoney${i}(values: readonly Money${i}[], currency: string): Money${i} {
  let amount = 0;
  for (const value of values) {
    if (value.currency !== currency) throw new Error(\`mixed currencies: \${value.currency} and \${currency}\`);
    amount += value.amount;
  }
  return { amount, currency };
}
`,
  (i) => `
export class Cache${i}<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();
  constructor(private readonly ttlMs: number) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  prune(): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expires < Date.now()) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
`,
  (i) => `
export async function readJson${i}<T>(path: string): Promise<T> {
  const raw = await readFile(path, "utf8");
  return JSON.parse(raw) as T;
}

export async function retry${i}<T>(attempts: number, action: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await action();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt + Math.random() * 10));
    }
  }
  throw last;
}
`,
  (i) => `
export type Level${i} = "debug" | "info" | "warn" | "error";

export function log${i}(level: Level${i}, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, at: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}

export function slugify${i}(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
`,
  (i) => `
export interface Page${i}<T> {
  items: T[];
  next: string | null;
}

export async function fetchAll${i}<T>(url: string, limit = 10): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = url;
  for (let page = 0; next !== null && page < limit; page++) {
    const response = await fetch(next);
    if (!response.ok) throw new Error(\`GET \${next}: \${response.status}\`);
    const body = (await response.json()) as Page${i}<T>;
    items.push(...body.items);
    next = body.next;
  }
  return items;
}

export function chunk${i}<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
`,
  (i) => `
export enum Status${i} {
  Pending = "pending",
  Active = "active",
  Closed = "closed",
}

export interface Account${i} {
  id: string;
  status: Status${i};
  balance: number;
  tags: string[];
}

export function validateAccount${i}(input: unknown): Account${i} {
  if (typeof input !== "object" || input === null) throw new TypeError("account must be an object");
  const record = input as Record<string, unknown>;
  if (typeof record.id !== "string") throw new TypeError("account.id must be a string");
  const status = Object.values(Status${i}).find((s) => s === record.status) ?? Status${i}.Pending;
  const balance = typeof record.balance === "number" ? record.balance : 0;
  const tags = Array.isArray(record.tags) ? record.tags.filter((t): t is string => typeof t === "string") : [];
  return { id: record.id, status, balance, tags };
}

export const groupByStatus${i} = (accounts: readonly Account${i}[]) =>
  accounts.reduce<Record<string, Account${i}[]>>((groups, account) => {
    (groups[account.status] ??= []).push(account);
    return groups;
  }, {});
`,
];

function plainFile(i: number, g: Gen): string {
  // Every plain module has the money helpers (other files import them), and one to three more parts.
  const parts = [PLAIN_PARTS[0], ...g.some(PLAIN_PARTS.slice(1), g.int(1, 3))];
  const usesFs = parts.includes(PLAIN_PARTS[2]);
  return [usesFs ? `import { readFile } from "node:fs/promises";\n` : "", ...parts.map((part) => part(i, g))].join("");
}

/** What Restate files import from a plain module. */
function plainImport(j: number): { names: string; use: (arg: string) => string } {
  return { names: `formatMoney${j}`, use: (arg) => `formatMoney${j}({ amount: ${arg}, currency: "EUR" })` };
}

// ---- Restate files ----------------------------------------------------------

function helpersFile(i: number, g: Gen, s: Style): string {
  const retries = g.int(2, 5);
  return `${s.header}

export interface Customer${i} {
  id: string;
  email: string;
  tier: "basic" | "gold";
}

/** Loads a customer once; replays read the journaled result. */
export async function loadCustomer${i}(ctx: ${s.Context}, id: string): Promise<Customer${i}> {
  return ctx.run(\`load customer \${id}\`, async () => {
    const response = await fetch(\`https://crm.example.com/customers/\${id}\`);
    if (response.status === 404) throw new ${s.TerminalError}(\`no customer \${id}\`);
    return (await response.json()) as Customer${i};
  }, { maxRetryAttempts: ${retries} });
}

export async function notify${i}(ctx: ${s.Context}, to: string, message: string): Promise<void> {
  const id = ctx.rand.uuidv4();
  await ctx.run("notify", async () => {
    await fetch("https://mail.example.com/send", { method: "POST", body: JSON.stringify({ id, to, message }) });
  });
}

export const audit${i} = async (ctx: ${s.Context}, event: string, detail: Record<string, string>): Promise<number> => {
  const at = await ctx.date.now();
  await ctx.run(\`audit \${event}\`, async () => {
    await fetch("https://audit.example.com/events", { method: "POST", body: JSON.stringify({ event, detail, at }) });
  });
  return at;
};
`;
}

interface Refs {
  helper: number | null;
  plain: number | null;
  service: number | null;
}

function refImports(r: Refs, s: Style): string {
  const lines: string[] = [];
  if (r.helper !== null) lines.push(`import { loadCustomer${r.helper}, notify${r.helper}, audit${r.helper} } from "./${fileName("helpers", r.helper)}.js";`);
  if (r.plain !== null) lines.push(`import { ${plainImport(r.plain).names} } from "./${fileName("plain", r.plain)}.js";`);
  if (r.service !== null) lines.push(`import { payments${r.service} } from "./${fileName("service", r.service)}.js";`);
  return [s.header, ...lines].join("\n");
}

function serviceFile(i: number, g: Gen, s: Style, r: Refs): string {
  const handlers: string[] = [];
  const arrow = (name: string, params: string, ret: string, body: string) =>
    g.rand() < 0.6 ? `    ${name}: async (${params}): Promise<${ret}> => {\n${body}\n    },` : `    async ${name}(${params}): Promise<${ret}> {\n${body}\n    },`;
  handlers.push(
    arrow(
      "charge",
      `ctx: ${s.Context}, req: ChargeRequest${i}`,
      "{ id: string; amount: string }",
      `      ${r.helper !== null ? `const customer = await loadCustomer${r.helper}(ctx, req.customerId);` : `const customer = { id: req.customerId, email: "", tier: "basic" };`}
      const id = ctx.rand.uuidv4();
      const receipt = await ctx.run("charge", async () => {
        const response = await fetch(\`https://pay.example.com/charges/\${id}\`, {
          method: "POST",
          body: JSON.stringify({ customer: customer.id, amount: req.amount }),
        });
        return (await response.json()) as { ok: boolean; reference: string };
      });
      if (!receipt.ok) throw new ${s.TerminalError}(\`payment \${id} declined\`);
      ${r.helper !== null ? `await notify${r.helper}(ctx, customer.email, \`charged \${req.amount}\`);` : ""}
      return { id: receipt.reference, amount: ${r.plain !== null ? plainImport(r.plain).use("req.amount") : "String(req.amount)"} };`,
    ),
  );
  handlers.push(
    arrow(
      "refund",
      `ctx: ${s.Context}, id: string`,
      "void",
      `      const status = await ctx.run(\`refund \${id}\`, async () => {
        const response = await fetch(\`https://pay.example.com/charges/\${id}/refund\`, { method: "POST" });
        return response.status;
      });
      if (status >= 400) throw new ${s.TerminalError}(\`refund of \${id} failed with \${status}\`);
      ${r.helper !== null ? `await audit${r.helper}(ctx, "refund", { id });` : ""}`,
    ),
  );
  if (g.rand() < 0.6)
    handlers.push(
      arrow(
        "quote",
        `ctx: ${s.Context}, items: { sku: string; qty: number }[]`,
        "number",
        `      const prices = await ${s.RestatePromise}.all(
        items.map((item) =>
          ctx.run(\`price \${item.sku}\`, async () => {
            const response = await fetch(\`https://catalog.example.com/prices/\${item.sku}\`);
            return Number(await response.text()) * item.qty;
          }),
        ),
      );
      let total = 0;
      for (const price of prices) total += price;
      return total;`,
      ),
    );
  if (g.rand() < 0.5)
    handlers.push(
      arrow(
        "remind",
        `ctx: ${s.Context}, req: { customerId: string; afterHours: number }`,
        "void",
        `      await ctx.sleep({ hours: req.afterHours });
      ctx.serviceSendClient(payments${i}).refund(req.customerId);`,
      ),
    );
  return `${refImports(r, s)}

interface ChargeRequest${i} {
  customerId: string;
  amount: number;
}

export const payments${i} = ${s.service}({
  name: "payments${i}",
  handlers: {
${handlers.join("\n")}
  },
});
`;
}

function objectFile(i: number, g: Gen, s: Style, r: Refs): string {
  const extra =
    g.rand() < 0.6
      ? `
    async checkout(ctx: ${s.ObjectContext}): Promise<string> {
      const lines = (await ctx.get<Line${i}[]>("lines")) ?? [];
      if (lines.length === 0) throw new ${s.TerminalError}("empty cart");
      const orderId = ctx.rand.uuidv4();
      ${r.service !== null ? `const charged = await ctx.serviceClient(payments${r.service}).charge({ customerId: ctx.key, amount: lines.length });` : `const charged = { id: orderId };`}
      await ctx.run("reserve", async () => {
        for (const line of lines) {
          await fetch(\`https://stock.example.com/reserve/\${line.sku}\`, { method: "POST", body: String(line.qty) });
        }
      });
      ctx.clearAll();
      return \`\${orderId}:\${charged.id}\`;
    },`
      : "";
  return `${refImports(r, s)}

interface Line${i} {
  sku: string;
  qty: number;
}

export const cart${i} = ${s.object}({
  name: "cart${i}",
  handlers: {
    add: async (ctx: ${s.ObjectContext}, line: Line${i}): Promise<number> => {
      const lines = (await ctx.get<Line${i}[]>("lines")) ?? [];
      const existing = lines.find((l) => l.sku === line.sku);
      if (existing) existing.qty += line.qty;
      else lines.push(line);
      ctx.set("lines", lines);
      const token = ctx.rand.uuidv4();
      ctx.set("token", token);
      ctx.objectSendClient(cart${i}, ctx.key).expire(token, ${s.ns}rpc.sendOpts({ delay: { hours: 1 } }));
      return lines.length;
    },
    expire: async (ctx: ${s.ObjectContext}, token: string): Promise<void> => {
      if ((await ctx.get<string>("token")) === token) ctx.clearAll();
    },${extra}
    get: ${s.shared}(async (ctx: ${s.ObjectSharedContext}): Promise<Line${i}[]> => (await ctx.get<Line${i}[]>("lines")) ?? []),
  },
});
`;
}

function workflowFile(i: number, _g: Gen, s: Style, r: Refs): string {
  return `${refImports(r, s)}

export const signup${i} = ${s.workflow}({
  name: "signup${i}",
  handlers: {
    run: async (ctx: ${s.WorkflowContext}, email: string): Promise<boolean> => {
      const secret = ctx.rand.uuidv4();
      ctx.set("status", "waiting");
      await ctx.run("send verification", async () => {
        await fetch("https://mail.example.com/send", { method: "POST", body: JSON.stringify({ email, secret }) });
      });
      const clicked = await ctx.promise<string>("link-clicked");
      const verified = clicked === secret;
      ctx.set("status", verified ? "verified" : "rejected");
      ${r.helper !== null ? `if (verified) await audit${r.helper}(ctx, "verified", { email });` : ""}
      return verified;
    },
    async click(ctx: ${s.WorkflowSharedContext}, secret: string): Promise<void> {
      await ctx.promise<string>("link-clicked").resolve(secret);
    },
    status: async (ctx: ${s.WorkflowSharedContext}): Promise<string> => (await ctx.get<string>("status")) ?? "pending",
  },
});
`;
}

function sagaFile(i: number, g: Gen, s: Style, r: Refs): string {
  const steps = g.some(["flight", "hotel", "car", "insurance"], g.int(2, 4));
  const body = steps
    .map(
      (step) => `        compensations.push(() => ctx.run("cancel ${step}", () => cancel${i}("${step}", trip.id)));
        await ctx.run("book ${step}", () => book${i}("${step}", trip.id));`,
    )
    .join("\n");
  return `${refImports(r, s)}

interface Trip${i} {
  id: string;
  customerId: string;
}

async function book${i}(kind: string, tripId: string): Promise<string> {
  const response = await fetch(\`https://travel.example.com/\${kind}/\${tripId}\`, { method: "POST" });
  if (response.status === 409) throw new ${s.TerminalError}(\`no \${kind} available\`);
  return response.text();
}

async function cancel${i}(kind: string, tripId: string): Promise<void> {
  await fetch(\`https://travel.example.com/\${kind}/\${tripId}\`, { method: "DELETE" });
}

export const trips${i} = ${s.service}({
  name: "trips${i}",
  handlers: {
    book: async (ctx: ${s.Context}, trip: Trip${i}): Promise<string> => {
      const compensations: (() => Promise<unknown>)[] = [];
      try {
${body}
        ${r.helper !== null ? `await notify${r.helper}(ctx, trip.customerId, "booked");` : ""}
        return trip.id;
      } catch (e) {
        if (e instanceof ${s.TerminalError}) {
          for (const compensation of compensations.reverse()) await compensation();
        }
        throw e;
      }
    },
  },
});
`;
}

export interface GenerateOptions {
  dir: string;
  files: number;
  seed?: number;
  /** false: only plain, non-Restate modules. */
  restate?: boolean;
}

/** Writes the code base; returns the absolute paths of its source files. */
export function generate({ dir, files, seed = 1, restate = true }: GenerateOptions): string[] {
  const g = new Gen(prng(seed));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] },
        include: ["src"],
      },
      null,
      2,
    ),
  );

  // The plan: each file's kind, so imports can name files of a kind.
  const plan: Plan = { kinds: [], byKind: { service: [], object: [], workflow: [], helpers: [], saga: [], plain: [] } };
  for (let n = 0; n < files; n++) {
    let kind: Kind = "plain";
    if (restate) {
      let x = g.rand();
      for (const [k, p] of MIX) {
        kind = k;
        if ((x -= p) < 0) break;
      }
    }
    plan.kinds.push(kind);
    plan.byKind[kind].push(n);
  }
  const pickOf = (kind: Kind, p: number) => (plan.byKind[kind].length > 0 && g.rand() < p ? g.pick(plan.byKind[kind]) : null);

  const paths: string[] = [];
  plan.kinds.forEach((kind, n) => {
    let text: string;
    if (kind === "plain") text = plainFile(n, g);
    else {
      const s = styleFor(g);
      const refs: Refs = { helper: pickOf("helpers", 0.7), plain: pickOf("plain", 0.6), service: kind === "object" ? pickOf("service", 0.7) : null };
      text =
        kind === "service" ? serviceFile(n, g, s, refs)
        : kind === "object" ? objectFile(n, g, s, refs)
        : kind === "workflow" ? workflowFile(n, g, s, refs)
        : kind === "saga" ? sagaFile(n, g, s, refs)
        : helpersFile(n, g, s);
    }
    const path = join(dir, "src", `${fileName(kind, n)}.ts`);
    writeFileSync(path, text);
    paths.push(path);
  });
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, files, seed] = process.argv.slice(2);
  const paths = generate({ dir: resolve(dir ?? ".bench/gen"), files: Number(files ?? 100), seed: Number(seed ?? 1) });
  console.log(`wrote ${paths.length} files to ${resolve(dir ?? ".bench/gen")}`);
}
