import rule from "../../rules/shared-handler-registration.js";
import { join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { bothTesters, typedFixtureDir } from "../rule-tester.js";

const header = `import * as restate from "@restatedev/restate-sdk";\n`;

for (const [mode, tester] of bothTesters) {
  tester.run(`shared-handler-registration (${mode})`, rule, {
    valid: [
      {
        name: "a shared-annotated handler registered with restate.handlers.object.shared is shared",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => { ctx.set("n", n); },
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get<number>("n")),
  },
});`,
      },
      {
        name: "named handlers import under an alias, with handler options",
        code: `import { object, handlers as h, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const counter = object({
  name: "counter",
  handlers: {
    get: h.object.shared({ journalRetention: { days: 1 } }, async (ctx: ObjectSharedContext) => ctx.get<number>("n")),
  },
});`,
      },
      {
        name: "an unannotated or exclusive-annotated plain handler in object() is meant to be exclusive",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => { ctx.set("n", n); },
    reset: async (ctx) => { ctx.clearAll(); },
  },
});`,
      },
      {
        name: "inside workflow() every plain function except run is already shared",
        code:
          header +
          `export const signup = restate.workflow({
  name: "signup",
  handlers: {
    run: async (ctx: restate.WorkflowContext) => { await ctx.promise<string>("email").get(); },
    status: async (ctx: restate.WorkflowSharedContext) => ctx.get<string>("status"),
    legacy: async (ctx: restate.ObjectSharedContext) => ctx.get<string>("status"),
  },
});`,
      },
      {
        name: "the workflow's run annotated shared still is the run handler: the annotation only narrows the API, nothing queues",
        code:
          header +
          `export const wf = restate.workflow({
  name: "wf",
  handlers: { run: async (ctx: restate.WorkflowSharedContext) => ctx.key },
});`,
      },
      {
        name: "a service handler annotated with a shared context is a service handler (no key, no lock)",
        code:
          header +
          `export const svc = restate.service({
  name: "svc",
  handlers: { a: async (ctx: restate.ObjectSharedContext) => 1 },
});`,
      },
      {
        name: "a handler explicitly wrapped exclusive is the author's explicit choice",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: { get: restate.handlers.object.exclusive(async (ctx: restate.ObjectSharedContext) => ctx.get<number>("n")) },
});`,
      },
      {
        name: "a shared helper (not registered) may take ObjectSharedContext",
        code:
          header +
          `async function readCount(ctx: restate.ObjectSharedContext) { return (await ctx.get<number>("n")) ?? 0; }
export const counter = restate.object({
  name: "counter",
  handlers: { add: async (ctx: restate.ObjectContext) => { ctx.set("n", (await readCount(ctx)) + 1); } },
});`,
      },
      {
        name: "a type-only import of the context is not the SDK value, but the annotation still resolves; this file has no object()",
        code: `import type { ObjectSharedContext } from "@restatedev/restate-sdk";
export async function get(ctx: ObjectSharedContext) { return ctx.get<number>("n"); }`,
      },
    ],
    invalid: [
      {
        name: "arrow property annotated ObjectSharedContext in object() is registered exclusive (namespace import)",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    get: async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("n")) ?? 0,
  },
});`,
        output:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("n")) ?? 0),
  },
});`,
        errors: [{ messageId: "registeredExclusive", line: 5 }],
      },
      {
        name: "method shorthand becomes a wrapped function expression",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    async get(ctx: restate.ObjectSharedContext<{ n: number }>): Promise<number> {
      return (await ctx.get("n")) ?? 0;
    },
  },
});`,
        output:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    get: restate.handlers.object.shared(async function (ctx: restate.ObjectSharedContext<{ n: number }>): Promise<number> {
      return (await ctx.get("n")) ?? 0;
    }),
  },
});`,
        errors: [{ messageId: "registeredExclusive", line: 5 }],
      },
      {
        name: "named imports: `handlers` is added to the SDK import; a local type alias of the shared context counts",
        code: `import { object as virtualObject, type ObjectSharedContext as Shared } from "@restatedev/restate-sdk";
type ReadCtx = Shared<{ n: number }>;
export const counter = virtualObject({
  name: "counter",
  handlers: {
    get: async (ctx: ReadCtx) => ctx.get("n"),
  },
});`,
        output: `import { object as virtualObject, type ObjectSharedContext as Shared, handlers } from "@restatedev/restate-sdk";
type ReadCtx = Shared<{ n: number }>;
export const counter = virtualObject({
  name: "counter",
  handlers: {
    get: handlers.object.shared(async (ctx: ReadCtx) => ctx.get("n")),
  },
});`,
        errors: [{ messageId: "registeredExclusive", line: 6 }],
      },
      {
        name: "an existing `handlers` import alias is reused; a function declared elsewhere is wrapped where it is registered",
        code: `import { object, handlers as h, type ObjectSharedContext } from "@restatedev/restate-sdk";
async function getCount(ctx: ObjectSharedContext) { return ctx.get<number>("n"); }
const peek = async (ctx: ObjectSharedContext) => ctx.get<number>("n");
export const counter = object({
  name: "counter",
  handlers: { get: getCount, peek },
});`,
        output: `import { object, handlers as h, type ObjectSharedContext } from "@restatedev/restate-sdk";
async function getCount(ctx: ObjectSharedContext) { return ctx.get<number>("n"); }
const peek = async (ctx: ObjectSharedContext) => ctx.get<number>("n");
export const counter = object({
  name: "counter",
  handlers: { get: h.object.shared(getCount), peek: h.object.shared(peek) },
});`,
        errors: [
          { messageId: "registeredExclusive", line: 6 },
          { messageId: "registeredExclusive", line: 6 },
        ],
      },
      {
        name: "a method whose body uses `this` gets a suggestion, not an autofix (`this` would lose its type in a function expression)",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    async get(ctx: restate.ObjectSharedContext) {
      return this.format(await ctx.get<number>("n"));
    },
    format: async (ctx: restate.ObjectContext, n: number | null) => String(n),
  },
});`,
        output: null,
        errors: [
          {
            messageId: "registeredExclusive",
            line: 5,
            suggestions: [
              {
                messageId: "wrapShared",
                data: { handler: "get", object: "counter", type: "restate.ObjectSharedContext", wrapper: "restate.handlers.object.shared" },
                output:
                  header +
                  `export const counter = restate.object({
  name: "counter",
  handlers: {
    get: restate.handlers.object.shared(async function (ctx: restate.ObjectSharedContext) {
      return this.format(await ctx.get<number>("n"));
    }),
    format: async (ctx: restate.ObjectContext, n: number | null) => String(n),
  },
});`,
              },
            ],
          },
        ],
      },
      {
        // A nested function has its own `this` and `arguments`: the method's receiver is not used, the autofix is safe.
        name: "`this` and `arguments` inside a nested function (and `this` in a comment) do not block the autofix",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    async get(ctx: restate.ObjectSharedContext) {
      // this reads the count without the lock
      function label(this: { unit: string }, n: number | null) { return \`\${n ?? 0} \${this.unit} (\${arguments.length})\`; }
      return label.call({ unit: "items" }, await ctx.get<number>("n"));
    },
  },
});`,
        output:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    get: restate.handlers.object.shared(async function (ctx: restate.ObjectSharedContext) {
      // this reads the count without the lock
      function label(this: { unit: string }, n: number | null) { return \`\${n ?? 0} \${this.unit} (\${arguments.length})\`; }
      return label.call({ unit: "items" }, await ctx.get<number>("n"));
    }),
  },
});`,
        errors: [{ messageId: "registeredExclusive", line: 5 }],
      },
      {
        // An arrow function shares the method's `arguments`: in a function expression they would still be the handler's, but the rule does not rely on it.
        name: "`arguments` inside a nested arrow function is the method's own: a suggestion, not an autofix",
        code:
          header +
          `export const counter = restate.object({
  name: "counter",
  handlers: {
    async get(ctx: restate.ObjectSharedContext) {
      const count = () => arguments.length;
      return count();
    },
  },
});`,
        output: null,
        errors: [
          {
            messageId: "registeredExclusive",
            line: 5,
            suggestions: [
              {
                messageId: "wrapShared",
                output:
                  header +
                  `export const counter = restate.object({
  name: "counter",
  handlers: {
    get: restate.handlers.object.shared(async function (ctx: restate.ObjectSharedContext) {
      const count = () => arguments.length;
      return count();
    }),
  },
});`,
              },
            ],
          },
        ],
      },
      {
        name: "handlers spread from a local object; `handlers` already names something else, so no fix is offered",
        code: `import { object, type ObjectSharedContext } from "@restatedev/restate-sdk";
const handlers = { get: async (ctx: ObjectSharedContext) => ctx.get<number>("n") };
export const counter = object({ name: "counter", handlers: { ...handlers } });`,
        output: null,
        errors: [{ messageId: "registeredExclusive", line: 2 }],
      },
      {
        name: "WorkflowSharedContext on an object handler is just as exclusive",
        code:
          header +
          `export const o = restate.object({ name: "o", handlers: { get: async (ctx: restate.WorkflowSharedContext) => 1 } });`,
        output: null,
        errors: [
          {
            messageId: "registeredExclusive",
            suggestions: [
              {
                messageId: "wrapShared",
                output:
                  header +
                  `export const o = restate.object({ name: "o", handlers: { get: restate.handlers.object.shared(async (ctx: restate.WorkflowSharedContext) => 1) } });`,
              },
            ],
          },
        ],
      },
    ],
  });
}

/**
 * RuleTester does not type-check fix output: apply the autofix with ESLint and
 * compile the result with TypeScript against the real SDK declarations.
 */
describe("shared-handler-registration: fixed files type-check with the real SDK types", () => {
  const cases: [string, string][] = [
    [
      "arrow property, namespace import, typed state",
      header +
        `export const counter = restate.object({
  name: "counter",
  handlers: {
    add: async (ctx: restate.ObjectContext<{ n: number }>, n: number) => { ctx.set("n", n); },
    get: async (ctx: restate.ObjectSharedContext<{ n: number }>) => (await ctx.get("n")) ?? 0,
  },
});`,
    ],
    [
      "method shorthand with an input and an explicit return type",
      header +
        `export const counter = restate.object({
  name: "counter",
  handlers: {
    async lookup(ctx: restate.ObjectSharedContext, field: string): Promise<string | null> {
      return ctx.get<string>(field);
    },
  },
});`,
    ],
    [
      "named imports: handlers added; references and shorthand wrapped",
      `import { object as virtualObject, type ObjectSharedContext as Shared } from "@restatedev/restate-sdk";
type ReadCtx = Shared<{ n: number }>;
async function getCount(ctx: ReadCtx) { return ctx.get("n"); }
const peek = async (ctx: ReadCtx) => ctx.get("n");
export const counter = virtualObject({
  name: "counter",
  handlers: { get: getCount, peek, async other(ctx: Shared) { return ctx.key; } },
});`,
    ],
    [
      "method shorthand whose nested function uses its own `this` and `arguments`",
      header +
        `export const counter = restate.object({
  name: "counter",
  handlers: {
    async get(ctx: restate.ObjectSharedContext) {
      function label(this: { unit: string }, n: number | null) { return \`\${n ?? 0} \${this.unit} (\${arguments.length})\`; }
      return label.call({ unit: "items" }, await ctx.get<number>("n"));
    },
  },
});`,
    ],
  ];
  const config = ts.readConfigFile(join(typedFixtureDir, "tsconfig.json"), ts.sys.readFile).config;
  const options = ts.parseJsonConfigFileContent(config, ts.sys, typedFixtureDir).options;
  it("the check itself sees type errors (a shared handler wrapped as exclusive-only code would fail)", () => {
    const broken = header + `export const o = restate.object({ name: "o", handlers: { get: restate.handlers.object.shared(async (ctx: restate.ObjectContext) => { ctx.set("n", 1); }) } });`;
    expect(diagnostics(broken, options)).not.toEqual([]);
  });
  for (const [name, code] of cases) {
    it(name, () => {
      const linter = new Linter({ configType: "flat" });
      const fixed = linter.verifyAndFix(
        code,
        [
          {
            files: ["**/*.ts"],
            languageOptions: { parser: tsParser },
            plugins: { restate: { rules: { "shared-handler-registration": rule } } as never },
            rules: { "restate/shared-handler-registration": "error" },
          },
        ],
        "example.ts",
      );
      expect(fixed.fixed, name).toBe(true);
      expect(fixed.messages).toEqual([]);
      const before = diagnostics(code, options);
      expect(before, "the input must type-check").toEqual([]);
      expect(diagnostics(fixed.output, options), fixed.output).toEqual([]);
    });
  }
});

let previous: ts.Program | undefined;
const sdkFiles = new Map<string, ts.SourceFile | undefined>();

function diagnostics(code: string, options: ts.CompilerOptions): string[] {
  const fileName = join(typedFixtureDir, "fix-output.ts");
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) =>
    file === fileName
      ? ts.createSourceFile(file, code, language)
      : sdkFiles.get(file) ?? sdkFiles.set(file, getSourceFile(file, language, ...rest)).get(file);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === fileName || fileExists(file);
  const program = ts.createProgram({ rootNames: [fileName], options: { ...options, noUnusedLocals: false }, host, oldProgram: previous });
  previous = program;
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(fileName))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
