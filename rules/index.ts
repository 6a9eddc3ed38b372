/** The rule registry: one import per file in rules/, keyed by rule id (the file name). */
import compensationBeforeAction from "./compensation-before-action.js";
import noBlockingInExclusiveHandler from "./no-blocking-in-exclusive-handler.js";
import noConsoleInHandler from "./no-console-in-handler.js";
import noContextInRun from "./no-context-in-run.js";
import noFloatingRestatePromise from "./no-floating-restate-promise.js";
import noIdempotencyKeyInHandler from "./no-idempotency-key-in-handler.js";
import noIngressClientInHandler from "./no-ingress-client-in-handler.js";
import noMapIterationWithContextCalls from "./no-map-iteration-with-context-calls.js";
import noModuleStateInHandler from "./no-module-state-in-handler.js";
import noNativePromiseCombinators from "./no-native-promise-combinators.js";
import noNativeTimers from "./no-native-timers.js";
import noNondeterministicCalls from "./no-nondeterministic-calls.js";
import noOuterMutationInRun from "./no-outer-mutation-in-run.js";
import noSelfDeadlock from "./no-self-deadlock.js";
import noSideEffectsOutsideRun from "./no-side-effects-outside-run.js";
import serializableJournalValues from "./serializable-journal-values.js";
import sharedHandlerRegistration from "./shared-handler-registration.js";

export const rules = {
  "compensation-before-action": compensationBeforeAction,
  "no-blocking-in-exclusive-handler": noBlockingInExclusiveHandler,
  "no-console-in-handler": noConsoleInHandler,
  "no-context-in-run": noContextInRun,
  "no-floating-restate-promise": noFloatingRestatePromise,
  "no-idempotency-key-in-handler": noIdempotencyKeyInHandler,
  "no-ingress-client-in-handler": noIngressClientInHandler,
  "no-map-iteration-with-context-calls": noMapIterationWithContextCalls,
  "no-module-state-in-handler": noModuleStateInHandler,
  "no-native-promise-combinators": noNativePromiseCombinators,
  "no-native-timers": noNativeTimers,
  "no-nondeterministic-calls": noNondeterministicCalls,
  "no-outer-mutation-in-run": noOuterMutationInRun,
  "no-self-deadlock": noSelfDeadlock,
  "no-side-effects-outside-run": noSideEffectsOutsideRun,
  "serializable-journal-values": serializableJournalValues,
  "shared-handler-registration": sharedHandlerRegistration,
};
