/**
 * Temporary directories inside the runtime package (under its git-ignored dist/), so that files written there
 * resolve `restate-guard-runtime` to this checkout by self-reference, as a consumer's files would resolve the
 * installed package.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../server/harness.js";

/** The runtime package's folder (the `restate-guard-runtime` workspace). */
export const RUNTIME_PACKAGE = join(ROOT, "runtime");

export function tempDirInPackage(prefix: string): string {
  mkdirSync(join(RUNTIME_PACKAGE, "dist"), { recursive: true });
  return mkdtempSync(join(RUNTIME_PACKAGE, "dist", `.tmp-${prefix}-`));
}
