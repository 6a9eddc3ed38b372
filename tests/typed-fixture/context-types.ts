// A type alias in another module: only type information can tell it is a Restate context.
import type { ObjectContext } from "@restatedev/restate-sdk";

export type CartCtx = ObjectContext<{ items: string[] }>;
