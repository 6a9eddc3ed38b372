// The endpoint for tests/server/serializable-journal-values.test.ts: the INCORRECT and CORRECT services of
// restate/serializable-journal-values (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./serializable-journal-values.replay.correct.js";
import * as incorrect from "./serializable-journal-values.replay.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
