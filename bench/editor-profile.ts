/**
 * `npx tsx bench/editor-profile.ts <file.cpuprofile>`: where the editor
 * plugin's lint spends its time, from a CPU profile of `bench/editor.ts`
 * (`node --cpu-prof --cpu-prof-dir=.bench/prof --import tsx bench/editor.ts`,
 * with `BENCH_REPS=3`; take the largest profile, the main thread's).
 *
 * Every sample taken inside `lintFile` (editor/findings.ts) is given to the
 * innermost phase on its stack (typescript-estree's token conversion inside
 * its AST conversion counts as tokens, a checker call made by a rule counts as
 * the rule's), and the shares are printed, then the rules and shared modules
 * of restate-guard by self time inclusive of what they call. Function names
 * are the libraries' own (typescript-estree 8, ESLint 9/10): a phase whose
 * function is renamed shows 0% and its time moves to the enclosing phase.
 * See docs/benchmark.md, "Where the editor plugin's time goes".
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const OURS = /\/(rules|core)\/[^/]+(?:\/[^/]+)?\.[cm]?[jt]s$/;

const PHASES: [string, (frame: CallFrame) => boolean][] = [
  ["typescript-estree: tokens", (f) => f.functionName === "convertTokens"],
  ["typescript-estree: comments", (f) => f.functionName === "convertComments"],
  ["typescript-estree: ESTree conversion", (f) => f.functionName === "astConverter"],
  ["scope-manager: scope analysis", (f) => f.functionName === "analyze" && f.url.includes("scope-manager")],
  ["typescript-eslint parser: setup", (f) => f.functionName === "parseForESLint"],
  ["restate-guard rules and shared analysis (with their checker calls)", (f) => OURS.test(f.url) && !f.url.includes("node_modules")],
  ["ESLint: traversal steps and code path analysis", (f) => f.functionName === "traverse" && f.url.includes("source-code")],
  ["ESLint: SourceCode (token index, lines)", (f) => f.functionName === "SourceCode" && f.url.includes("languages/js")],
  ["ESLint: dispatch to the rules' listeners", (f) => f.functionName === "traverseSync"],
  ["ESLint: config, directives, reports", (f) => f.functionName === "lintFile"],
];

const file = process.argv[2];
if (!file) {
  console.error("usage: npx tsx bench/editor-profile.ts <file.cpuprofile>");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const phases = new Map(PHASES.map(([name]) => [name, 0]));
const ours = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  let phase: string | undefined;
  let module: string | undefined;
  let inLint = false;
  for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)!.callFrame;
    phase ??= PHASES.find(([, test]) => test(frame))?.[0];
    if (OURS.test(frame.url) && !frame.url.includes("node_modules")) module = frame.url.replace(/^.*\/((?:rules|core)\/)/, "$1"); // outermost wins
    if (frame.functionName === "lintFile") {
      inLint = true;
      break;
    }
  }
  if (!inLint || !phase) continue;
  total += dt;
  phases.set(phase, phases.get(phase)! + dt);
  if (module && phase.startsWith("restate-guard")) ours.set(module, (ours.get(module) ?? 0) + dt);
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
console.log(`inside the plugin's lint: ${(total / 1000).toFixed(0)} ms of samples`);
for (const [name, time] of phases) console.log(`${percent(time, total)}  ${name}`);
const oursTotal = [...ours.values()].reduce((a, b) => a + b, 0);
if (oursTotal > 0) {
  console.log(`\nrestate-guard, by the rule (or shared module) ESLint called:`);
  for (const [name, time] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${percent(time, oursTotal)}  ${name}`);
}
