// The endpoint for tests/server/no-native-promise-combinators.test.ts: the INCORRECT and CORRECT fan-outs of
// restate/no-native-promise-combinators (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-native-promise-combinators.fanout.correct.js";
import * as incorrect from "./no-native-promise-combinators.fanout.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
