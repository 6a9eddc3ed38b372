/**
 * restate-guard runtime helpers for services written with the Restate
 * TypeScript SDK (`@restatedev/restate-sdk`, a peer dependency). Each helper
 * is the fix a restate-guard lint rule points to:
 *
 * - {@link Saga} / {@link runSaga} — `compensation-before-action`
 * - {@link ordered} — `no-map-iteration-with-context-calls`
 * - {@link durableDate} — `no-nondeterministic-calls`
 * - {@link scheduleSelf} — `no-blocking-in-exclusive-handler`
 *
 * @packageDocumentation
 */
export { Saga, runSaga, type SagaStep } from "./saga.js";
export { ordered } from "./ordered.js";
export { durableDate } from "./date.js";
export { scheduleSelf, type DelayedSelfClient } from "./schedule-self.js";
