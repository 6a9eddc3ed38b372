/**
 * `restate-guard check --format sarif` is a valid SARIF 2.1.0 log (the official
 * schema, vendored next to this file: see sarif-schema-2.1.0.NOTICE.md) with
 * what code scanning needs: a rule table with docs links, and results that
 * point into the project with 1-based lines and columns.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PACKAGE_VERSION } from "../../core/package-info.js";
import plugin, { presetRules } from "../../eslint-plugin.js";
import { expectedMarkers, removeTempProjects, runCli, tempProject } from "./helpers.js";

// ajv-formats is CommonJS with a default export that NodeNext typings cannot call as an ES default import.
import * as formats from "ajv-formats";
const addFormats = ((formats as { default?: unknown }).default ?? formats) as (ajv: Ajv2020) => Ajv2020;

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "sarif-schema-2.1.0.json"), "utf8"));

let buggy: string;
let log: any; // a parsed JSON document, checked field by field below
let code: number;
beforeAll(async () => {
  buggy = tempProject(["shop-buggy", "shop"], "sarif");
  const result = await runCli(["check", "--format", "sarif", "--preset", "strict"], buggy);
  code = result.code;
  expect(result.stderr).toBe("");
  log = JSON.parse(result.stdout);
});
afterAll(removeTempProjects);

it("validates against the SARIF 2.1.0 JSON schema", () => {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  const validate = ajv.compile(schema);
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  expect(code).toBe(1);
});

it("has one run whose tool names restate-guard and describes every enabled rule", () => {
  expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
  expect(log.version).toBe("2.1.0");
  expect(log.runs).toHaveLength(1);
  const { driver } = log.runs[0].tool;
  expect(driver).toMatchObject({ name: "restate-guard", version: PACKAGE_VERSION, informationUri: expect.stringMatching(/^https:\/\//) });
  expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(presetRules.strict).sort());
  for (const rule of driver.rules) {
    const meta = plugin.rules[rule.id.replace("restate/", "") as keyof typeof plugin.rules].meta;
    expect(rule.helpUri).toBe(meta.docs!.url);
    expect(rule.shortDescription.text.length).toBeGreaterThan(10);
    expect(rule.defaultConfiguration).toEqual({ level: "error" });
  }
});

it("has one result per planted bug, located relative to the project root with 1-based positions", () => {
  const run = log.runs[0];
  expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe(pathToFileURL(`${buggy}/`).href);
  const found = run.results
    .map((r: any) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine} ${r.ruleId}`)
    .sort();
  expect(found).toEqual(expectedMarkers(buggy, "shop-buggy"));
  for (const result of run.results) {
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(result.level).toBe("error");
    expect(result.message.text.length).toBeGreaterThan(20);
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    expect(artifactLocation.uriBaseId).toBe("%SRCROOT%");
    expect(artifactLocation.uri).toMatch(/^shop-buggy\/src\/[\w-]+\.ts$/);
    // The errata's rule the vendored schema does not carry: a region has a start line.
    expect(region.startLine).toBeGreaterThanOrEqual(1);
    expect(region.startColumn).toBeGreaterThanOrEqual(1);
    expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
    if (region.endLine === region.startLine) expect(region.endColumn).toBeGreaterThan(region.startColumn);
  }
  // A known one: the `Date.now()` in cart.ts starts at 55:18 and is 10 characters long.
  const dateNow = run.results.find((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === "shop-buggy/src/cart.ts" && r.message.text.startsWith("`Date.now()`"));
  expect(dateNow.locations[0].physicalLocation.region).toEqual({ startLine: 55, startColumn: 18, endLine: 55, endColumn: 28 });
});

it("gives a finding reached through a helper in another file a related location at the helper's I/O call", () => {
  const results = log.runs[0].results as any[];
  const through = results.find(
    (r) => r.ruleId === "restate/no-side-effects-outside-run" && r.locations[0].physicalLocation.artifactLocation.uri === "shop-buggy/src/shipping.ts" && r.relatedLocations,
  );
  expect(through?.message.text).toContain("`removeParcels` → `fetch` (dashboard.ts:");
  expect(through.relatedLocations).toEqual([
    {
      id: 0,
      message: { text: expect.stringContaining("`removeParcels` → `fetch`") },
      physicalLocation: {
        artifactLocation: { uri: "shop-buggy/src/dashboard.ts", uriBaseId: "%SRCROOT%" },
        region: { startLine: 14, startColumn: 9, endLine: 14, endColumn: expect.any(Number) },
      },
    },
  ]);
});
