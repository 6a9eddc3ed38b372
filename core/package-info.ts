// Generated from package.json by `npm run docs`; tests/docs.test.ts checks it is current.
export const PACKAGE_NAME = "restate-guard";
export const PACKAGE_VERSION = "0.2.0";
