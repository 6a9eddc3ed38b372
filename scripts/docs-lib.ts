/**
 * Generated documentation: the README rules table and each rule page's header
 * come from rule metadata (like eslint-doc-generator), so they cannot drift.
 * `npm run docs` writes them; tests/docs.test.ts fails when they are stale.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { presetRules, PLUGIN_NAMESPACE, type PresetName } from "../eslint-plugin.js";
import { rules } from "../rules/index.js";
import { RULE_IDS, ruleCode } from "../editor/findings.js";

export const ROOT = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");

type AnyRule = (typeof rules)[keyof typeof rules];

export const PRESET_ICONS: Record<PresetName, string> = {
  recommended: "✅",
  "recommended-type-checked": "☑️",
  strict: "🔒",
  all: "🌐",
};

export function ruleIds(): string[] {
  return Object.keys(rules).sort();
}

export function ruleOf(id: string): AnyRule {
  return (rules as Record<string, AnyRule>)[id];
}

/** The lowest preset that enables the rule (every rule is in `all`). */
export function lowestPreset(id: string): PresetName {
  for (const preset of ["recommended", "recommended-type-checked", "strict", "all"] as const) {
    if (`${PLUGIN_NAMESPACE}/${id}` in presetRules[preset]) return preset;
  }
  return "all";
}

export function ruleHeader(id: string): string {
  const rule = ruleOf(id);
  const parts = [`${PRESET_ICONS[lowestPreset(id)]} \`${lowestPreset(id)}\``];
  if (rule.meta.fixable) parts.push("🔧 fixable with `--fix`");
  if (rule.meta.hasSuggestions) parts.push("💡 has suggestions");
  parts.push(
    rule.meta.docs?.requiresTypeChecking
      ? "💭 requires type information"
      : "🔍 works without type information (more precise with it)",
  );
  return parts.join(" · ");
}

export const HEADER_START = "<!-- begin auto-generated rule header -->";
export const HEADER_END = "<!-- end auto-generated rule header -->";
export const LIST_START = "<!-- begin auto-generated rules list -->";
export const LIST_END = "<!-- end auto-generated rules list -->";

export function rulesTable(): string {
  const lines = [
    `${PRESET_ICONS.recommended} in \`recommended\` · ${PRESET_ICONS["recommended-type-checked"]} in \`recommended-type-checked\` · ${PRESET_ICONS.strict} in \`strict\` · 🔧 autofix · 💡 suggestions · 💭 needs type information`,
    "",
    "| Rule | Description | Preset | 🔧 | 💡 | 💭 |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const id of ruleIds()) {
    const rule = ruleOf(id);
    lines.push(
      `| [\`${PLUGIN_NAMESPACE}/${id}\`](docs/rules/${id}.md) | ${rule.meta.docs?.description ?? ""} | ${PRESET_ICONS[lowestPreset(id)]} | ${rule.meta.fixable ? "🔧" : ""} | ${rule.meta.hasSuggestions ? "💡" : ""} | ${rule.meta.docs?.requiresTypeChecking ? "💭" : ""} |`,
    );
  }
  return lines.join("\n");
}

export const CODES_START = "<!-- begin auto-generated diagnostic codes -->";
export const CODES_END = "<!-- end auto-generated diagnostic codes -->";

/** docs/editor.md's table of the language-service plugin's diagnostic codes. */
export function codesTable(): string {
  const lines = ["| Code | Rule |", "| --- | --- |"];
  for (const id of RULE_IDS) lines.push(`| ${ruleCode(id)} | \`${id}\` |`);
  return lines.join("\n");
}

export function replaceBetween(text: string, start: string, end: string, body: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The package name and version as source, so every build (ESM, CommonJS) has them without reading files. */
export function packageInfoSource(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
  return [
    "// Generated from package.json by `npm run docs`; tests/docs.test.ts checks it is current.",
    `export const PACKAGE_NAME = ${JSON.stringify(pkg.name)};`,
    `export const PACKAGE_VERSION = ${JSON.stringify(pkg.version)};`,
    "",
  ].join("\n");
}

/** The README, every rule page, docs/editor.md's codes and core/package-info.ts as they should be. */
export function expectedDocs(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(join(ROOT, "core", "package-info.ts"), packageInfoSource());
  const readmePath = join(ROOT, "README.md");
  files.set(readmePath, replaceBetween(readFileSync(readmePath, "utf8"), LIST_START, LIST_END, rulesTable()));
  const editorPath = join(ROOT, "docs", "editor.md");
  files.set(editorPath, replaceBetween(readFileSync(editorPath, "utf8"), CODES_START, CODES_END, codesTable()));
  for (const id of ruleIds()) {
    const path = join(ROOT, "docs", "rules", `${id}.md`);
    files.set(path, replaceBetween(readFileSync(path, "utf8"), HEADER_START, HEADER_END, ruleHeader(id)));
  }
  return files;
}

/** Fenced blocks with an info string `ts incorrect` / `ts correct`. */
export function exampleBlocks(markdown: string): { kind: "incorrect" | "correct"; code: string; line: number }[] {
  const blocks: { kind: "incorrect" | "correct"; code: string; line: number }[] = [];
  const pattern = /^```ts (incorrect|correct)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    blocks.push({
      kind: match[1] as "incorrect" | "correct",
      code: match[2],
      line: markdown.slice(0, match.index).split("\n").length,
    });
  }
  return blocks;
}
