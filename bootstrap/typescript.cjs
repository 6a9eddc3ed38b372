"use strict";
/**
 * Chooses the TypeScript restate-guard analyses with, before any of its analysis loads. Every entry point that runs
 * the analysis outside tsserver (the `restate-guard` command, both builds of the ESLint plugin) loads this first.
 *
 * restate-guard depends on `typescript` (a range that ends below 7). When the project's own `typescript` is in that
 * range, npm installs one copy and this file does nothing. When the project has TypeScript 7 (a native compiler whose
 * package has no JavaScript compiler API), npm nests restate-guard's copy in node_modules/restate-guard/node_modules,
 * and nests typescript-eslint there too (its peer range excludes 7), but hoists `ts-api-utils` (whose peer range
 * admits 7) to the project's node_modules, where `typescript` is 7. Loading it then fails. npm offers no way to keep
 * it nested: bundling it leaves the nested TypeScript empty (npm counts a bundled package's peers as bundled too).
 *
 * So, only then, a request for `typescript` from restate-guard's analysis stack (restate-guard, ts-api-utils,
 * @typescript-eslint/*) that would load a TypeScript without the compiler API resolves from restate-guard's own
 * folder instead, through `Module._resolveFilename`. The stack loads TypeScript only with `require`
 * (typescript-eslint is CommonJS; restate-guard loads ts-api-utils and TypeScript with `require`, see
 * lazy/ts-api-utils.mjs), so no ES module hook is needed. Nothing else in the process is touched. No library does
 * this.
 */
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");

const INSTALLED = Symbol.for("restate-guard.typescript-redirect");
const PACKAGE_ROOT = path.join(__dirname, "..");

/** The folder of the `typescript` package that `request`-style resolution from `from` finds, or undefined. */
function typescriptFolder(from) {
  try {
    let dir = path.dirname(require.resolve("typescript", { paths: [from] }));
    while (path.basename(dir) !== "typescript" && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return dir;
  } catch {
    return undefined;
  }
}

/** Whether the `typescript` package in `dir` has the JavaScript compiler API (TypeScript 7 does not). */
function hasCompilerApi(dir) {
  try {
    const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    return Number(String(version).split(".")[0]) < 7;
  } catch {
    return false;
  }
}

/** Whether `file` (a path) belongs to restate-guard's analysis stack. */
function inAnalysisStack(file) {
  const sep = path.sep;
  return (
    file.startsWith(PACKAGE_ROOT + sep) ||
    file.includes(`${sep}node_modules${sep}ts-api-utils${sep}`) ||
    file.includes(`${sep}node_modules${sep}@typescript-eslint${sep}`)
  );
}

function install() {
  if (globalThis[INSTALLED]) return;
  globalThis[INSTALLED] = true;
  const own = typescriptFolder(PACKAGE_ROOT);
  let helpers;
  try {
    helpers = path.dirname(require.resolve("ts-api-utils", { paths: [PACKAGE_ROOT] }));
  } catch {
    return;
  }
  const theirs = typescriptFolder(helpers);
  if (!own || !theirs || own === theirs || hasCompilerApi(theirs) || !hasCompilerApi(own)) return;

  const unusable = theirs + path.sep;
  const isTypeScript = (request) => request === "typescript" || request.startsWith("typescript/");
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    const resolved = resolveFilename.call(this, request, parent, ...rest);
    if (isTypeScript(request) && resolved.startsWith(unusable) && parent?.filename && inAnalysisStack(parent.filename)) {
      return require.resolve(request, { paths: [PACKAGE_ROOT] });
    }
    return resolved;
  };
}

install();
