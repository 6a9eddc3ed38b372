/**
 * SARIF 2.1.0 output, for code-scanning upload (GitHub and others).
 *
 * Written by hand rather than with a SARIF builder library: the log is one
 * run with a rule table and results, and the builders on npm add a dependency
 * for what is a plain object literal. The shape is checked against the
 * official SARIF 2.1.0 JSON schema in tests/cli.
 */
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import { REPOSITORY_URL } from "../core/create-rule.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../core/package-info.js";
import { ruleMeta } from "./lint.js";
import { relativePath } from "./project.js";
import type { FileFindings, RunInfo } from "./report.js";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** The base that every artifact URI is relative to: the project root (the tsconfig's directory). */
export const URI_BASE_ID = "%SRCROOT%";

const LEVEL = { error: "error", warn: "warning", warning: "warning" } as const;

/** A relative path as a URI reference: each segment percent-encoded. */
export function uriReference(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function formatSarif(files: readonly FileFindings[], info: RunInfo, rules: ReadonlyMap<string, "warn" | "error">): string {
  const descriptors: Sarif.ReportingDescriptor[] = [];
  const indexOf = new Map<string, number>();
  const describe = (id: string, severity: "warn" | "error") => {
    const meta = ruleMeta(id);
    indexOf.set(id, descriptors.length);
    descriptors.push({
      id,
      // `text` is plain text; the descriptions use Markdown code spans, kept in `markdown`.
      shortDescription: meta?.description ? { text: meta.description.replace(/`/g, ""), markdown: meta.description } : { text: id },
      ...(meta?.url ? { helpUri: meta.url } : {}),
      defaultConfiguration: { level: LEVEL[severity] },
    });
  };
  for (const [id, severity] of [...rules].sort(([a], [b]) => (a < b ? -1 : 1))) describe(id, severity);

  const results: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];
  for (const { file, findings } of files) {
    const artifactLocation: Sarif.ArtifactLocation = { uri: uriReference(relativePath(info.root, file)), uriBaseId: URI_BASE_ID };
    const region = (f: FileFindings["findings"][number]): Sarif.Region => ({
      startLine: f.line,
      startColumn: f.column,
      ...(f.endLine !== null ? { endLine: f.endLine } : {}),
      ...(f.endColumn !== null ? { endColumn: f.endColumn } : {}),
    });
    for (const finding of findings) {
      if (finding.ruleId === null) {
        // Not a rule's finding (a file that does not parse): a notification that the run did not fully succeed.
        notifications.push({
          level: "error",
          message: { text: finding.message },
          locations: [{ physicalLocation: { artifactLocation, region: region(finding) } }],
        });
        continue;
      }
      if (!indexOf.has(finding.ruleId)) describe(finding.ruleId, finding.severity === "error" ? "error" : "warn");
      results.push({
        ruleId: finding.ruleId,
        ruleIndex: indexOf.get(finding.ruleId)!,
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation, region: region(finding) } }],
        ...(finding.related
          ? {
              relatedLocations: finding.related.map((r, id) => ({
                id,
                message: { text: r.message },
                physicalLocation: {
                  artifactLocation: { uri: uriReference(relativePath(info.root, r.file)), uriBaseId: URI_BASE_ID },
                  region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
                },
              })),
            }
          : {}),
      });
    }
  }

  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: PACKAGE_NAME,
            version: PACKAGE_VERSION,
            semanticVersion: PACKAGE_VERSION,
            informationUri: REPOSITORY_URL,
            rules: descriptors,
          },
        },
        originalUriBaseIds: { [URI_BASE_ID]: { uri: pathToFileURL(info.root.endsWith("/") ? info.root : `${info.root}/`).href } },
        // ESLint's columns count UTF-16 code units, as JavaScript strings do.
        columnKind: "utf16CodeUnits",
        invocations: [
          { executionSuccessful: notifications.length === 0, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
