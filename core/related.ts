/**
 * Where a finding's cause is, when it is not at the finding: the sink a call
 * reaches through helpers (`fetch` in fx.ts for `getFxRate(…)` in a handler).
 * ESLint's messages have no field for it, so rules record it here as they
 * report, and the front ends that can show it — the editor plugin as related
 * information, the CLI's SARIF as a related location — read it back for each
 * message of the file they just linted. Plain ESLint shows the chain in the
 * message itself.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { RestateAnalysis } from "./analysis.js";
import { excerpt } from "./describe.js";
import type { Effect, Reach } from "./summaries.js";
import { describeReach, summariesOf } from "./summaries.js";

export interface RelatedLocation {
  /** Absolute path of the file the location is in. */
  readonly fileName: string;
  /** ESLint's convention: 1-based lines, 0-based columns. */
  readonly loc: TSESTree.SourceLocation;
  /** What is there: the chain down to it. */
  readonly message: string;
}

/** Per linted file: `ruleId@line:column` (as ESLint reports the message) → related locations. */
const registry = new Map<string, Map<string, RelatedLocation[]>>();

const keyOf = (ruleId: string, line: number, column: number) => `${ruleId}@${line}:${column}`;

/** Forgets what an earlier lint of the file recorded (called when a file's analysis is built). */
export function forgetRelated(fileName: string): void {
  registry.delete(fileName);
}

/** Reports a finding reached through calls, and records where the chain ends. */
export function reportThrough<MessageIds extends string>(
  context: Readonly<TSESLint.RuleContext<MessageIds, readonly unknown[]>>,
  descriptor: TSESLint.ReportDescriptor<MessageIds> & { node: TSESTree.Node },
  reach: Reach,
): void {
  context.report(descriptor);
  const fileName = context.physicalFilename ?? context.filename;
  let perFile = registry.get(fileName);
  if (!perFile) registry.set(fileName, (perFile = new Map()));
  const start = descriptor.node.loc.start;
  const key = keyOf(context.id, start.line, start.column + 1);
  const list = perFile.get(key) ?? [];
  list.push({ fileName: reach.sink.fileName || fileName, loc: reach.sink.loc, message: describeReach(reach) });
  perFile.set(key, list);
}

/**
 * The usual finding through calls: when `call`, in durable code, reaches a
 * sink of `effect`, reports it at the call with the data `call`
 * (`getFxRate(…)`, `new Ledger(…)`), `ctx` (the context in scope, for the
 * fix the message names) and `chain`, and records the sink. Returns the reach.
 */
export function reportCallThrough<MessageIds extends string>(
  context: Readonly<TSESLint.RuleContext<MessageIds, readonly unknown[]>>,
  analysis: RestateAnalysis,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  effect: Effect,
  { messageId }: { readonly messageId: MessageIds },
  accept: (reach: Reach) => boolean = () => true,
): Reach | null {
  if (!analysis.isDurable(call)) return null;
  const reach = summariesOf(analysis).reachOfCall(call, effect);
  if (!reach || !accept(reach)) return null;
  const callee = `${call.type === "NewExpression" ? "new " : ""}${excerpt(context.sourceCode, call.callee, 40)}(…)`;
  const data = { call: callee, ctx: analysis.contextAt(call)?.name ?? "ctx", chain: describeReach(reach) };
  reportThrough(context, { node: call, messageId, data }, reach);
  return reach;
}

/** The related locations of an ESLint message (its rule id, 1-based line and column) of a file just linted. */
export function relatedLocations(fileName: string, ruleId: string | null, line: number, column: number): readonly RelatedLocation[] {
  if (!ruleId) return [];
  return registry.get(fileName)?.get(keyOf(ruleId, line, column)) ?? [];
}
