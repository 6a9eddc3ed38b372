// The endpoint for tests/server/no-self-deadlock.test.ts: the INCORRECT and CORRECT services of
// restate/no-self-deadlock (distinct object names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-self-deadlock.self-call.correct.js";
import * as incorrect from "./no-self-deadlock.self-call.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
