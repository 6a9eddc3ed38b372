// A second module that re-exports and builds on the clock helpers.
import { newOrderId } from "./clock.js";

export { nowMillis as currentTime } from "./clock.js";

export function invoiceNumber(year: number): string {
  return newOrderId(`INV-${year}`);
}
