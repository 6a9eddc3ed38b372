// The smallest endpoint: proves the harness (server, service process, registration, ingress).
import * as restate from "@restatedev/restate-sdk";
import { record } from "../harness.js";

const greeter = restate.service({
  name: "greeter",
  handlers: {
    greet: async (ctx: restate.Context, name: string) => {
      await ctx.run("record", () => record(`greet ${name}`));
      return `Hello, ${name}!`;
    },
  },
});

export type Greeter = typeof greeter;

restate.serve({ services: [greeter], port: Number(process.env.PORT) });
