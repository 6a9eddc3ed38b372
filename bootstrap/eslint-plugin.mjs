// `restate-guard/eslint-plugin` for ES modules: chooses the TypeScript to analyse with (./typescript.cjs) before the
// plugin and its analysis load, then hands over to the compiled plugin (dist/eslint-plugin.js).
import "./typescript.cjs";

const { default: plugin } = await import("../dist/eslint-plugin.js");

export default plugin;
