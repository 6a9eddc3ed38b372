/**
 * Fuzz inputs for the rules, derived from real Restate code: the example shop
 * (correct and buggy), the `ts incorrect` / `ts correct` blocks of the rule
 * docs and the typed fixture. Each source is cut into small units (a function,
 * a handler property, a registration call, an object, a statement, a class),
 * then mutated: placed in odd places (classes, decorators, generators,
 * namespaces, JSX, `declare` files, labelled loops, `using` declarations,
 * computed keys, spread arguments, nested registrations…), rewritten
 * (optional chaining everywhere, unicode and escaped identifiers, one long
 * line), spliced into another unit, and damaged at the token level
 * (truncations, deletions, swaps, duplications, insertions).
 *
 * Everything is a pure function of a seed: `fuzzInput(units, seed, i)` is the
 * i-th input of a run, so a failure reproduces from the seed and index alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { exampleBlocks } from "../../scripts/docs-lib.js";
import { prng } from "../../scripts/prng.js";

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)];

export interface Source {
  /** e.g. `fixtures/shop/src/cart.ts` or `docs/rules/no-native-timers.md#3` */
  origin: string;
  code: string;
}

/** Every source the fuzzer starts from. */
export function loadSources(root: string): Source[] {
  const sources: Source[] = [];
  for (const dir of ["fixtures/shop/src", "fixtures/shop-buggy/src", "tests/typed-fixture"]) {
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts")).sort()) {
      sources.push({ origin: `${dir}/${file}`, code: readFileSync(join(root, dir, file), "utf8") });
    }
  }
  const docs = join(root, "docs", "rules");
  for (const file of readdirSync(docs).filter((f) => f.endsWith(".md")).sort()) {
    exampleBlocks(readFileSync(join(docs, file), "utf8")).forEach((block, i) => {
      sources.push({ origin: `docs/rules/${file}#${i}`, code: block.code });
    });
  }
  return sources;
}

/**
 * A piece of a source: `expr` is an expression, `stmt` one or more
 * statements, `prop` an object member (a handler), `body` statements taken
 * from a function body (they expect a `ctx` in scope), `file` a whole source.
 */
export interface Unit {
  origin: string;
  shape: "expr" | "stmt" | "prop" | "body" | "file";
  text: string;
  /** The source's imports and short ambient/type declarations, so the unit still sees the SDK. */
  header: string;
  /** For `prop`: the member's name and the same member written as a class member. */
  name?: string;
  member?: string;
}

const MAX_UNIT = 2400;

/** Cuts each source into units. */
export function extractUnits(sources: Source[]): Unit[] {
  const units: Unit[] = [];
  for (const { origin, code } of sources) {
    const file = ts.createSourceFile("unit.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const header = file.statements
      .filter(
        (s) =>
          ts.isImportDeclaration(s) ||
          ts.isImportEqualsDeclaration(s) ||
          ((ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s) || isDeclare(s)) && s.getText().length < 400),
      )
      .map((s) => s.getText())
      .join("\n");
    units.push({ origin, shape: "file", text: code, header: "" });
    const add = (shape: Unit["shape"], node: ts.Node, extra: Partial<Unit> = {}) => {
      const text = node.getText(file);
      if (text.length > 0 && text.length <= MAX_UNIT) units.push({ origin, shape, text, header, ...extra });
    };
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement)) add("stmt", statement);
    }
    const visit = (node: ts.Node) => {
      if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) add("stmt", node);
      else if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isObjectLiteralExpression(node)) add("expr", node);
      else if (ts.isCallExpression(node) && /(^|\.)(service|object|workflow|run|all|then)$/.test(node.expression.getText(file))) {
        add("expr", node);
      } else if (
        (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isShorthandPropertyAssignment(node)) &&
        ts.isObjectLiteralExpression(node.parent)
      ) {
        const name = node.name.getText(file);
        const member = ts.isPropertyAssignment(node)
          ? `${name} = ${node.initializer.getText(file)};`
          : ts.isShorthandPropertyAssignment(node)
            ? `${name} = ${name};`
            : node.getText(file);
        add("prop", node, { name, member });
      }
      if ((ts.isFunctionLike(node) || ts.isArrowFunction(node)) && "body" in node && node.body && ts.isBlock(node.body as ts.Node)) {
        const body = node.body as ts.Block;
        for (const s of body.statements) add("body", s);
        // Runs of consecutive statements: loops, sagas and try/catch depend on what comes before.
        for (let i = 0; i + 1 < body.statements.length; i += 2) {
          const text = code.slice(body.statements[i].getStart(file), body.statements[Math.min(i + 3, body.statements.length - 1)].end);
          if (text.length <= MAX_UNIT) units.push({ origin, shape: "body", text, header });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return units;
}

function isDeclare(s: ts.Statement): boolean {
  return ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}

export interface Token {
  start: number;
  end: number;
  kind: ts.SyntaxKind;
}

/** Tokens of a text, with template literals and regular expressions re-scanned as well as a scanner alone can. */
export function tokenize(text: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const tokens: Token[] = [];
  const braces: boolean[] = []; // true: this `{` opened a template substitution
  let previous = ts.SyntaxKind.Unknown;
  for (let n = 0; n < 100_000; n++) {
    let kind = scanner.scan();
    if (kind === ts.SyntaxKind.EndOfFileToken) break;
    if (kind === ts.SyntaxKind.CloseBraceToken && braces.pop()) {
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateMiddle) braces.push(true);
    } else if (kind === ts.SyntaxKind.TemplateHead) braces.push(true);
    else if (kind === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    else if (
      (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) &&
      !(previous === ts.SyntaxKind.Identifier || previous === ts.SyntaxKind.CloseParenToken || previous === ts.SyntaxKind.CloseBracketToken || previous === ts.SyntaxKind.NumericLiteral)
    ) {
      kind = scanner.reScanSlashToken();
    }
    tokens.push({ start: scanner.getTokenStart(), end: scanner.getTokenEnd(), kind });
    previous = kind;
  }
  return tokens;
}

const POOL = [
  "{", "}", "(", ")", "[", "]", ",", ";", "=>", "...", "?.", ".", "await", "async", "yield", "return", "new", "this", "super",
  "ctx", "restate", "ctx.run", "ctx.sleep(1)", "Date.now()", "Math.random()", "console.log", "new Map()", "Promise.all",
  "function", "class", "static", "@", "#p", "<", ">", "=", "!", "?", ":", "as any", "satisfies", "`", "${", "'", "\"", "/",
  "0n", "1e999", "import", "export", "declare", "namespace", "enum", "using", "get", "set", "in", "of", "delete", "typeof",
  "\u00e9", "\u{1d4b3}", "\\u0063tx", "/*", "*/", "//", "\n", "<div>", "</div>", "accessor", "abstract", "readonly",
];

const KEYWORD_SWAPS = ["await", "yield", "this", "super", "arguments", "ctx", "restate", "undefined", "null", "eval", "new.target", "import.meta"];

/** One token-level damage of `text`; returns the damaged text and its name. */
export function damage(text: string, r: Random): [string, string] {
  const tokens = tokenize(text);
  if (tokens.length < 2) return [text.slice(0, int(r, text.length + 1)), "truncate"];
  const t = () => tokens[int(r, tokens.length)];
  const splice = (start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);
  switch (int(r, 10)) {
    case 0:
      return [text.slice(0, int(r, text.length + 1)), "truncate"];
    case 1: {
      const cut = t();
      return [text.slice(0, cut.end), "truncate-at-token"];
    }
    case 2: {
      const i = int(r, tokens.length);
      const j = Math.min(tokens.length - 1, i + int(r, 3));
      return [splice(tokens[i].start, tokens[j].end, ""), "delete-tokens"];
    }
    case 3: {
      // Delete a bracketed range: an argument list, a block, an array.
      const opens = tokens.map((tok, i) => [tok, i] as const).filter(([tok]) => [ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.OpenBracketToken].includes(tok.kind));
      if (opens.length === 0) return damage(text, r);
      const [, i] = pick(r, opens);
      let depth = 0;
      let j = i;
      for (; j < tokens.length; j++) {
        const k = tokens[j].kind;
        if (k === ts.SyntaxKind.OpenBraceToken || k === ts.SyntaxKind.OpenParenToken || k === ts.SyntaxKind.OpenBracketToken) depth++;
        if (k === ts.SyntaxKind.CloseBraceToken || k === ts.SyntaxKind.CloseParenToken || k === ts.SyntaxKind.CloseBracketToken) depth--;
        if (depth === 0) break;
      }
      const keepBrackets = r() < 0.5;
      const end = tokens[Math.min(j, tokens.length - 1)];
      return keepBrackets
        ? [splice(tokens[i].end, end.start, ""), "empty-brackets"]
        : [splice(tokens[i].start, end.end, ""), "delete-brackets"];
    }
    case 4: {
      const i = int(r, tokens.length - 1);
      const [a, b] = [tokens[i], tokens[i + 1]];
      return [text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end), "swap-adjacent"];
    }
    case 5: {
      let [a, b] = [t(), t()];
      if (a.start > b.start) [a, b] = [b, a];
      if (a === b) return damage(text, r);
      return [text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end), "swap-tokens"];
    }
    case 6: {
      const a = t();
      const b = tokens[Math.min(tokens.length - 1, tokens.indexOf(a) + int(r, 8))];
      return [splice(b.end, b.end, " " + text.slice(a.start, b.end)), "duplicate-tokens"];
    }
    case 7: {
      const a = t();
      return [splice(a.start, a.start, ` ${pick(r, POOL)} `), "insert-token"];
    }
    case 8: {
      const ids = tokens.filter((tok) => tok.kind === ts.SyntaxKind.Identifier);
      if (ids.length < 2) return damage(text, r);
      const a = pick(r, ids);
      const replacement = r() < 0.5 ? text.slice(pick(r, ids).start, pick(r, ids).end) : pick(r, KEYWORD_SWAPS);
      return [splice(a.start, a.end, replacement), "replace-identifier"];
    }
    default: {
      // Move a token somewhere else.
      const a = t();
      const b = t();
      const moved = text.slice(a.start, a.end);
      const without = splice(a.start, a.end, "");
      const at = b.start > a.start ? b.start - (a.end - a.start) : b.start;
      return [without.slice(0, at) + moved + " " + without.slice(at), "move-token"];
    }
  }
}

interface Edit {
  at: number;
  end: number;
  text: string;
}

/** Applies the edits `edits` proposes for each node, outermost first, skipping any that overlap one already taken. */
function editNodes(text: string, edits: (node: ts.Node, file: ts.SourceFile) => Edit[]): string {
  const file = ts.createSourceFile("m.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const taken: Edit[] = [];
  const visit = (node: ts.Node) => {
    for (const edit of edits(node, file)) {
      if (!taken.some((t) => edit.at < t.end && t.at < edit.end)) taken.push(edit);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = text;
  for (const edit of taken.sort((a, b) => b.at - a.at || b.end - a.end)) out = out.slice(0, edit.at) + edit.text + out.slice(edit.end);
  return out;
}

function isAssignmentTarget(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
    ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) ||
    ts.isDeleteExpression(parent) || ts.isForInStatement(parent) || ts.isForOfStatement(parent) || ts.isArrayLiteralExpression(parent) || ts.isShorthandPropertyAssignment(parent)
  );
}

/** Rewrites that keep the code meaningful but unusual. */
const REWRITES: Record<string, (text: string, r: Random) => string> = {
  "optional-chaining": (text) =>
    editNodes(text, (node, file) => {
      if (ts.isPropertyAccessExpression(node) && !node.questionDotToken && !isAssignmentTarget(node) && !ts.isDecorator(node.parent)) {
        return [{ at: node.name.getStart(file) - 1, end: node.name.getStart(file), text: "?." }];
      }
      if (ts.isCallExpression(node) && !node.questionDotToken && node.expression.kind !== ts.SyntaxKind.SuperKeyword && node.expression.kind !== ts.SyntaxKind.ImportKeyword && !ts.isDecorator(node.parent)) {
        return [{ at: node.expression.end, end: node.expression.end, text: "?." }];
      }
      return [];
    }),
  "unicode-identifiers": (text, r) => {
    const tokens = tokenize(text).filter((tok) => tok.kind === ts.SyntaxKind.Identifier);
    if (tokens.length === 0) return text;
    const name = text.slice(pick(r, tokens).start, pick(r, tokens).end);
    const renamed = pick(r, [`${name}\u00fc`, `\u{1d4b8}${name}`, `${name}\u0CA0_\u0CA0`, `\u00e9${name}`, `${name}\u200c`]);
    let out = "";
    let last = 0;
    for (const tok of tokens) {
      if (text.slice(tok.start, tok.end) !== name) continue;
      out += text.slice(last, tok.start) + renamed;
      last = tok.end;
    }
    return out + text.slice(last);
  },
  // `\u0063tx` is the identifier `ctx` written differently: scope analysis sees the name, the text does not.
  "escaped-identifiers": (text, r) => {
    const tokens = tokenize(text).filter((tok) => tok.kind === ts.SyntaxKind.Identifier);
    let out = "";
    let last = 0;
    for (const tok of tokens) {
      if (r() > 0.3) continue;
      const name = text.slice(tok.start, tok.end);
      if (!/^[a-zA-Z]/.test(name)) continue;
      const code = name.charCodeAt(0).toString(16).padStart(4, "0");
      out += text.slice(last, tok.start) + (r() < 0.5 ? `\\u${code}` : `\\u{${code}}`) + name.slice(1);
      last = tok.end;
    }
    return out + text.slice(last);
  },
  "one-long-line": (text) => text.replace(/\/\/[^\n]*/g, "").replace(/\s*\n\s*/g, " "),
  "crlf-and-tabs": (text) => text.replace(/\n/g, "\r\n").replace(/ {2}/g, "\t"),
  "computed-keys": (text) =>
    editNodes(text, (node, file) =>
      (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && ts.isIdentifier(node.name) && ts.isObjectLiteralExpression(node.parent)
        ? [{ at: node.name.getStart(file), end: node.name.end, text: `["${node.name.text}"]` }]
        : ts.isShorthandPropertyAssignment(node)
          ? [{ at: node.name.getStart(file), end: node.name.end, text: `["${node.name.text}"]: ${node.name.text}` }]
          : [],
    ),
  "spread-args": (text) =>
    editNodes(text, (node, file) =>
      (ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments && node.arguments.length > 0 && node.expression.kind !== ts.SyntaxKind.ImportKeyword
        ? [{ at: node.arguments[0].getStart(file), end: node.arguments.end, text: `...[${text.slice(node.arguments[0].getStart(file), node.arguments.end)}] as const` }]
        : [],
    ),
  "bracket-members": (text) => text.replace(/\.(run|sleep|get|set|objectClient|serviceClient|awakeable|promise|rand|date|console|then)\b/g, (_m, name: string) => `["${name}"]`),
  "parenthesised": (text) => text.replace(/\bctx\b(?!\s*:)/g, () => "((ctx))"),
};

const EXPRESSION_POOL = [
  "ctx", "ctx.run(() => 1)", "ctx.run(\"step\", async () => Date.now())", "ctx.sleep({ seconds: 1 })", "ctx.awakeable().promise", "ctx.get(\"k\")",
  "ctx.set(\"k\", new Map())", "ctx.objectClient(cart, ctx.key).getCart()", "ctx.serviceSendClient({ name: \"s\" }).h()", "ctx.promise(\"p\").get()",
  "ctx.rand.uuidv4()", "ctx.date.now()", "new Map([[1, 2]])", "new Set()", "Date.now()", "Math.random()", "new Date()", "crypto.randomUUID()",
  "Promise.all([ctx.run(() => 1), ctx.sleep(1)])", "restate.RestatePromise.all([])", "ctx.run(() => 1).then((x) => x)", "setTimeout(() => {}, 1)",
  "console.log(ctx)", "fetch(\"http://x\")", "connect({ url: \"\" })", "restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 1)",
  "restate.object({ name: \"o\", handlers: {} })", "new restate.TerminalError(\"x\")", "compensations.push(() => ctx.run(() => 1))",
  "async (ctx: restate.Context) => { await ctx.run(() => 1); }", "function (this: any) { return this; }", "class { m() { return ctx; } }",
  "(ctx as any)", "ctx!", "ctx?.run?.(() => 1)", "ctx[\"run\"](() => 1)", "(0, ctx.run)(() => 1)", "ctx.run", "ctx.run(...args)",
  "undefined", "null", "this", "arguments", "1n", "`${ctx.key}`", "/re/g", "[]", "{}", "{ ...ctx }", "[...new Map().values()]", "void 0",
  "await ctx.sleep(1)", "yield ctx", "import(\"@restatedev/restate-sdk\")", "require(\"@restatedev/restate-sdk\")", "new.target", "import.meta.url",
];

const STATEMENT_WRAPS = [
  (s: string) => `if (Math.random() > 0.5) { ${s} }`,
  (s: string) => `try { ${s} } catch (e) { if (e instanceof restate.TerminalError) { ${s} } throw e; } finally {}`,
  (s: string) => `for (const [k, v] of new Map<string, any>()) { ${s} }`,
  (s: string) => `for (const k in {}) { ${s} }`,
  (s: string) => `lbl: { ${s} break lbl; }`,
  (s: string) => `{ ${s} }`,
  (s: string) => `switch (1) { case 1: ${s} default: break; }`,
  (s: string) => `while (false) { ${s} }`,
  (s: string) => `do { ${s} } while (0);`,
  (s: string) => `await ctx.run(async () => { ${s} });`,
  (s: string) => `(async () => { ${s} })();`,
  (s: string) => `function inner(this: any) { ${s} }`,
];

const PARAMETER_LISTS = ["(...args: any[])", "({ ctx }: any)", "(ctx = restate as any)", "()", "(ctx: restate.ObjectContext, ctx2: restate.Context)", "(this: any, ctx: restate.Context)", "([ctx]: any)", "(ctx?: restate.Context)", "(ctx: restate.Context | undefined)"];

const MEMBER_NAMES = ["run", "sleep", "get", "set", "clear", "clearAll", "objectClient", "objectSendClient", "serviceClient", "workflowClient", "awakeable", "promise", "then", "map", "orTimeout", "key", "rand", "date", "console", "request", "genericCall", "resolveAwakeable", "attach"];

function isStatementNode(node: ts.Node): node is ts.Statement {
  return ts.isBlock(node.parent) || ts.isSourceFile(node.parent) || ts.isModuleBlock(node.parent) || ts.isCaseClause(node.parent) || ts.isDefaultClause(node.parent);
}

function isNamedDeclaration(parent: ts.Node, name: ts.Node): boolean {
  return (
    (ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isClassExpression(parent) || ts.isFunctionExpression(parent) ||
      ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) ||
      ts.isEnumDeclaration(parent) || ts.isEnumMember(parent) || ts.isModuleDeclaration(parent) || ts.isInterfaceDeclaration(parent) ||
      ts.isTypeAliasDeclaration(parent) || ts.isTypeParameterDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) ||
      ts.isImportClause(parent) || ts.isImportEqualsDeclaration(parent) || ts.isNamespaceExport(parent)) &&
    (parent as ts.NamedDeclaration).name === name
  );
}

function isExpressionNode(node: ts.Node): node is ts.Expression {
  return (
    ts.isIdentifier(node) || ts.isCallExpression(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ||
    ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node) ||
    ts.isAwaitExpression(node) || ts.isNewExpression(node) || ts.isStringLiteral(node) || ts.isNumericLiteral(node) ||
    ts.isTemplateExpression(node) || ts.isBinaryExpression(node) || ts.isConditionalExpression(node) || ts.isParenthesizedExpression(node)
  ) && !ts.isSourceFile(node.parent) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node) &&
    !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !ts.isTypeNode(node.parent) &&
    !(ts.isParameter(node.parent) && node.parent.name === node) && !(ts.isVariableDeclaration(node.parent) && node.parent.name === node) &&
    !ts.isImportSpecifier(node.parent) && !ts.isNamespaceImport(node.parent) && !ts.isImportDeclaration(node.parent) &&
    !(ts.isIdentifier(node) && (isNamedDeclaration(node.parent, node) || ts.isBindingElement(node.parent) || ts.isLabeledStatement(node.parent) ||
      ts.isBreakOrContinueStatement(node.parent) || ts.isShorthandPropertyAssignment(node.parent) || ts.isExportSpecifier(node.parent) ||
      ts.isQualifiedName(node.parent) || ts.isTypeReferenceNode(node.parent) || ts.isExpressionWithTypeArguments(node.parent)));
}

/**
 * A mutation that keeps the code well-formed (mostly): an expression replaced
 * with an interesting one or with another unit, statements deleted,
 * duplicated, swapped or wrapped, parameters and member names changed,
 * `async` toggled. Wrong programs the parser accepts reach much deeper into
 * the rules than text that does not parse.
 */
export function rewriteNode(text: string, r: Random, others: readonly Unit[]): [string, string] {
  const file = ts.createSourceFile("m.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const expressions: ts.Expression[] = [];
  const statements: ts.Statement[] = [];
  const functions: ts.SignatureDeclaration[] = [];
  const members: ts.MemberName[] = [];
  const visit = (node: ts.Node) => {
    if (node !== file) {
      if (isStatementNode(node)) statements.push(node);
      else if (isExpressionNode(node)) expressions.push(node);
      if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) functions.push(node);
      if (ts.isPropertyAccessExpression(node)) members.push(node.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const replace = (node: ts.Node, by: string) => text.slice(0, node.getStart(file)) + by + text.slice(node.end);
  const kind = int(r, 8);
  if (kind <= 1 && expressions.length) {
    const target = pick(r, expressions);
    const other = others.length && r() < 0.3 ? pick(r, others.filter((u) => u.shape === "expr")) : undefined;
    return [replace(target, `(${other ? other.text : pick(r, EXPRESSION_POOL)})`), "replace-expression"];
  }
  if (kind === 2 && statements.length) return [replace(pick(r, statements), ""), "delete-statement"];
  if (kind === 3 && statements.length) {
    const s = pick(r, statements);
    return [replace(s, `${s.getText(file)}\n${s.getText(file)}`), "duplicate-statement"];
  }
  if (kind === 4 && statements.length > 1) {
    const a = pick(r, statements);
    const siblings = statements.filter((s) => s.parent === a.parent && s !== a);
    if (siblings.length) {
      let [x, y] = [a, pick(r, siblings)];
      if (x.pos > y.pos) [x, y] = [y, x];
      const [xs, ys] = [x.getStart(file), y.getStart(file)];
      return [text.slice(0, xs) + y.getText(file) + text.slice(x.end, ys) + x.getText(file) + text.slice(y.end), "swap-statements"];
    }
  }
  const inBlocks = statements.filter((s) => !ts.isSourceFile(s.parent));
  if (kind === 5 && inBlocks.length) {
    const s = pick(r, inBlocks);
    return [replace(s, pick(r, STATEMENT_WRAPS)(s.getText(file))), "wrap-statement"];
  }
  if (kind === 6 && functions.length) {
    const f = pick(r, functions);
    const params = f.parameters;
    const open = params.pos - 1;
    if (r() < 0.5 && text[open] === "(") {
      const close = text.indexOf(")", params.end);
      if (close > 0) return [text.slice(0, open) + pick(r, PARAMETER_LISTS) + text.slice(close + 1), "replace-parameters"];
    }
    const asyncModifier = (ts.canHaveModifiers(f) ? ts.getModifiers(f) : undefined)?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    return asyncModifier
      ? [text.slice(0, asyncModifier.getStart(file)) + text.slice(asyncModifier.end), "remove-async"]
      : [text.slice(0, f.getStart(file)) + "async " + text.slice(f.getStart(file)), "add-async"];
  }
  if (members.length) return [replace(pick(r, members), pick(r, MEMBER_NAMES)), "rename-member"];
  return damage(text, r);
}

const HANDLER_PARAM = ["ctx: restate.Context", "ctx: restate.ObjectContext", "ctx: restate.ObjectSharedContext", "ctx: restate.WorkflowContext", "ctx", "ctx: any", "{ ctx }: { ctx: restate.ObjectContext }"];

/** A unit as an expression. */
function asExpression(unit: Unit, r: Random): string {
  switch (unit.shape) {
    case "expr":
      return `(${unit.text})`;
    case "prop":
      return `({ ${unit.text} })`;
    case "body":
      return `(async (${pick(r, HANDLER_PARAM)}) => { ${unit.text} })`;
    default:
      return `(() => { ${unit.text} })`;
  }
}

/** A unit as statements. */
function asStatements(unit: Unit, r: Random): string {
  switch (unit.shape) {
    case "stmt":
    case "file":
      return unit.text;
    case "body":
      return `export async function f${int(r, 100)}(${pick(r, HANDLER_PARAM)}) {\n${unit.text}\n}`;
    default:
      return `export const v${int(r, 100)} = ${asExpression(unit, r)};`;
  }
}

/** A unit as an object member (a handler). */
function asMember(unit: Unit, r: Random): string {
  return unit.shape === "prop" ? unit.text : `h${int(r, 10)}: ${asExpression(unit, r)}`;
}

type Placement = (unit: Unit, r: Random, other: Unit) => { code: string; ext?: string };

/** Odd places to put a unit. */
/** Stands in for the unit where a placement has more than one slot: one copy of the unit per input keeps inputs small. */
const STUB = "(async (ctx: restate.Context) => ctx.run(() => 1))";

const PLACEMENTS: Record<string, Placement> = {
  plain: (u, r) => ({ code: asStatements(u, r) }),
  "service-handler": (u, r) => ({ code: `export const svc = restate.${pick(r, ["service", "object", "workflow"])}({ name: "svc", handlers: { ${asMember(u, r)} } });` }),
  "shared-wrapper": (u, r) => ({ code: `export const o = restate.object({ name: "o", handlers: { h: restate.handlers.object.${pick(r, ["shared", "exclusive"])}({ ingressPrivate: true }, ${asExpression(u, r)}), ...{ h9: ${STUB} } } });` }),
  "workflow-wrappers": (u, r) => ({ code: `export const w = restate.workflow({ name: "w", handlers: { run: restate.handlers.workflow.workflow(${asExpression(u, r)}), q: restate.handlers.workflow.shared(${STUB}) } });` }),
  "class-methods": (u, r) => {
    const member = u.member ?? `h = ${asExpression(u, r)};`;
    const name = u.name ?? "h";
    return {
      code: `class Handlers {\n  ${member}\n  static s = ${STUB};\n  #p = 1;\n  accessor a = 2;\n  static { const z = ${STUB}; }\n}\nexport const o = restate.object({ name: "o", handlers: ${pick(r, [`new Handlers() as any`, `{ ...Handlers.prototype } as any`, `{ ${/^[\w$]+$/.test(name) ? `${name}: new Handlers().${name}` : "x: 1"} }`, `{ ...new Handlers() }`])} });`,
    };
  },
  decorators: (u, r) => ({
    code: `const dec = (...a: any[]) => a[0];\n@dec @(${asExpression(u, r)} as any) export class K {\n  @dec m(@dec p: any) { return ${STUB}; }\n  @dec static h = ${STUB};\n  @dec get g() { return 1; }\n}`,
  }),
  generators: (u, r) => ({
    code: `export function* g(ctx: restate.Context) { yield ${asExpression(u, r)}; yield* [${STUB}]; }\nexport async function* ag(ctx: restate.ObjectContext) { for await (const x of [${STUB}]) yield x; }\nexport const os = restate.service({ name: "s", handlers: { *gen(ctx: restate.Context) { yield ${STUB}; }, async *agen(ctx: restate.Context) { yield* ag(ctx as any); } } as any });`,
  }),
  namespace: (u, r) => ({ code: `export namespace N {\n  ${asStatements(u, r)}\n  export namespace M { export const y = ${asExpression(u, r)}; }\n}\nmodule Legacy { export const z = 1; }` }),
  "declare-file": (u, r) => ({
    code: pick(r, [
      `declare module "m" {\n${asStatements(u, r)}\n}`,
      `declare namespace D {\n${asStatements(u, r)}\n}\ndeclare global { var g: typeof D; }`,
      `export declare const x: any;\ndeclare function f(ctx: restate.Context): void;\n${asStatements(u, r)}`,
    ]),
    ext: ".d.ts",
  }),
  labelled: (u, r) => ({
    code: `export async function lab(${pick(r, HANDLER_PARAM)}) {\n  outer: for (const [k, v] of new Map<string, any>()) {\n    inner: { const x = ${asExpression(u, r)}; if (x) break inner; continue outer; }\n    lbl: ${u.shape === "body" ? `{ ${u.text} }` : asExpression(u, r)}\n  }\n}`,
  }),
  using: (u, r) => ({
    code: `export async function use(${pick(r, HANDLER_PARAM)}) {\n  using res = { [Symbol.dispose]() {}, v: ${asExpression(u, r)} };\n  await using q = ${STUB} as any;\n  for (using z of [] as any[]) {}\n}`,
  }),
  jsx: (u, r) => ({
    code: `export const el = <div onClick={${asExpression(u, r)}} data-x={${STUB}}>{${STUB}}<span {...{ h9: ${STUB} }} /><></></div>;\nexport const s = restate.service({ name: "s", handlers: { h: async (ctx: restate.Context) => <p>{Date.now()}{${STUB}}</p> } });`,
    ext: ".tsx",
  }),
  "computed-key": (u, r) => ({ code: `const k = "h";\nexport const o = restate.object({ name: "o", handlers: { [k]: ${asExpression(u, r)}, [\`\${k}2\`]: ${STUB}, [Symbol.iterator]: ${STUB} } });` }),
  "spread-registration": (u, r) => ({ code: `export const s = restate.service(...[{ name: "s", handlers: { ${asMember(u, r)} } }] as const);\nexport const t = (restate as any)?.object?.({ name: "t", handlers: { ...{ h9: ${STUB} } } });` }),
  "default-param": (u, r) => ({ code: `export async function f(ctx: restate.Context, h = ${asExpression(u, r)}, { a = ${STUB} } = {} as any, ...rest: any[]) { return [h, a, rest]; }` }),
  "in-run-action": (u, r) => ({ code: `export async function f(${pick(r, HANDLER_PARAM)}) {\n  await ctx.run("r", async () => { ${u.shape === "body" ? u.text : `return ${asExpression(u, r)};`} });\n  ctx.run(() => ${STUB});\n}` }),
  "in-map-loop": (u, r) => ({ code: `export async function f(${pick(r, HANDLER_PARAM)}) {\n  const m = new Map<string, any>();\n  for (const [k, v] of m) { ${u.shape === "body" ? u.text : `await (${asExpression(u, r)} as any)(ctx, k);`} }\n  m.forEach(async (v) => { ${u.shape === "body" ? u.text : asExpression(u, r)} });\n}` }),
  "in-saga": (u, r) => ({ code: `export async function f(ctx: restate.WorkflowContext) {\n  const compensations: Array<() => Promise<unknown>> = [];\n  try {\n    compensations.push(${asExpression(u, r)} as any);\n    ${u.shape === "body" ? u.text : ""}\n  } catch (e) {\n    if (e instanceof restate.TerminalError) { for (const c of compensations.reverse()) await c(); }\n    throw e;\n  } finally { ${u.shape === "body" ? u.text : ""} }\n}` }),
  "nested-registration": (u, r) => ({ code: `export const outer = restate.service({ name: "outer", handlers: { h: async (ctx: restate.Context) => {\n  const inner = restate.object({ name: "inner", handlers: { ${asMember(u, r)} } });\n  await ctx.run(() => restate.service({ name: "x", handlers: { h9: ${STUB} } }));\n  return inner;\n} } });` }),
  "iife-and-sloppy": (u, r) => ({
    code: `var ctx: any = ${asExpression(u, r)};\nfunction sloppy() { arguments; if (1) { function inner() {} } for (var i in ctx) { delete ctx[i]; } do { void ${STUB}; } while (0); switch (1) { case 1: typeof ctx; default: } return (0, ctx)(); }\nvoid (async () => ${STUB})();\nexport default (${STUB} as any)?.(ctx)?.[0]!;`,
  }),
  "getter-setter": (u, r) => ({ code: `export const o = restate.service({ name: "s", handlers: { get h() { return ${asExpression(u, r)}; }, set h(v: any) { v = ${STUB}; } } as any });` }),
  "template-and-enum": (u, r) => ({ code: `export const t = \`\${${asExpression(u, r)}}-\${String.raw\`\${1}\`}\`;\nexport enum En { A = (${STUB}) as any, B = 2 }\nexport const tagged = (${STUB} as any)\`x\${1}\`;` }),
  "deep-nesting": (u, r) => {
    const depth = 20 + int(r, 180);
    return { code: `export const deep = ${"(".repeat(depth)}${asExpression(u, r)}${")".repeat(depth)};\nexport async function f(ctx: restate.Context) { ${"{ ".repeat(depth)}${u.shape === "body" ? u.text : asExpression(u, r)}${" }".repeat(depth)} }` };
  },
  "splice-other": (u, r, other) => {
    const base = asStatements(u, r);
    const file = ts.createSourceFile("m.ts", base, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const ends: number[] = [base.length];
    const visit = (node: ts.Node) => {
      if (ts.isBlock(node)) ends.push(node.getStart(file) + 1, ...node.statements.map((s) => s.end));
      ts.forEachChild(node, visit);
    };
    visit(file);
    const at = pick(r, ends);
    const inserted = other.shape === "body" ? other.text : `${asExpression(other, r)};`;
    return { code: `${base.slice(0, at)}\n${inserted}\n${base.slice(at)}` };
  },
  "satisfies-and-casts": (u, r) => ({ code: `export const s = restate.service({ name: "s", handlers: { h: (${asExpression(u, r)}) satisfies any, g: <any>(${STUB}), k: (${STUB})! } } as const satisfies any);` }),
};

export const PLACEMENT_NAMES = Object.keys(PLACEMENTS);
export const REWRITE_NAMES = Object.keys(REWRITES);

export interface FuzzInput {
  code: string;
  filename: string;
  /** How it was made, e.g. `docs/rules/x.md#2 body | jsx | swap-adjacent`. */
  recipe: string;
}

/**
 * The i-th input of the run with this seed. Mostly small units; whole files
 * now and then. `restateImport` forces the SDK import in (the rules' cheap
 * exit skips every file without one).
 */
export function fuzzInput(units: readonly Unit[], seed: number, i: number): FuzzInput {
  const r = prng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const small = units.filter((u) => u.shape !== "file");
  const unit = r() < 0.015 ? pick(r, units) : pick(r, small);
  const other = pick(r, small);
  const recipe = [`${unit.origin} ${unit.shape}`];
  let text = unit.text;
  let current: Unit = unit;
  if (r() < 0.25) {
    const name = pick(r, REWRITE_NAMES);
    text = REWRITES[name](text, r);
    current = { ...unit, text };
    recipe.push(name);
  }
  for (let k = r() < 0.5 ? 0 : 1 + int(r, 3); k > 0; k--) {
    const [rewritten, name] = rewriteNode(text, r, units);
    text = rewritten;
    current = { ...current, text };
    recipe.push(name);
  }
  if (r() < 0.05 && unit.shape !== "prop") {
    [text] = damage(text, r);
    current = { ...current, text };
    recipe.push("early-damage");
  }
  const placement = unit.shape === "file" ? "plain" : r() < 0.2 ? "plain" : pick(r, PLACEMENT_NAMES);
  const placed = PLACEMENTS[placement](current, r, other);
  recipe.push(placement);
  const header = unit.header || (unit.shape === "file" ? "" : `import * as restate from "@restatedev/restate-sdk";`);
  let code = header ? `${header}\n${placed.code}\n` : `${placed.code}\n`;
  const rounds = r() < 0.7 ? 0 : r() < 0.7 ? 1 : 2 + int(r, 2);
  for (let k = 0; k < rounds; k++) {
    const [damaged, name] = damage(code, r);
    code = damaged;
    recipe.push(name);
  }
  if (r() < 0.02) {
    code = `const __long = ${JSON.stringify("x".repeat(3000))} + ${JSON.stringify("\u00e9\u{1f600}".repeat(300))}; ${code}`;
    recipe.push("long-first-line");
  }
  const ext = placed.ext ?? (r() < 0.04 ? pick(r, [".tsx", ".mts", ".cts", ".d.ts"]) : ".ts");
  return { code, filename: `fuzz${ext}`, recipe: recipe.join(" | ") };
}

/**
 * Delta debugging over lines then tokens: the smallest text for which
 * `fails` still holds, within `budget` calls.
 */
export function minimize(text: string, fails: (code: string) => boolean, budget = 400): string {
  let calls = 0;
  const attempt = (code: string) => calls++ < budget && fails(code);
  const shrink = (parts: string[], join: string): string[] => {
    let chunk = Math.max(1, Math.floor(parts.length / 2));
    while (chunk >= 1 && calls < budget) {
      let changed = false;
      for (let start = 0; start < parts.length && calls < budget; ) {
        const candidate = [...parts.slice(0, start), ...parts.slice(start + chunk)];
        if (candidate.length > 0 && attempt(candidate.join(join))) {
          parts = candidate;
          changed = true;
        } else start += chunk;
      }
      if (!changed) chunk = Math.floor(chunk / 2);
    }
    return parts;
  };
  const lines = shrink(text.split("\n"), "\n").join("\n");
  const tokens = tokenize(lines);
  if (tokens.length === 0) return lines;
  // Tokens keep their leading trivia so joining them restores the text.
  const pieces = tokens.map((tok, i) => lines.slice(i === 0 ? 0 : tokens[i - 1].end, tok.end));
  pieces.push(lines.slice(tokens[tokens.length - 1].end));
  return shrink(pieces, "").join("");
}
