// The endpoint for tests/server/no-module-state-in-handler.test.ts: the INCORRECT and CORRECT services of
// restate/no-module-state-in-handler (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-module-state-in-handler.restart.correct.js";
import * as incorrect from "./no-module-state-in-handler.restart.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
