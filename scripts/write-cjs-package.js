// Marks a CommonJS build folder (the argument, relative to the repository root) as CommonJS, so Node and
// TypeScript read the .js/.d.ts files there as such although the package around them is "type": "module".
import { writeFileSync } from "node:fs";

const folder = process.argv[2];
if (!folder) throw new Error("usage: node scripts/write-cjs-package.js <folder>");
writeFileSync(new URL(`../${folder}/package.json`, import.meta.url), `${JSON.stringify({ type: "commonjs" })}\n`);
