/**
 * SARIF 2.1.0 output of `restate-guard compat` (`--format sarif`), for code scanning: one rule per kind of change
 * (`compat/<kind>`, helpUri to docs/compat.md), one result per finding at its place in the working tree (or, for
 * what is gone, its place in the base revision), with the base place as a related location. An accepted finding is
 * a result with an external suppression, justified by `--accept`.
 */
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import { REPOSITORY_URL } from "../../core/create-rule.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../../core/package-info.js";
import { SARIF_SCHEMA, URI_BASE_ID, uriReference } from "../sarif.js";
import type { CompatFinding } from "./diff.js";

const DOCS = `${REPOSITORY_URL}/blob/main/docs/compat.md`;

export function formatCompatSarif(findings: readonly CompatFinding[], root: string, base: string): string {
  const kinds = [...new Set(findings.map((f) => f.kind))].sort();
  const rules: Sarif.ReportingDescriptor[] = kinds.map((kind) => ({
    id: `compat/${kind}`,
    shortDescription: { text: `A ${kind.replace(/-/g, " ")} that breaks existing state or in-flight invocations` },
    helpUri: `${DOCS}#what-it-reports-and-how-to-migrate`,
    defaultConfiguration: { level: "error" },
  }));
  const location = (place: { file: string; line: number }): Sarif.Location => ({
    physicalLocation: { artifactLocation: { uri: uriReference(place.file), uriBaseId: URI_BASE_ID }, region: { startLine: place.line } },
  });
  const results: Sarif.Result[] = findings.map((f) => ({
    ruleId: `compat/${f.kind}`,
    ruleIndex: kinds.indexOf(f.kind),
    level: "error",
    message: { text: `${f.message} Migrate: ${f.migration}` },
    locations: [location(f.head ?? f.base)],
    relatedLocations: [{ id: 0, message: { text: `In the base revision (${base}).` }, ...location(f.base) }],
    partialFingerprints: { "restateGuardCompat/v1": f.id },
    ...(f.accepted ? { suppressions: [{ kind: "external", justification: "Accepted with --accept." }] } : {}),
  }));
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: PACKAGE_NAME, version: PACKAGE_VERSION, semanticVersion: PACKAGE_VERSION, informationUri: REPOSITORY_URL, rules } },
        originalUriBaseIds: { [URI_BASE_ID]: { uri: pathToFileURL(root.endsWith("/") ? root : `${root}/`).href } },
        invocations: [{ executionSuccessful: true }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
