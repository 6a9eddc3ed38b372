// The endpoint for tests/server/no-side-effects-outside-run.test.ts: the INCORRECT and CORRECT services of
// restate/no-side-effects-outside-run (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-side-effects-outside-run.replay.correct.js";
import * as incorrect from "./no-side-effects-outside-run.replay.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
