/**
 * `restate-guard`: the command-line front end of the ESLint rules.
 *
 *   restate-guard check [paths…]   lint, print findings (text, JSON or SARIF)
 *   restate-guard fix [paths…]     apply the autofixes that keep the project type-checking
 *
 * Exit codes: 0 no errors, 1 errors (for `fix`: errors that remain), 2 bad
 * usage or an unreadable project, always with one line on stderr saying why.
 * Findings go to stdout; progress and notes to stderr.
 */
import { HELP, parseInvocation, UsageError, type Invocation } from "./args.js";

export interface Io {
  readonly cwd: string;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const invocation = parseInvocation(argv);
    if (invocation.kind === "help") {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    if (invocation.kind === "version") {
      const { PACKAGE_VERSION } = await import("../core/package-info.js");
      io.stdout.write(`${PACKAGE_VERSION}\n`);
      return EXIT_OK;
    }
    if (invocation.kind === "compat") {
      const { compat } = await import("./compat/command.js");
      return await compat(invocation, io);
    }
    // The engine (ESLint, typescript-eslint, TypeScript) loads only for a real run.
    const { run } = await import("./run.js");
    return await run(invocation as Extract<Invocation, { kind: "run" }>, io);
  } catch (error) {
    io.stderr.write(`restate-guard: ${reason(error)}\n`);
    if (process.env.RESTATE_GUARD_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}

/** One line: the first line of the message, whatever threw it. */
function reason(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // `require` (how the CLI loads TypeScript) says MODULE_NOT_FOUND; an ES module import says ERR_MODULE_NOT_FOUND.
  if ((code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && /'typescript'/.test(message)) {
    return "TypeScript is not installed here; install it next to restate-guard (npm install --save-dev typescript)";
  }
  const first = message.split("\n").find((line) => line.trim() !== "") ?? "unexpected error";
  return first.trim();
}
