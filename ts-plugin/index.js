"use strict";
/**
 * `restate-guard/ts-plugin`: the entry tsserver loads with `require` (as a
 * file path next to `typescript`, so package.json `exports` do not apply).
 * It only hands over to the engine, built to dist/cjs from editor/plugin.ts.
 * If the engine cannot be loaded, the plugin says so in the tsserver log and
 * leaves the language service as it is.
 */
module.exports = function restateGuardTsPlugin(modules) {
  let engine;
  try {
    engine = require("../dist/cjs/editor/plugin.js");
  } catch (error) {
    return {
      create(info) {
        try {
          info.project.projectService.logger.info(`[restate-guard] could not load the ts-plugin engine; TypeScript runs without it: ${(error && error.stack) || error}`);
        } catch {
          // No logger.
        }
        return info.languageService;
      },
    };
  }
  return engine.init(modules);
};
