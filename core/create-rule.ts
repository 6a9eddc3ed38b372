import { ESLintUtils } from "@typescript-eslint/utils";

/** Preset levels a rule can earn. */
export type PresetLevel = "recommended" | "strict";

export interface RestateRuleDocs {
  description: string;
  /** The lowest preset that turns the rule on (`all` always does). */
  recommended?: PresetLevel;
  /** Set only when the rule does nothing useful without type information. */
  requiresTypeChecking?: boolean;
}

export const REPOSITORY_URL = "https://github.com/restate-guard/restate-guard";

export const docsUrl = (name: string): string => `${REPOSITORY_URL}/blob/main/docs/rules/${name}.md`;

export const createRule = ESLintUtils.RuleCreator<RestateRuleDocs>(docsUrl);
