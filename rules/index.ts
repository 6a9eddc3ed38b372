/** The rule registry: one import per file in rules/, keyed by rule id (the file name). */
import compensationBeforeAction from "./compensation-before-action.js";
import noBlockingInExclusiveHandler from "./no-blocking-in-exclusive-handler.js";
import noContextInRun from "./no-context-in-run.js";
import noIngressClientInHandler from "./no-ingress-client-in-handler.js";
import noMapIterationWithContextCalls from "./no-map-iteration-with-context-calls.js";
import noNondeterministicCalls from "./no-nondeterministic-calls.js";

export const rules = {
  "compensation-before-action": compensationBeforeAction,
  "no-blocking-in-exclusive-handler": noBlockingInExclusiveHandler,
  "no-context-in-run": noContextInRun,
  "no-ingress-client-in-handler": noIngressClientInHandler,
  "no-map-iteration-with-context-calls": noMapIterationWithContextCalls,
  "no-nondeterministic-calls": noNondeterministicCalls,
};
