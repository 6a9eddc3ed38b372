/**
 * Messages are one or two short sentences (what is wrong, in the user's names, and the fix; the reasoning is in the
 * docs page). tests/example.test.ts holds every message rendered on the example shop to 200 characters; this holds
 * every message of every rule, including those the shop does not show, with each placeholder filled by a
 * 12-character name.
 */
import { expect, it } from "vitest";
import { rules } from "../rules/index.js";

const LIMIT = 200;
const NAME = "orderTotals1";

it.each(Object.entries(rules).flatMap(([id, rule]) => Object.entries(rule.meta.messages).map(([messageId, text]) => [`${id}/${messageId}`, text] as const)))(
  "%s fits in 200 characters",
  (_, text) => {
    const rendered = text.replace(/\{\{\s*\w+\s*\}\}/g, NAME);
    expect(rendered.length, rendered).toBeLessThanOrEqual(LIMIT);
  },
);
