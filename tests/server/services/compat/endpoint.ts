// Serves v1 or v2 of the app (./v1/src/app.ts, ./v2/src/app.ts), whichever the file at VERSION_FILE names when the
// process starts: restarting the process on the same port after changing the file updates the code in place.
import { readFileSync } from "node:fs";
import * as restate from "@restatedev/restate-sdk";

const version = readFileSync(process.env.VERSION_FILE!, "utf8").trim();
const app = (await import(version === "v2" ? "./v2/src/app.js" : "./v1/src/app.js")) as { services: restate.ServiceDefinition<string, unknown>[] };
restate.serve({ services: app.services as never, port: Number(process.env.PORT) });
