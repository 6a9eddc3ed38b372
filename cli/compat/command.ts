/**
 * `restate-guard compat <base-ref>` (or `--base-dir <path>`): reads the Restate surface of the base revision and of
 * the working tree (cli/compat/surface.ts) and reports the changes between them that break what is already running
 * (cli/compat/diff.ts). Exit 1 when a breaking change is not accepted with `--accept <id>`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import type ts from "typescript";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../../core/package-info.js";
import { UsageError, type Invocation } from "../args.js";
import { EXIT_ERRORS, EXIT_OK, type Io } from "../main.js";
import { loadProject, type Project } from "../project.js";
import { loadTypeScript } from "../typescript.js";
import { additions, compareSurfaces, type CompatFinding } from "./diff.js";
import { formatCompatSarif } from "./sarif.js";
import { readSurface } from "./surface.js";

type Compat = Extract<Invocation, { kind: "compat" }>;

export async function compat(invocation: Compat, io: Io): Promise<number> {
  const typescript = loadTypeScript();
  const head = loadProject(typescript, io.cwd, { project: invocation.project, paths: [] });
  const base = invocation.baseDir !== undefined ? { cwd: resolve(io.cwd, invocation.baseDir), remove() {} } : checkout(io.cwd, invocation.base!);
  try {
    if (!existsSync(base.cwd)) {
      throw new UsageError(invocation.baseDir !== undefined ? `--base-dir ${invocation.baseDir}: no such directory` : `this directory does not exist in ${invocation.base}`);
    }
    const baseProject = loadBase(typescript, base.cwd, io.cwd, invocation.project, head);
    const program = (project: Project) => typescript.createProgram({ rootNames: project.parsed.fileNames, options: { ...project.parsed.options, noEmit: true } });
    const options = { journal: invocation.inPlace };
    const baseSurface = readSurface(baseProject.root, baseProject.files, program(baseProject), options);
    const headSurface = readSurface(head.root, head.files, program(head), options);
    const findings = compareSurfaces(baseSurface, headSurface);
    const added = additions(baseSurface, headSurface);
    const accepted = new Set(invocation.accept);
    for (const finding of findings) finding.accepted = accepted.has(finding.id);
    for (const id of accepted) if (!findings.some((f) => f.id === id)) io.stderr.write(`restate-guard: --accept ${id} matches no finding\n`);
    const label = invocation.base ?? invocation.baseDir!;
    io.stdout.write(
      invocation.format === "json" ? formatJson(findings, added, label) : invocation.format === "sarif" ? formatCompatSarif(findings, head.root, label) : formatText(findings, added, label),
    );
    return findings.some((f) => !f.accepted) ? EXIT_ERRORS : EXIT_OK;
  } finally {
    base.remove();
  }
}

/**
 * The base revision's tree, from `git archive`, in a temporary directory; `cwd` is the directory there that
 * corresponds to the current one.
 */
function checkout(cwd: string, revision: string): { cwd: string; remove(): void } {
  const git = (...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  const top = git("rev-parse", "--show-toplevel");
  if (top.status !== 0) throw new UsageError("not in a git repository: pass --base-dir <path> (a checkout of the base)");
  if (git("rev-parse", "--verify", "--quiet", `${revision}^{commit}`).status !== 0) throw new UsageError(`${revision}: no such git revision`);
  const prefix = git("rev-parse", "--show-prefix").stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), "restate-guard-compat-"));
  const archive = spawnSync("git", ["archive", "--format=tar", revision], { cwd: top.stdout.trim(), maxBuffer: 1024 * 1024 * 1024 });
  const extract = archive.status === 0 ? spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout }) : archive;
  if (extract.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new UsageError(`cannot read ${revision} with git archive: ${String(extract.stderr).split("\n")[0]}`);
  }
  return { cwd: join(dir, prefix), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The base project: found from the base tree's copy of the current directory, as the working tree's is. The base
 * tree has no node_modules (a tsconfig may extend a package's): the working tree's is linked in next to the base's
 * copy of the tsconfig.
 */
function loadBase(typescript: typeof ts, baseCwd: string, headCwd: string, project: string | undefined, head: Project): Project {
  const headModules = join(head.root, "node_modules");
  const baseRoot = resolve(baseCwd, relative(headCwd, head.root));
  if (existsSync(headModules) && existsSync(baseRoot) && !existsSync(join(baseRoot, "node_modules"))) {
    symlinkSync(headModules, join(baseRoot, "node_modules"), "dir");
  }
  try {
    return loadProject(typescript, baseCwd, { project, paths: [] });
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`in the base revision: ${error.message}`);
    throw error;
  }
}

function place(p: { file: string; line: number } | null): string {
  return p ? `${p.file}:${p.line}` : "";
}

function formatText(findings: readonly CompatFinding[], added: readonly string[], base: string): string {
  const lines: string[] = [];
  if (added.length > 0) lines.push(`Added (breaks nothing): ${added.join(", ")}.`, "");
  for (const f of findings) {
    lines.push(`${f.accepted ? "accepted" : "breaking"}  ${f.id}`);
    lines.push(`  ${f.message}`);
    lines.push(`  Migrate: ${f.migration}`);
    lines.push(`  Base: ${place(f.base)}${f.head ? `  Now: ${place(f.head)}` : ""}`);
    lines.push("");
  }
  const open = findings.filter((f) => !f.accepted).length;
  const acceptedCount = findings.length - open;
  lines.push(
    findings.length === 0
      ? `No breaking changes to the Restate surface since ${base}.`
      : `${open} breaking change${open === 1 ? "" : "s"}${acceptedCount ? ` (${acceptedCount} accepted)` : ""} since ${base}.${open ? " Accept an intended one with --accept <id>." : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

function formatJson(findings: readonly CompatFinding[], added: readonly string[], base: string): string {
  return `${JSON.stringify(
    {
      formatVersion: 1,
      tool: { name: PACKAGE_NAME, version: PACKAGE_VERSION },
      base,
      findings: findings.map((f) => ({ id: f.id, kind: f.kind, accepted: f.accepted, message: f.message, migration: f.migration, base: f.base, head: f.head })),
      added,
      summary: { breaking: findings.filter((f) => !f.accepted).length, accepted: findings.filter((f) => f.accepted).length },
    },
    null,
    2,
  )}\n`;
}
