// `#ts-api-utils` for the ES module build: ts-api-utils, loaded on first use (only type-aware code calls it), with
// CommonJS `require`. Loading it from an ES module would import TypeScript as an ES module too, which makes Node scan
// TypeScript's 9 MB CommonJS file for its export names (hundreds of milliseconds) although typescript-eslint has
// already loaded it with `require`; and a TypeScript 7 project's redirect (bootstrap/typescript.cjs) applies to
// `require` alone.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let api;

export function tsApiUtils() {
  return (api ??= require("ts-api-utils"));
}
