// Marks a CommonJS build folder (the argument, relative to the repository root) as CommonJS, so Node and TypeScript
// read the .js/.d.ts files there as such although the package around them is "type": "module".
// With --lazy, also copies lazy/*.cjs into the folder and maps the package's `#…` imports to them: the folder's own
// package.json is the nearest one for the files in it, so Node resolves their `#ts-api-utils` through it.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const [folder, flag] = process.argv.slice(2);
if (!folder) throw new Error("usage: node scripts/write-cjs-package.js <folder> [--lazy]");
const root = new URL("../", import.meta.url);
const target = new URL(`${folder}/`, root);
const manifest = { type: "commonjs" };
if (flag === "--lazy") {
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  mkdirSync(new URL("lazy/", target), { recursive: true });
  for (const file of readdirSync(new URL("lazy/", root)).filter((f) => f.endsWith(".cjs"))) copyFileSync(new URL(`lazy/${file}`, root), new URL(`lazy/${file}`, target));
  manifest.imports = Object.fromEntries(Object.entries(pkg.imports ?? {}).map(([name, conditions]) => [name, conditions.require]));
}
writeFileSync(new URL("package.json", target), `${JSON.stringify(manifest)}\n`);
