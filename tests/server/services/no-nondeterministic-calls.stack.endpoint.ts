// The endpoint for tests/server/no-nondeterministic-calls-stack.test.ts.
import * as restate from "@restatedev/restate-sdk";
import { services } from "./no-nondeterministic-calls.stack.js";

restate.serve({ services, port: Number(process.env.PORT) });
