// One endpoint process per rule for tests/server/rules.test.ts: serves the INCORRECT and the
// CORRECT services of the rule named by RULE (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as blockCorrect from "./rule-no-blocking-in-exclusive-handler.correct.js";
import * as blockIncorrect from "./rule-no-blocking-in-exclusive-handler.incorrect.js";
import * as sagaCorrect from "./rule-compensation-before-action.correct.js";
import * as sagaIncorrect from "./rule-compensation-before-action.incorrect.js";
import * as ingressCorrect from "./rule-no-ingress-client-in-handler.correct.js";
import * as ingressIncorrect from "./rule-no-ingress-client-in-handler.incorrect.js";
import * as mapCorrect from "./rule-no-map-iteration-with-context-calls.correct.js";
import * as mapIncorrect from "./rule-no-map-iteration-with-context-calls.incorrect.js";
import * as ncrCorrect from "./rule-no-context-in-run.correct.js";
import * as ncrIncorrect from "./rule-no-context-in-run.incorrect.js";
import * as nndCorrect from "./rule-no-nondeterministic-calls.correct.js";
import * as nndIncorrect from "./rule-no-nondeterministic-calls.incorrect.js";

const byRule: Record<string, { services: readonly restate.ServiceDefinition<string, unknown>[] }[]> = {
  "no-context-in-run": [ncrIncorrect, ncrCorrect],
  "no-nondeterministic-calls": [nndIncorrect, nndCorrect],
  "no-blocking-in-exclusive-handler": [blockIncorrect, blockCorrect],
  "no-ingress-client-in-handler": [ingressIncorrect, ingressCorrect],
  "no-map-iteration-with-context-calls": [mapIncorrect, mapCorrect],
  "compensation-before-action": [sagaIncorrect, sagaCorrect],
};

const forms = byRule[process.env.RULE ?? ""];
if (!forms) throw new Error(`RULE must be one of ${Object.keys(byRule).join(", ")}`);
restate.serve({ services: forms.flatMap((form) => form.services), port: Number(process.env.PORT) });
