/**
 * The command line and the settings it turns into, in-process (check.test.ts
 * runs the real CLI for a representative few of these): every mistake is a
 * UsageError with a one-line reason, never a silent fallback.
 */
import { describe, expect, it } from "vitest";
import { parseInvocation, UsageError } from "../../cli/args.js";
import { settingsFrom } from "../../cli/lint.js";
import { needsTypes } from "../../settings/index.js";

const reason = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
};

describe("parseInvocation", () => {
  it("reads commands, paths and every option; --rule repeats", () => {
    expect(parseInvocation(["check", "src", "lib/a.ts", "-p", "tsconfig.build.json", "--preset", "strict", "--rule", "no-context-in-run=warn", "--rule", "restate/no-ingress-client-in-handler = off", "-f", "sarif", "--progress"])).toEqual({
      kind: "run",
      command: "check",
      paths: ["src", "lib/a.ts"],
      project: "tsconfig.build.json",
      preset: "strict",
      rules: [
        ["no-context-in-run", "warn"],
        ["restate/no-ingress-client-in-handler", "off"],
      ],
      format: "sarif",
      dryRun: false,
      progress: true,
    });
    expect(parseInvocation(["fix", "--dry-run"])).toMatchObject({ command: "fix", dryRun: true, format: "text", paths: [] });
    expect(parseInvocation(["--help"])).toEqual({ kind: "help", command: null });
    expect(parseInvocation(["fix", "-h"])).toEqual({ kind: "help", command: "fix" });
    expect(parseInvocation(["-v"])).toEqual({ kind: "version" });
  });

  it("rejects what it does not understand, in one line", () => {
    expect(reason(() => parseInvocation(["check", "--fromat", "json"]))).toBe("unknown option --fromat (see --help)");
    expect(reason(() => parseInvocation(["check", "--preset"]))).toBe("option --preset needs a value");
    expect(reason(() => parseInvocation(["check", "-p"]))).toBe("option --project needs a value");
    expect(reason(() => parseInvocation(["check", "--progress=yes"]))).toMatch(/does not take an argument/);
    expect(reason(() => parseInvocation(["check", "--format", "xml"]))).toBe('--format must be one of text, json, sarif, not "xml"');
    expect(reason(() => parseInvocation(["check", "--rule", "no-context-in-run"]))).toMatch(/^--rule expects id=severity/);
    expect(reason(() => parseInvocation(["check", "--rule", "=error"]))).toMatch(/^--rule expects id=severity/);
    expect(reason(() => parseInvocation(["check", "--dry-run"]))).toMatch(/^--dry-run is for `fix`/);
    expect(reason(() => parseInvocation(["fix", "--format", "json"]))).toMatch(/^--format is for `check`/);
    expect(reason(() => parseInvocation(["lint"]))).toMatch(/^unknown command "lint"/);
  });
});

describe("settingsFrom", () => {
  it("starts from recommended-type-checked; --preset and --rule (with or without the namespace, names or 0/1/2) apply", () => {
    expect(settingsFrom(undefined, [])).toEqual({ preset: "recommended-type-checked", rules: {} });
    expect(
      settingsFrom("strict", [
        ["no-context-in-run", "warn"],
        ["restate/no-ingress-client-in-handler", "0"],
        ["no-context-in-run", "2"],
      ]),
    ).toEqual({ preset: "strict", rules: { "no-context-in-run": "error", "no-ingress-client-in-handler": "off" } });
  });

  it("an unknown preset, rule or severity is bad usage, not a fallback", () => {
    expect(reason(() => settingsFrom("strictest", []))).toBe('unknown preset "strictest" (expected one of recommended, recommended-type-checked, strict, all)');
    expect(reason(() => settingsFrom(undefined, [["no-such-rule", "error"]]))).toBe('--rule: unknown rule "no-such-rule"');
    expect(reason(() => settingsFrom(undefined, [["no-context-in-run", "loud"]]))).toMatch(/^--rule: rule "no-context-in-run": severity must be "off", "warn" or "error"$/);
  });
});

describe("a bare command and type information", () => {
  it("a bare restate-guard asks for the help, as --help does", () => {
    expect(parseInvocation([])).toEqual({ kind: "help", command: null });
  });

  it("lints with types for every preset but recommended, and for recommended when a rule that requires types is turned on", () => {
    expect(needsTypes(settingsFrom("recommended", []))).toBe(false);
    expect(needsTypes(settingsFrom("recommended", [["serializable-journal-values", "error"]]))).toBe(true);
    expect(needsTypes(settingsFrom("recommended", [["serializable-journal-values", "warn"], ["serializable-journal-values", "off"]]))).toBe(false);
    expect(needsTypes(settingsFrom("recommended", [["no-console-in-handler", "error"]]))).toBe(false);
    for (const preset of ["recommended-type-checked", "strict", "all"]) expect(needsTypes(settingsFrom(preset, []))).toBe(true);
  });
});
