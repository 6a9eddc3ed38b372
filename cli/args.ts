/**
 * Command-line parsing for `restate-guard`. Node's own `util.parseArgs` does
 * the work (strict: unknown flags and missing values are errors); this module
 * only names the commands and turns its errors into one-line usage errors.
 * It imports nothing heavy, so `--help` and `--version` answer at once.
 */
import { parseArgs } from "node:util";

export type Command = "check" | "fix" | "compat";
export type Format = "text" | "json" | "sarif";

export const FORMATS: readonly Format[] = ["text", "json", "sarif"];
const COMMANDS: readonly Command[] = ["check", "fix", "compat"];

/** Bad usage or an unreadable project: exit code 2, with the message as the one-line reason. */
export class UsageError extends Error {}

export type Invocation =
  | { readonly kind: "help"; readonly command: Command | null }
  | { readonly kind: "version" }
  | {
      readonly kind: "compat";
      /** The git revision to compare with (`compat <ref>`), unless `--base-dir` names a checkout of it. */
      readonly base: string | undefined;
      readonly baseDir: string | undefined;
      readonly project: string | undefined;
      readonly format: Format;
      /** `--accept <id>`: intended breaks, shown but not failing the run. */
      readonly accept: readonly string[];
      /** `--in-place`: also compare each handler's journal order (code updated behind an existing deployment). */
      readonly inPlace: boolean;
    }
  | {
      readonly kind: "run";
      readonly command: Command;
      readonly paths: readonly string[];
      readonly project: string | undefined;
      readonly preset: string | undefined;
      /** `--rule id=severity`, in the order given (a later one wins). */
      readonly rules: readonly (readonly [string, string])[];
      readonly format: Format;
      readonly dryRun: boolean;
      readonly progress: boolean;
      /** `--concurrency`: ESLint's linting threads (`auto`, `off`, or a count); undefined: one thread, as `off`. */
      readonly concurrency: Concurrency | undefined;
    };

export type Concurrency = "auto" | "off" | number;

const OPTIONS = {
  project: { type: "string", short: "p" },
  preset: { type: "string" },
  rule: { type: "string", multiple: true },
  format: { type: "string", short: "f" },
  "dry-run": { type: "boolean" },
  progress: { type: "boolean" },
  concurrency: { type: "string" },
  "base-dir": { type: "string" },
  accept: { type: "string", multiple: true },
  "in-place": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageReason(error));
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = COMMANDS.includes(first as Command) ? (first as Command) : null;
  if (values.help) return { kind: "help", command };
  if (values.version) return { kind: "version" };
  // A bare `restate-guard` shows what it can do, as `--help` does.
  if (first === undefined) return { kind: "help", command: null };
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(first)}: use \`check\`, \`fix\` or \`compat\` (see --help)`);
  if (command === "compat") return compatInvocation(values, rest);
  if (values["base-dir"] !== undefined || values.accept !== undefined || values["in-place"] !== undefined) throw new UsageError("--base-dir, --accept and --in-place are for `compat`");

  const format = (values.format ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not ${JSON.stringify(values.format)}`);
  if (command === "fix" && values.format !== undefined) throw new UsageError("--format is for `check`; `fix` prints a report (or a diff with --dry-run)");
  if (command === "check" && values["dry-run"]) throw new UsageError("--dry-run is for `fix`; `check` never writes");

  const rules = (values.rule ?? []).map((spec): [string, string] => {
    const at = spec.indexOf("=");
    if (at <= 0 || at === spec.length - 1) throw new UsageError(`--rule expects id=severity (off, warn or error), not ${JSON.stringify(spec)}`);
    return [spec.slice(0, at).trim(), spec.slice(at + 1).trim()];
  });
  return {
    kind: "run",
    command,
    paths: rest,
    project: values.project,
    preset: values.preset,
    rules,
    format,
    dryRun: values["dry-run"] ?? false,
    progress: values.progress ?? false,
    concurrency: values.concurrency === undefined ? undefined : parseConcurrency(values.concurrency),
  };
}

function compatInvocation(values: Record<string, unknown>, rest: readonly string[]): Invocation {
  const format = (values.format ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not ${JSON.stringify(format)}`);
  for (const flag of ["rule", "preset", "dry-run", "concurrency"]) if (values[flag] !== undefined) throw new UsageError(`--${flag} is not an option of \`compat\``);
  if (rest.length > 1) throw new UsageError("`compat` takes one base revision (or --base-dir <path>)");
  const base = rest[0];
  const baseDir = values["base-dir"] as string | undefined;
  if ((base === undefined) === (baseDir === undefined)) throw new UsageError("`compat` needs the base: a git revision (`compat main`) or --base-dir <path>, not both");
  return { kind: "compat", base, baseDir, project: values.project as string | undefined, format, accept: (values.accept as string[] | undefined) ?? [], inPlace: (values["in-place"] as boolean | undefined) ?? false };
}

function parseConcurrency(value: string): Concurrency {
  if (value === "auto" || value === "off") return value;
  if (/^[1-9]\d*$/.test(value)) return Number(value);
  throw new UsageError(`--concurrency must be auto, off or a positive number of threads, not ${JSON.stringify(value)}`);
}

/** `util.parseArgs` messages are long and sometimes multi-line; keep the gist on one line. */
function usageReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]} (see --help)`;
  const positional = /Option '([^']+)' argument missing/.exec(message);
  if (positional) return `option ${positional[1].split(",").pop()!.trim().split(" ")[0]} needs a value`;
  return message.split("\n")[0];
}

export const HELP = `restate-guard: find (and fix) Restate replay, determinism and locking bugs

Usage:
  restate-guard check [paths...] [options]   lint the project, print findings
  restate-guard fix [paths...] [options]     apply the autofixes that keep the project type-checking
  restate-guard compat <base-ref> [options]  compare the Restate surface with a base revision: changes that
                                             break existing state or in-flight invocations (docs/compat.md)

Paths restrict the run to those files or directories of the project (default: every TypeScript
file the tsconfig includes, without declaration files and node_modules).

Options:
  -p, --project <path>      tsconfig to use (a file, or a directory holding tsconfig.json);
                            default: the nearest tsconfig.json from the current directory up
      --preset <name>       recommended | recommended-type-checked (default) | strict | all
      --rule <id=severity>  set one rule: off, warn or error; repeatable
                            (e.g. --rule no-blocking-in-exclusive-handler=warn)
  -f, --format <format>     check only: text (default) | json | sarif
      --dry-run             fix only: print a unified diff of what would change, write nothing
      --progress            progress on stderr even when it is not a terminal or the project is small
      --concurrency <n>     lint with ESLint's worker threads: auto | off (default) | a number;
                            each thread builds its own TypeScript program (more memory)
      --base-dir <path>     compat only: a checkout of the base revision, instead of <base-ref>
      --accept <id>         compat only: an intended break (its id from the output); repeatable
      --in-place            compat only: also compare each handler's journal order, for code updated
                            behind an existing deployment
  -h, --help                show this help
  -v, --version             show the version

Exit codes: 0 no errors (warnings alone are fine), 1 errors found (for fix: errors that remain;
for compat: breaking changes not accepted), 2 bad usage or an unreadable project.
Docs: https://github.com/restate-guard/restate-guard/blob/main/docs/cli.md
`;
