// Compensation runners for compensation-before-action's cross-file tests.
export type Compensation = () => Promise<unknown>;

/** Runs the compensations in reverse order of registration. */
export async function runCompensations(compensations: Compensation[]): Promise<void> {
  for (const compensation of [...compensations].reverse()) {
    await compensation();
  }
}

/** Only counts them: runs nothing. */
export function countCompensations(compensations: Compensation[]): number {
  return compensations.length;
}
