/**
 * Progress lines on stderr, so stdout stays machine-readable. Shown for
 * projects with more than `THRESHOLD` files when stderr is a terminal, or
 * always with `--progress`.
 */
export const THRESHOLD = 20;

export interface Progress {
  /** Files are handed to ESLint in batches of this size, one progress line after each. */
  readonly batchSize: number;
  step(done: number, total: number, verb: string): void;
  note(line: string): void;
}

export function createProgress(stderr: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown }, total: number, forced: boolean): Progress {
  const enabled = forced || (total > THRESHOLD && Boolean(stderr.isTTY));
  // About twenty lines whatever the size of the project, and never a batch under 20 files.
  const batchSize = enabled ? Math.max(THRESHOLD, Math.ceil(total / 20)) : Math.max(total, 1);
  return {
    batchSize,
    step(done, total, verb) {
      if (enabled) stderr.write(`restate-guard: ${verb} ${done}/${total} files\n`);
    },
    note(line) {
      if (enabled) stderr.write(`restate-guard: ${line}\n`);
    },
  };
}
