/** The rule registry: one import per file in rules/, keyed by rule id (the file name). */
import noBlockingInExclusiveHandler from "./no-blocking-in-exclusive-handler.js";
import noContextInRun from "./no-context-in-run.js";
import noMapIterationWithContextCalls from "./no-map-iteration-with-context-calls.js";

export const rules = {
  "no-blocking-in-exclusive-handler": noBlockingInExclusiveHandler,
  "no-context-in-run": noContextInRun,
  "no-map-iteration-with-context-calls": noMapIterationWithContextCalls,
};
