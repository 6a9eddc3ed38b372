// The endpoint for tests/server/no-outer-mutation-in-run.test.ts: the INCORRECT and CORRECT services of
// restate/no-outer-mutation-in-run (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-outer-mutation-in-run.replay.correct.js";
import * as incorrect from "./no-outer-mutation-in-run.replay.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
