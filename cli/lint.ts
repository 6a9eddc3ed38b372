/**
 * Linting for the CLI: ESLint's own `ESLint` class with the flat config of
 * `settings/index.ts`, the same rules and messages as the ESLint plugin.
 * Nothing here knows what any rule checks.
 */
import { dirname, sep } from "node:path";
import { ESLint, type Linter } from "eslint";
import plugin, { PLUGIN_NAMESPACE, presetRules, type PresetName } from "../eslint-plugin.js";
import { flatConfig, needsTypes, normalizeSettings, rulesRecord, type EngineSettings } from "../settings/index.js";
import { UsageError, type Concurrency } from "./args.js";
import { optionsModuleURL } from "./eslint-options.js";
import type { Progress } from "./progress.js";
import type { Project } from "./project.js";

export const PRESETS = Object.keys(presetRules) as PresetName[];

/** Settings from `--preset` and `--rule`: anything the engine does not accept is bad usage. */
export function settingsFrom(preset: string | undefined, rules: readonly (readonly [string, string])[]): EngineSettings {
  // Checked here rather than left to normalizeSettings, whose message says it falls back to the default preset.
  if (preset !== undefined && !PRESETS.includes(preset as PresetName)) {
    throw new UsageError(`unknown preset ${JSON.stringify(preset)} (expected one of ${PRESETS.join(", ")})`);
  }
  const numeric: Record<string, number> = { "0": 0, "1": 1, "2": 2 };
  const raw = {
    ...(preset !== undefined ? { preset } : {}),
    rules: Object.fromEntries(rules.map(([id, severity]) => [id, severity in numeric ? numeric[severity] : severity])),
  };
  const { settings, problems } = normalizeSettings(raw);
  if (problems.length > 0) throw new UsageError(`--rule: ${problems[0]}`);
  return settings;
}

/** The rules these settings turn on, by full id (`restate/<id>`), with their severity. */
export function enabledRules(settings: EngineSettings): Map<string, "warn" | "error"> {
  const enabled = new Map<string, "warn" | "error">();
  for (const [id, entry] of Object.entries(rulesRecord(settings))) {
    const severity = Array.isArray(entry) ? entry[0] : entry;
    if (severity === "warn" || severity === 1) enabled.set(id, "warn");
    else if (severity === "error" || severity === 2) enabled.set(id, "error");
  }
  return enabled;
}

/** A rule's metadata, by full id. */
export function ruleMeta(fullId: string): { description: string; url: string | undefined; fixable: boolean } | undefined {
  const prefix = `${PLUGIN_NAMESPACE}/`;
  if (!fullId.startsWith(prefix)) return undefined;
  const rule = (plugin.rules as Record<string, { meta: { docs?: { description: string; url?: string }; fixable?: string } }>)[fullId.slice(prefix.length)];
  if (!rule) return undefined;
  return { description: rule.meta.docs?.description ?? "", url: rule.meta.docs?.url, fixable: Boolean(rule.meta.fixable) };
}

/** The deepest directory holding the project root and every file (ESLint ignores files outside its cwd). */
function commonDirectory(paths: readonly string[]): string {
  let common = paths[0].split("/");
  for (const path of paths.slice(1)) {
    const parts = path.split("/");
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join("/") || "/";
}

export interface Linting {
  readonly settings: EngineSettings;
  readonly typed: boolean;
  /** Whether files are linted by ESLint's worker threads (`--concurrency`). */
  readonly threaded: boolean;
  /** An ESLint that reports (and, when `fix`, fixes) with the configured rules. */
  eslint(fix: boolean): Promise<ESLint>;
}

export function createLinting(project: Project, settings: EngineSettings, concurrency?: Concurrency): Linting {
  const typed = needsTypes(settings);
  // `project` (not `projectService`) so type information comes from exactly the tsconfig the
  // run uses, also when `--project` names one that is not the nearest tsconfig.json.
  // `disallowAutomaticSingleRunInference`: with CI=true, typescript-eslint would switch to its
  // single-run programs, in which TypeScript 6 throws on some type queries (module-specifier
  // printing); the CLI must give the same answers in CI as on a developer's machine.
  const parserOptions: Linter.ParserOptions = typed
    ? { project: project.configPath, tsconfigRootDir: project.root, disallowAutomaticSingleRunInference: true }
    : {};
  const config = flatConfig(settings, parserOptions);
  const cwd = commonDirectory([project.root.split(sep).join("/"), ...project.files.map((f) => dirname(f))]).split("/").join(sep) || sep;
  const threaded = concurrency !== undefined && concurrency !== "off";
  if (threaded && typeof ESLint.fromOptionsModule !== "function") throw new UsageError("--concurrency needs ESLint 9.34 or later");
  const instances = new Map<boolean, Promise<ESLint>>();
  return {
    settings,
    typed,
    threaded,
    eslint(fix) {
      let instance = instances.get(fix);
      if (!instance) {
        // overrideConfigFile: true — the CLI is zero-config and never reads an eslint.config.js;
        // ignore: false — the tsconfig alone says which files belong to the project.
        // With threads, every worker rebuilds the same options from cli/eslint-options.ts.
        instance = threaded
          ? ESLint.fromOptionsModule(optionsModuleURL({ cwd, settings, parserOptions, fix, concurrency: concurrency! }))
          : Promise.resolve(new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config, ignore: false, fix, errorOnUnmatchedPattern: false }));
        instances.set(fix, instance);
      }
      return instance;
    },
  };
}

/**
 * Lints `files` in batches, reporting progress after each; results in the order of `files`. With threads, in one
 * call: ESLint starts its workers per call, and each builds its own TypeScript program.
 */
export async function lintFiles(linting: Linting, files: readonly string[], progress: Progress): Promise<ESLint.LintResult[]> {
  const eslint = await linting.eslint(false);
  const results: ESLint.LintResult[] = [];
  const batchSize = linting.threaded ? Math.max(files.length, 1) : progress.batchSize;
  for (let start = 0; start < files.length; start += batchSize) {
    const batch = files.slice(start, start + batchSize);
    results.push(...(await eslint.lintFiles(batch.map((f) => f.split("/").join(sep)))));
    progress.step(Math.min(start + batch.length, files.length), files.length, "linted");
  }
  return results;
}
