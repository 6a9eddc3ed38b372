// The endpoint for tests/server/no-idempotency-key-in-handler.test.ts: the INCORRECT and CORRECT services of
// restate/no-idempotency-key-in-handler (distinct service names, one deployment).
import * as restate from "@restatedev/restate-sdk";
import * as correct from "./no-idempotency-key-in-handler.retry.correct.js";
import * as incorrect from "./no-idempotency-key-in-handler.retry.incorrect.js";

restate.serve({ services: [...incorrect.services, ...correct.services], port: Number(process.env.PORT) });
