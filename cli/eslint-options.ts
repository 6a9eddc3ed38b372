/**
 * ESLint's options for the CLI's multithreaded linting (`--concurrency`). ESLint's worker threads cannot be handed
 * the CLI's options (the flat config holds the plugin object, which is not cloneable), so ESLint imports this module
 * in the main thread and in every worker (`ESLint.fromOptionsModule`). The CLI puts what the options depend on in
 * the module URL's query (`?options=<json>`); each import builds the same options from it.
 *
 * A worker is a fresh thread: it first loads the TypeScript bootstrap (bootstrap/typescript.cjs), as every entry
 * point of the package does, so a TypeScript 7 project lints there as in the main thread.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ESLint, Linter } from "eslint";
import type { EngineSettings } from "../settings/index.js";
import type { Concurrency } from "./args.js";

/** What the options depend on: the module URL's `options` query parameter. */
export interface OptionsSpec {
  readonly cwd: string;
  readonly settings: EngineSettings;
  readonly parserOptions: Linter.ParserOptions;
  readonly fix: boolean;
  readonly concurrency: Concurrency;
}

/** This module's URL with `spec` in its query, for `ESLint.fromOptionsModule`. */
export function optionsModuleURL(spec: OptionsSpec): URL {
  const url = new URL(import.meta.url);
  url.search = new URLSearchParams({ options: JSON.stringify(spec) }).toString();
  return url;
}

async function load(): Promise<ESLint.Options | undefined> {
  const query = new URL(import.meta.url).searchParams.get("options");
  if (query === null) return undefined; // imported by the CLI itself for optionsModuleURL
  const packageJson = createRequire(import.meta.url).resolve("restate-guard/package.json");
  createRequire(import.meta.url)(join(dirname(packageJson), "bootstrap", "typescript.cjs"));
  const { flatConfig } = await import("../settings/index.js");
  const spec = JSON.parse(query) as OptionsSpec;
  return {
    cwd: spec.cwd,
    overrideConfigFile: true,
    overrideConfig: flatConfig(spec.settings, spec.parserOptions),
    ignore: false,
    fix: spec.fix,
    errorOnUnmatchedPattern: false,
    concurrency: spec.concurrency,
  };
}

const options = await load();
export default options;
