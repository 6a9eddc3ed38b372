/**
 * Temporary directories inside this package (under the git-ignored dist/), so that files written there resolve
 * `restate-guard` to this checkout by self-reference, as a consumer's files would resolve the installed package.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../server/harness.js";

export function tempDirInPackage(prefix: string): string {
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  return mkdtempSync(join(ROOT, "dist", `.tmp-${prefix}-`));
}
