/**
 * One engine for every front end. The ESLint plugin, the TypeScript
 * language-service plugin and the CLI all lint through ESLint's own `Linter`
 * or `ESLint` class with the rules of `eslint-plugin.ts`; this module turns the
 * small JSON settings they accept (a preset and per-rule severities, never a
 * JavaScript config file) into one flat config.
 */
import type { Linter } from "eslint";
import * as tsParser from "@typescript-eslint/parser";
import plugin, { PLUGIN_NAMESPACE, presetRules, type PresetName } from "../eslint-plugin.js";

export type Severity = "off" | "warn" | "error";

export interface EngineSettings {
  /** Which preset to start from. */
  readonly preset: PresetName;
  /** Per-rule severities, by rule id (`no-context-in-run` or `restate/no-context-in-run`). */
  readonly rules: Readonly<Record<string, Severity>>;
}

export const DEFAULT_SETTINGS: EngineSettings = { preset: "recommended-type-checked", rules: {} };

const PRESETS = Object.keys(presetRules) as PresetName[];
const SEVERITIES: readonly Severity[] = ["off", "warn", "error"];
const NUMERIC: Record<number, Severity> = { 0: "off", 1: "warn", 2: "error" };

/**
 * Validates settings from JSON (a tsconfig plugin entry, CLI flags). Unknown
 * keys, presets, rules or severities are reported as problems and ignored, so
 * a typo never disables the engine.
 */
export function normalizeSettings(raw: unknown): { settings: EngineSettings; problems: string[] } {
  const problems: string[] = [];
  const input = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  let preset = DEFAULT_SETTINGS.preset;
  if (input.preset !== undefined) {
    if (PRESETS.includes(input.preset as PresetName)) preset = input.preset as PresetName;
    else problems.push(`unknown preset ${JSON.stringify(input.preset)} (expected one of ${PRESETS.join(", ")}); using ${preset}`);
  }
  const rules: Record<string, Severity> = {};
  if (input.rules !== undefined) {
    if (!input.rules || typeof input.rules !== "object" || Array.isArray(input.rules)) {
      problems.push(`"rules" must be an object of rule id to "off" | "warn" | "error"`);
    } else {
      for (const [key, value] of Object.entries(input.rules as Record<string, unknown>)) {
        const id = key.startsWith(`${PLUGIN_NAMESPACE}/`) ? key.slice(PLUGIN_NAMESPACE.length + 1) : key;
        if (!(id in plugin.rules)) {
          problems.push(`unknown rule ${JSON.stringify(key)}`);
          continue;
        }
        const severity = typeof value === "number" ? NUMERIC[value] : SEVERITIES.includes(value as Severity) ? (value as Severity) : undefined;
        if (!severity) problems.push(`rule ${JSON.stringify(key)}: severity must be "off", "warn" or "error"`);
        else rules[id] = severity;
      }
    }
  }
  for (const key of Object.keys(input)) {
    if (!["preset", "rules", "name"].includes(key)) problems.push(`unknown setting ${JSON.stringify(key)}`);
  }
  return { settings: { preset, rules }, problems };
}

/** The `rules` record of the flat config: the preset, then the per-rule overrides. */
export function rulesRecord(settings: EngineSettings): Linter.RulesRecord {
  const rules: Linter.RulesRecord = { ...(presetRules[settings.preset] as Linter.RulesRecord) };
  for (const [id, severity] of Object.entries(settings.rules)) rules[`${PLUGIN_NAMESPACE}/${id}`] = severity;
  return rules;
}

/**
 * Whether to lint with type information: for every preset but `recommended`
 * (their rules get more precise with types), and for any settings that turn
 * on a rule that does nothing useful without them (`requiresTypeChecking`),
 * whatever the preset — `--preset recommended --rule serializable-journal-values=error`
 * must not silently find nothing.
 */
export function needsTypes(settings: EngineSettings): boolean {
  if (settings.preset !== "recommended") return true;
  const prefix = `${PLUGIN_NAMESPACE}/`;
  const rules = plugin.rules as Record<string, { meta: { docs?: { requiresTypeChecking?: boolean } } }>;
  return Object.entries(rulesRecord(settings)).some(([id, entry]) => {
    const severity = Array.isArray(entry) ? entry[0] : entry;
    if (severity === "off" || severity === 0) return false;
    return id.startsWith(prefix) && rules[id.slice(prefix.length)]?.meta.docs?.requiresTypeChecking === true;
  });
}

/**
 * The flat config every front end lints with: typescript-eslint's parser with
 * the given parser options, the plugin under its namespace, and the rules.
 * `parser` replaces typescript-eslint's parser by one that calls it (the
 * editor plugin's, which keeps a file's conversion while the file is unchanged).
 */
export function flatConfig(settings: EngineSettings, parserOptions: Linter.ParserOptions = {}, parser: Linter.Parser = tsParser as Linter.Parser): Linter.Config[] {
  return [
    {
      files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
      languageOptions: { parser, parserOptions },
      plugins: { [PLUGIN_NAMESPACE]: plugin as never },
      rules: rulesRecord(settings),
      linterOptions: { reportUnusedDisableDirectives: "off" },
    },
  ];
}
