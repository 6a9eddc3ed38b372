/**
 * The TypeScript the CLI analyses with, loaded with `require` as typescript-eslint loads it: the same module, and
 * no scan of TypeScript's CommonJS file for export names (an ES module import of it costs hundreds of
 * milliseconds). In a TypeScript 7 project this is restate-guard's own copy (bootstrap/typescript.cjs).
 */
import { createRequire } from "node:module";
import type ts from "typescript";

export function loadTypeScript(): typeof ts {
  return createRequire(import.meta.url)("typescript") as typeof ts;
}
