/**
 * One way to resolve names (issue 10, item 5): what an expression refers to
 * (core/globals.ts), what a never-reassigned local holds (core/ast.ts), and how
 * a file spells an export of a module (core/spelling.ts). Unit tests of the
 * core functions on parsed code; the rules are tested through them.
 */
import * as tsParser from "@typescript-eslint/parser";
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { classDefinition, constantBinding, constantValueOf, variableOf } from "../../core/ast.js";
import { isGlobalReference, resolveApi } from "../../core/globals.js";
import { ImportIndex } from "../../core/imports.js";
import { matchNondeterministicCall } from "../../core/nondeterminism.js";
import { SDK_MODULES } from "../../core/sdk.js";
import { exportSpelling } from "../../core/spelling.js";

interface Parsed {
  readonly sourceCode: TSESLint.SourceCode;
  readonly imports: ImportIndex;
  /** The first call whose callee is written exactly `callee`. */
  call(callee: string): TSESTree.CallExpression;
  /** The first identifier named `name`. */
  identifier(name: string): TSESTree.Identifier;
  calls(): TSESTree.CallExpression[];
}

function parse(code: string): Parsed {
  let sourceCode: TSESLint.SourceCode | undefined;
  const probe: TSESLint.RuleModule<string, []> = {
    meta: { type: "problem", messages: {}, schema: [] },
    defaultOptions: [],
    create(context) {
      sourceCode = context.sourceCode;
      return {};
    },
  };
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    code,
    [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { t: { rules: { probe } } as never }, rules: { "t/probe": "error" } }],
    "file.ts",
  );
  expect(messages).toEqual([]);
  const sc = sourceCode!;
  const nodes: TSESTree.Node[] = [];
  const visit = (node: TSESTree.Node) => {
    nodes.push(node);
    for (const key of Object.keys(node) as (keyof typeof node)[]) {
      if (key === "parent") continue;
      const value = node[key] as unknown;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === "object" && typeof (child as { type?: unknown }).type === "string") visit(child as TSESTree.Node);
      }
    }
  };
  visit(sc.ast);
  const calls = () => nodes.filter((n): n is TSESTree.CallExpression => n.type === AST_NODE_TYPES.CallExpression);
  return {
    sourceCode: sc,
    imports: new ImportIndex(sc.ast, sc.scopeManager!),
    calls,
    call(callee) {
      const found = calls().find((c) => sc.getText(c.callee) === callee);
      if (!found) throw new Error(`no call of ${callee}`);
      return found;
    },
    identifier(name) {
      const found = nodes.find((n): n is TSESTree.Identifier => n.type === AST_NODE_TYPES.Identifier && n.name === name);
      if (!found) throw new Error(`no identifier ${name}`);
      return found;
    },
  };
}

/** resolveApi's answer for the callee of the first call written `callee`, as `module:path` (`global:` for globals). */
function resolvedCallee(parsed: Parsed, callee: string): string | null {
  const reference = resolveApi(parsed.sourceCode, parsed.imports, parsed.call(callee).callee);
  return reference ? `${reference.module ?? "global"}:${reference.path.join(".")}` : null;
}

describe("resolveApi: what a callee refers to", () => {
  it("a global read directly, through the global object, or through any of its names", () => {
    const p = parse(`
      Date.now(); globalThis.Date.now(); global.Math.random(); self.crypto.randomUUID(); globalThis.globalThis.performance.now();
    `);
    expect(resolvedCallee(p, "Date.now")).toBe("global:Date.now");
    expect(resolvedCallee(p, "globalThis.Date.now")).toBe("global:Date.now");
    expect(resolvedCallee(p, "global.Math.random")).toBe("global:Math.random");
    expect(resolvedCallee(p, "self.crypto.randomUUID")).toBe("global:crypto.randomUUID");
    expect(resolvedCallee(p, "globalThis.globalThis.performance.now")).toBe("global:performance.now");
  });

  it("a global through a never-reassigned alias: destructured, renamed, nested, or the object held in a const", () => {
    const p = parse(`
      const { now } = Date;
      const { random: draw } = Math;
      const M = Math;
      const { hrtime: { bigint } } = process;
      const g = globalThis;
      const { randomUUID } = g.crypto;
      let c = crypto;
      now(); draw(); M.random(); bigint(); g.Date.now(); randomUUID(); c.getRandomValues(new Uint8Array(4));
    `);
    expect(resolvedCallee(p, "now")).toBe("global:Date.now");
    expect(resolvedCallee(p, "draw")).toBe("global:Math.random");
    expect(resolvedCallee(p, "M.random")).toBe("global:Math.random");
    expect(resolvedCallee(p, "bigint")).toBe("global:process.hrtime.bigint");
    expect(resolvedCallee(p, "g.Date.now")).toBe("global:Date.now");
    expect(resolvedCallee(p, "randomUUID")).toBe("global:crypto.randomUUID");
    expect(resolvedCallee(p, "c.getRandomValues")).toBe("global:crypto.getRandomValues");
    const aliased = resolveApi(p.sourceCode, p.imports, p.call("now").callee)!;
    expect(aliased.aliased).toBe(true);
    expect(aliased.root.name).toBe("now");
  });

  it("a module export under any import style, also through an alias of the import", () => {
    const p = parse(`
      import * as nodeCrypto from "node:crypto";
      import { setTimeout as wait } from "node:timers/promises";
      const { randomUUID } = nodeCrypto;
      const { v4 } = require("uuid");
      randomUUID(); wait(10); v4(); nodeCrypto.randomBytes(8);
    `);
    expect(resolvedCallee(p, "randomUUID")).toBe("crypto:randomUUID");
    expect(resolvedCallee(p, "wait")).toBe("timers/promises:setTimeout");
    expect(resolvedCallee(p, "v4")).toBe("uuid:v4");
    expect(resolvedCallee(p, "nodeCrypto.randomBytes")).toBe("crypto:randomBytes");
    const reference = resolveApi(p.sourceCode, p.imports, p.call("randomUUID").callee)!;
    expect(reference.binding?.local).toBe("nodeCrypto");
    expect(reference.aliased).toBe(true);
  });

  it("nothing for shadowing locals, parameters, reassigned aliases, computed values and the global object alone", () => {
    const p = parse(`
      function f(Date: { now(): number }) { return Date.now(); }
      function g() { const Math = { random: () => 4 }; return Math.random(); }
      let M = Math; M = { random: () => 4 } as Math; M.random();
      const { now } = makeClock(); now();
      const clock = () => Date; clock().now();
      globalThis();
    `);
    expect(resolvedCallee(p, "Date.now")).toBeNull();
    expect(resolvedCallee(p, "Math.random")).toBeNull();
    expect(resolvedCallee(p, "M.random")).toBeNull();
    expect(resolvedCallee(p, "now")).toBeNull();
    expect(resolvedCallee(p, "clock().now")).toBeNull();
    expect(resolvedCallee(p, "globalThis")).toBeNull();
  });

  it("alias cycles end without an answer", () => {
    const p = parse(`
      // @ts-nocheck
      var a = b, b = a;
      a.now();
    `);
    expect(resolvedCallee(p, "a.now")).toBeNull();
  });

  it("agrees with typescript-eslint's ReferenceTracker on every call the tracker finds, and finds no other", () => {
    const code = `
      const { now } = Date;
      const M = Math;
      const { random: draw } = M;
      const { crypto: webCrypto } = globalThis;
      function handler(Date: unknown) { return (Date as { now(): number }).now(); }
      now(); M.random(); draw(); globalThis.Date.now(); webCrypto.randomUUID(); globalThis.performance.now();
      Date.UTC(2020, 1); Math.max(1, 2);
    `;
    const p = parse(code);
    const { CALL } = ASTUtils.ReferenceTracker;
    const traceMap = {
      Date: { now: { [CALL]: "Date.now" } },
      Math: { random: { [CALL]: "Math.random" } },
      crypto: { randomUUID: { [CALL]: "crypto.randomUUID" } },
      performance: { now: { [CALL]: "performance.now" } },
    };
    const tracker = new ASTUtils.ReferenceTracker(p.sourceCode.scopeManager!.globalScope!);
    const tracked = new Map<TSESTree.Node, string>();
    for (const { node, info } of tracker.iterateGlobalReferences(traceMap)) tracked.set(node, info as string);
    expect(tracked.size).toBe(6);
    const wanted = new Set(Object.values(traceMap).flatMap((entry) => Object.values(entry).map((leaf) => leaf[CALL])));
    for (const call of p.calls()) {
      const reference = resolveApi(p.sourceCode, p.imports, call.callee);
      const path = reference && reference.module === null ? reference.path.join(".") : null;
      expect(path !== null && wanted.has(path) ? path : undefined, p.sourceCode.getText(call)).toBe(tracked.get(call));
    }
  });
});

describe("matchNondeterministicCall resolves through resolveApi", () => {
  it("recognises aliased clocks, random numbers and ids", () => {
    const p = parse(`
      import { randomUUID as id } from "node:crypto";
      const { now } = Date;
      const M = Math;
      const { v4 } = require("uuid");
      now(); M.random(); globalThis.Date.now(); id(); v4();
    `);
    const name = (callee: string) => matchNondeterministicCall(p.sourceCode, p.imports, p.call(callee))?.api.name ?? null;
    expect(name("now")).toBe("Date.now");
    expect(name("M.random")).toBe("Math.random");
    expect(name("globalThis.Date.now")).toBe("Date.now");
    expect(name("id")).toBe("crypto.randomUUID");
    expect(name("v4")).toBe("uuid.v4");
  });

  it("keeps the import binding for an alias of an import, so the import is not removed while the alias uses it", () => {
    const p = parse(`
      import * as c from "crypto";
      const { randomUUID } = c;
      randomUUID();
    `);
    const match = matchNondeterministicCall(p.sourceCode, p.imports, p.call("randomUUID"))!;
    expect(match.binding?.local).toBe("c");
    expect(match.root.name).toBe("randomUUID");
  });
});

describe("isGlobalReference", () => {
  it("is true for an undeclared or lib name and false for one the file declares anywhere up the scope chain", () => {
    const p = parse(`
      setTimeout(() => {}, 1);
      function f() { const setInterval = (g: () => void) => g(); setInterval(() => {}); }
    `);
    expect(isGlobalReference(p.sourceCode, p.call("setTimeout").callee as TSESTree.Identifier)).toBe(true);
    expect(isGlobalReference(p.sourceCode, p.call("setInterval").callee as TSESTree.Identifier)).toBe(false);
  });
});

describe("constantBinding: a never-reassigned local and its initialiser", () => {
  it("gives the initialiser and the destructuring path, through defaults and wrappers", () => {
    const p = parse(`
      declare const ctx: any;
      const { promise } = ctx.awakeable();
      const { a: { b = 1 } } = source();
      const p = ctx.run("x") as Promise<string>;
      let once = 1;
      promise; b; p; once;
    `);
    const of = (name: string) => constantBinding(variableOf(p.sourceCode, p.identifier(name)));
    expect(of("promise")?.path).toEqual(["promise"]);
    expect(p.sourceCode.getText(of("promise")!.init)).toBe("ctx.awakeable()");
    expect(of("b")?.path).toEqual(["a", "b"]);
    expect(p.sourceCode.getText(of("p")!.init)).toBe('ctx.run("x")');
    expect(of("once")?.path).toEqual([]);
  });

  it("is null for reassigned lets, parameters, loop variables and rest patterns; constantValueOf also takes function declarations", () => {
    const p = parse(`
      let later = 1; later = 2;
      function f(param: number) { for (const item of [1]) { item; } return param; }
      const { ...rest } = { a: 1 };
      later; rest;
    `);
    const of = (name: string) => constantBinding(variableOf(p.sourceCode, p.identifier(name)));
    expect(of("later")).toBeNull();
    expect(of("param")).toBeNull();
    expect(of("item")).toBeNull();
    expect(of("rest")).toBeNull();
    expect(constantValueOf(p.sourceCode, p.identifier("f"))?.type).toBe(AST_NODE_TYPES.FunctionDeclaration);
  });
});

describe("classDefinition: the class a local name denotes", () => {
  it("is the declaration or the class expression of a never-reassigned const, and null otherwise", () => {
    const p = parse(`
      function use() { return [Ledger, Clock, Swapped, made, Imported]; }
      import { Imported } from "./elsewhere";
      class Ledger { static open() {} }
      const Clock = class { now() {} };
      let Swapped = class {}; Swapped = class {};
      const made = new Ledger();
    `);
    const of = (name: string) => classDefinition(variableOf(p.sourceCode, p.identifier(name)));
    expect(of("Ledger")?.type).toBe(AST_NODE_TYPES.ClassDeclaration);
    expect(of("Clock")?.type).toBe(AST_NODE_TYPES.ClassExpression);
    expect(of("Swapped")).toBeNull();
    expect(of("made")).toBeNull();
    expect(of("Imported")).toBeNull();
  });
});

describe("exportSpelling: an SDK export in the file's import style", () => {
  const spell = (code: string, name = "RestatePromise", options = { aliases: ["CombineablePromise"], addImport: true }) => {
    const p = parse(code);
    const at = p.call("use");
    const spelling = exportSpelling(p.imports, p.sourceCode, at, SDK_MODULES, name, options);
    if (!spelling) return null;
    let edited = p.sourceCode.text;
    if (spelling.importFix) {
      const fix = spelling.importFix({ insertTextAfter: (node: TSESTree.Node, text: string) => ({ range: [node.range[1], node.range[1]], text }) } as never);
      edited = edited.slice(0, fix.range[0]) + fix.text + edited.slice(fix.range[1]);
    }
    return { text: spelling.text, imports: edited.split("\n").filter((line) => line.includes("import")).map((line) => line.trim()) };
  };

  it("uses an existing named import under its alias, or an equivalent export", () => {
    expect(spell(`import { RestatePromise as RP } from "@restatedev/restate-sdk"; use();`)?.text).toBe("RP");
    expect(spell(`import { CombineablePromise } from "@restatedev/restate-sdk"; use();`)?.text).toBe("CombineablePromise");
  });

  it("writes it through a namespace import or require", () => {
    expect(spell(`import * as restate from "@restatedev/restate-sdk"; use();`)?.text).toBe("restate.RestatePromise");
    expect(spell(`const sdk = require("@restatedev/restate-sdk/fetch"); use();`)?.text).toBe("sdk.RestatePromise");
  });

  it("adds it to an existing named value import when nothing names it yet", () => {
    expect(spell(`import { service } from "@restatedev/restate-sdk"; use();`)).toEqual({
      text: "RestatePromise",
      imports: [`import { service, RestatePromise } from "@restatedev/restate-sdk"; use();`],
    });
  });

  it("never uses type-only imports, shadowed imports or a taken name", () => {
    expect(spell(`import type { RestatePromise } from "@restatedev/restate-sdk"; use();`)).toBeNull();
    expect(spell(`import { type RestatePromise, service } from "@restatedev/restate-sdk"; use();`)).toBeNull();
    expect(spell(`import * as restate from "@restatedev/restate-sdk"; function f(restate: unknown) { use(); }`)).toBeNull();
    expect(spell(`import { service } from "@restatedev/restate-sdk"; function f() { const RestatePromise = 1; use(); }`)).toBeNull();
    expect(spell(`import { service } from "@restatedev/restate-sdk"; use(); RestatePromise;`)).toBeNull();
  });

  it("adds nothing unless asked (TerminalError in a message, restate-guard's helpers)", () => {
    expect(spell(`import { service } from "@restatedev/restate-sdk"; use();`, "TerminalError", { aliases: [], addImport: false })).toBeNull();
    expect(spell(`import { TerminalError as Terminal } from "@restatedev/restate-sdk"; use();`, "TerminalError", { aliases: [], addImport: false })?.text).toBe("Terminal");
  });
});
