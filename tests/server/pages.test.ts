/**
 * Every rule is proven on the real server (issue 16): each rule page has a "What happens at runtime" section that
 * names the server and SDK versions and a test under tests/server/ that exists and exercises that rule.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { rules } from "../../rules/index.js";
import { ROOT } from "./harness.js";

it.each(Object.keys(rules))("docs/rules/%s.md says what happened on restate-server, backed by a test", (id) => {
  const page = readFileSync(join(ROOT, "docs", "rules", `${id}.md`), "utf8");
  const section = /^#+ What happens at runtime\n([^]*?)(?=^## |(?![^]))/m.exec(page)?.[1];
  expect(section, "no \"What happens at runtime\" section").toBeDefined();
  expect(section).toMatch(/restate-server` 1\.7\.\d+|restate-server 1\.7\.\d+/);
  const tests = [...new Set(section!.match(/tests\/server\/[\w.-]+\.test\.ts/g) ?? [])];
  expect(tests.length, "names no tests/server/*.test.ts").toBeGreaterThan(0);
  for (const test of tests) expect(existsSync(join(ROOT, test)), test).toBe(true);
  // At least one of them is about this rule (a page may also cite another rule's test for a related observation).
  expect(tests.some((test) => readFileSync(join(ROOT, test), "utf8").includes(id)), `none of ${tests.join(", ")} exercises ${id}`).toBe(true);
});
