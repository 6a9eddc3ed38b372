// A service contract declared in its own module, as `implement()` users do:
// only type information tells which handlers are shared.
import * as restate from "@restatedev/restate-sdk";

export const TicketContract = restate.iface.object("ticket", {
  reserve: restate.iface.json<string, boolean>(),
  release: restate.iface.json<void, void>(),
  status: restate.iface.shared.json<void, string>(),
});
