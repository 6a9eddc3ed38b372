// The endpoint for tests/server/shared-handler-registration.test.ts: the INCORRECT and CORRECT services of
// restate/shared-handler-registration (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./shared-handler-registration.counter.correct.js";
import * as incorrect from "./shared-handler-registration.counter.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
