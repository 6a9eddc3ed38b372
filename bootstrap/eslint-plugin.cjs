"use strict";
// `restate-guard/eslint-plugin` for CommonJS: chooses the TypeScript to analyse with (./typescript.cjs) before the
// plugin and its analysis load, then hands over to the compiled plugin (dist/cjs/eslint-plugin.js; `.default`).
require("./typescript.cjs");

module.exports = require("../dist/cjs/eslint-plugin.js");
