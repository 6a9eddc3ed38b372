// The endpoint for tests/server/no-native-timers.test.ts: the INCORRECT and CORRECT services of
// restate/no-native-timers (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-native-timers.remind.correct.js";
import * as incorrect from "./no-native-timers.remind.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
