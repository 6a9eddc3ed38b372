// The endpoint for tests/server/no-console-in-handler.test.ts: the INCORRECT and CORRECT services of
// restate/no-console-in-handler (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-console-in-handler.replay.correct.js";
import * as incorrect from "./no-console-in-handler.replay.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
