/**
 * `restate-guard/eslint-plugin`: the ESLint flat-config plugin.
 *
 * Presets are generated from each rule's `meta.docs` (`recommended`,
 * `requiresTypeChecking`), never listed by hand.
 */
import * as tsParser from "@typescript-eslint/parser";
import type { TSESLint } from "@typescript-eslint/utils";
import type { RestateRuleDocs } from "./core/create-rule.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./core/package-info.js";
import { rules } from "./rules/index.js";

export const PLUGIN_NAMESPACE = "restate";

type RuleEntry = [string, (typeof rules)[keyof typeof rules]];
const entries = Object.entries(rules) as RuleEntry[];

function ruleSet(select: (docs: RestateRuleDocs) => boolean): TSESLint.FlatConfig.Rules {
  const result: TSESLint.FlatConfig.Rules = {};
  for (const [name, rule] of entries) {
    if (rule.meta.docs && select(rule.meta.docs)) result[`${PLUGIN_NAMESPACE}/${name}`] = "error";
  }
  return result;
}

export const presetRules = {
  /** Rules that report only real bugs and need no type information. */
  recommended: ruleSet((docs) => docs.recommended === "recommended" && !docs.requiresTypeChecking),
  /** `recommended` plus the recommended rules that need type information. */
  "recommended-type-checked": ruleSet((docs) => docs.recommended === "recommended"),
  /** `recommended-type-checked` plus stricter rules. */
  strict: ruleSet((docs) => docs.recommended === "recommended" || docs.recommended === "strict"),
  /** Every rule. */
  all: ruleSet(() => true),
};

export type PresetName = keyof typeof presetRules;

/**
 * The files a preset lints: TypeScript and JavaScript sources. Naming TypeScript's extensions makes ESLint lint
 * them (it lints only JavaScript by default), so a preset is a whole config on its own.
 */
export const PRESET_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"];

const plugin = {
  meta: { name: PACKAGE_NAME, version: PACKAGE_VERSION, namespace: PLUGIN_NAMESPACE },
  rules,
  configs: {} as Record<PresetName, TSESLint.FlatConfig.Config>,
};

for (const preset of Object.keys(presetRules) as PresetName[]) {
  plugin.configs[preset] = {
    name: `restate-guard/${preset}`,
    files: PRESET_FILES,
    // The parser comes with the preset: the user's project need not install one, which it cannot next to
    // TypeScript 7 (typescript-eslint's peer range ends below 6.1; this package brings the TypeScript it parses with).
    languageOptions: { parser: tsParser as TSESLint.FlatConfig.Parser },
    plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: presetRules[preset],
  };
}

export default plugin;
