/**
 * docs/editor.md matches the plugin: its table of diagnostic codes is the
 * plugin's, and every tsconfig example is a plugin entry whose settings are
 * valid.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeSettings } from "../../settings/index.js";
import { RULE_IDS, RULES_WITHOUT_CODE, ruleCode } from "../../editor/plugin.js";
import { ROOT } from "../../scripts/docs-lib.js";

const page = readFileSync(join(ROOT, "docs", "editor.md"), "utf8");

describe("docs/editor.md", () => {
  it("every rule has a diagnostic code", () => {
    expect(RULES_WITHOUT_CODE).toEqual([]);
  });

  it("lists every rule's diagnostic code", () => {
    const documented = [...page.matchAll(/^\| (\d+) \| `(restate\/[\w-]+)` \|$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(documented).toEqual(RULE_IDS.map((id) => [ruleCode(id), id]));
  });

  it("shows only valid plugin entries", () => {
    const entries = [...page.matchAll(/```json\n([^]*?)```/g)]
      .map((m) => JSON.parse(m[1]) as { compilerOptions?: { plugins?: { name: string }[] } })
      .flatMap((json) => json.compilerOptions?.plugins ?? []);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of entries) {
      expect(entry.name).toBe("restate-guard/ts-plugin");
      expect(normalizeSettings(entry).problems).toEqual([]);
    }
  });
});
