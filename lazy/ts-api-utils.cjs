"use strict";
// `#ts-api-utils` for the CommonJS build: ts-api-utils, loaded on first use (see ./ts-api-utils.mjs).
let api;

exports.tsApiUtils = function tsApiUtils() {
  return (api ??= require("ts-api-utils"));
};
