// A barrel, as real services folders have one.
export * from "./fx.js";
export { getFxRate as rateOf } from "./fx.js";
