import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's own name and version, read from its package.json (works from the sources and from dist/). */
export function packageInfo(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "restate-guard" && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      // not here: look one level up
    }
    dir = dirname(dir);
  }
  return { name: "restate-guard", version: "0.0.0" };
}
