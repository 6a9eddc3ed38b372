// restate-guard lints its own rules with eslint-plugin-eslint-plugin
// (`npm run lint`; also run by the test suite).
import tsParser from "@typescript-eslint/parser";
import eslintPlugin from "eslint-plugin-eslint-plugin";

export default [
  { ignores: ["dist/**", "node_modules/**", "fixtures/**", ".bench/**"] },
  {
    files: ["rules/**/*.ts"],
    languageOptions: { parser: tsParser },
    ...eslintPlugin.configs.recommended,
    rules: {
      ...eslintPlugin.configs.recommended.rules,
      "eslint-plugin/require-meta-docs-description": ["error", { pattern: "^(Disallow|Require|Enforce)" }],
      "eslint-plugin/require-meta-docs-url": "off", // set by RuleCreator
      "eslint-plugin/require-meta-default-options": "off", // RuleCreator takes `defaultOptions` beside `meta`
      "eslint-plugin/require-meta-schema-description": "error",
    },
  },
];
