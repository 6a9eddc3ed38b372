// The endpoint for tests/server/no-floating-restate-promise.test.ts: the INCORRECT and CORRECT services of
// restate/no-floating-restate-promise (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-floating-restate-promise.dropped.correct.js";
import * as incorrect from "./no-floating-restate-promise.dropped.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
