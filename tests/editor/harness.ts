/**
 * The plugin as users get it: `npm pack` of this checkout installed into a
 * temporary project's node_modules, loaded by a real `tsserver` process that
 * the tests talk to over its stdio protocol.
 *
 * The temporary project works without network: its node_modules holds the
 * extracted tarball as `restate-guard`, real copies of `typescript` and of the
 * packages that require it (so tsserver runs from the project, finds the
 * plugin next to itself, and typescript-eslint uses the same TypeScript as in
 * a real install), and symbolic links to every other entry of this checkout's
 * node_modules.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../../scripts/docs-lib.js";

export { ROOT };

/** Packages copied rather than linked: TypeScript and everything that requires it. */
const COPIED = new Set(["typescript", "@typescript-eslint", "ts-api-utils"]);

/**
 * `npm pack` of this checkout into a new temporary directory; returns the tarball's path.
 * Packs with `--ignore-scripts`: the package must be built (`npm run build`; `npm test` does it).
 */
export function packPackage(): string {
  for (const built of ["dist/cjs/editor/plugin.js", "dist/cjs/eslint-plugin.js", "dist/cjs/package.json"]) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const destination = mkdtempSync(join(tmpdir(), "restate-guard-pack-"));
  const result = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
  const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
  return join(destination, filename);
}

export interface TempProject {
  readonly dir: string;
  readonly tsserverPath: string;
  write(path: string, text: string): string;
  remove(): void;
}

/** `npm pack`, then {@link createProject} from the tarball; the tarball is deleted once extracted. */
export function installFromPack(compilerOptions: Record<string, unknown>, include: string[]): TempProject {
  const tarball = packPackage();
  try {
    return createProject(tarball, compilerOptions, include);
  } finally {
    rmSync(dirname(tarball), { recursive: true, force: true });
  }
}

/**
 * A project in a new temporary directory with the tarball installed, an ES
 * module package.json and a tsconfig.json with `compilerOptions` (including
 * the `plugins` entry) and `include`.
 */
export function createProject(tarball: string, compilerOptions: Record<string, unknown>, include: string[]): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "restate-guard-ts-plugin-"));
  const nodeModules = join(dir, "node_modules");
  mkdirSync(join(nodeModules, "restate-guard"), { recursive: true });
  const tar = spawnSync("tar", ["-xzf", tarball, "-C", join(nodeModules, "restate-guard"), "--strip-components=1"], { encoding: "utf8" });
  if (tar.status !== 0) throw new Error(`tar failed:\n${tar.stderr}`);
  for (const entry of readdirSync(join(ROOT, "node_modules"))) {
    if (entry.startsWith(".") || entry === "restate-guard") continue;
    const source = join(ROOT, "node_modules", entry);
    if (COPIED.has(entry)) cpSync(source, join(nodeModules, entry), { recursive: true });
    else symlinkSync(source, join(nodeModules, entry), "dir");
  }
  const project: TempProject = {
    dir,
    tsserverPath: join(nodeModules, "typescript", "lib", "tsserver.js"),
    write(path, text) {
      const full = join(dir, path);
      mkdirSync(join(full, ".."), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  project.write("package.json", JSON.stringify({ private: true, type: "module" }));
  project.write("tsconfig.json", JSON.stringify({ compilerOptions, include }, null, 2));
  return project;
}

/** The compiler options of fixtures/tsconfig.json, to which the tests add a `plugins` entry. */
export function fixtureCompilerOptions(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(ROOT, "fixtures", "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> }).compilerOptions;
}

/** Protocol shapes the tests use (ts.server.protocol, 1-based lines and offsets). */
export interface Location {
  line: number;
  offset: number;
}
export interface Diagnostic {
  start: Location;
  end: Location;
  text: string;
  code: number;
  category: string;
  source?: string;
  /** Where the cause is, for findings reached through calls. */
  relatedInformation?: { span?: { start: Location; end: Location; file: string }; message: string; category: string; code: number }[];
}
export interface CodeEdit {
  start: Location;
  end: Location;
  newText: string;
}
export interface CodeFixAction {
  fixName: string;
  description: string;
  changes: { fileName: string; textChanges: CodeEdit[] }[];
}

interface Response {
  type: "response";
  request_seq: number;
  success: boolean;
  message?: string;
  body?: unknown;
}

/** A tsserver process and its stdio protocol: requests are JSON lines, messages come back `Content-Length` framed. */
export class TsServer {
  private readonly process: ChildProcessWithoutNullStreams;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
  private exited: Promise<number | null>;
  stderr = "";

  constructor(
    tsserverPath: string,
    readonly cwd: string,
    readonly logFile: string,
  ) {
    this.process = spawn(process.execPath, [tsserverPath, "--logVerbosity", "normal", "--logFile", logFile, "--disableAutomaticTypingAcquisition", "--locale", "en"], {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.process.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.process.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.process.on("exit", (code) => {
        for (const { reject } of this.pending.values()) reject(new Error(`tsserver exited (${code}): ${this.stderr}`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** The tsserver process id (for reading its memory use from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      const bodyStart = headerEnd + 4;
      if (this.buffer.length < bodyStart + length) return;
      const message = JSON.parse(this.buffer.subarray(bodyStart, bodyStart + length).toString("utf8")) as Response | { type: "event" };
      this.buffer = this.buffer.subarray(bodyStart + length);
      if (message.type === "response") {
        const waiter = this.pending.get(message.request_seq);
        this.pending.delete(message.request_seq);
        waiter?.resolve(message);
      }
    }
  }

  private send(command: string, args: unknown): number {
    const seq = ++this.seq;
    this.process.stdin.write(`${JSON.stringify({ seq, type: "request", command, arguments: args })}\n`);
    return seq;
  }

  /** A command tsserver sends no response to (`open`, `exit`); later requests are answered after it is handled. */
  notify(command: string, args: unknown): void {
    this.send(command, args);
  }

  /** A command and its response body; rejects when tsserver reports a failure. */
  request<T>(command: string, args?: unknown): Promise<T> {
    return new Promise<Response>((resolve, reject) => {
      this.pending.set(this.send(command, args), { resolve, reject });
    }).then((response) => {
      if (!response.success) throw new Error(`${command} failed: ${response.message}`);
      return response.body as T;
    });
  }

  open(file: string): void {
    this.notify("open", { file });
  }

  semanticDiagnostics(file: string): Promise<Diagnostic[]> {
    return this.request<Diagnostic[]>("semanticDiagnosticsSync", { file });
  }

  codeFixes(file: string, diagnostic: Diagnostic): Promise<CodeFixAction[]> {
    return this.request<CodeFixAction[]>("getCodeFixes", {
      file,
      startLine: diagnostic.start.line,
      startOffset: diagnostic.start.offset,
      endLine: diagnostic.end.line,
      endOffset: diagnostic.end.offset,
      errorCodes: [diagnostic.code],
    });
  }

  /** Replaces the open file's text in tsserver (as an editor does on every change). */
  async replaceText(file: string, oldText: string, newText: string): Promise<void> {
    const lines = oldText.split("\n");
    await this.request("updateOpen", {
      changedFiles: [
        {
          fileName: file,
          textChanges: [{ start: { line: 1, offset: 1 }, end: { line: lines.length, offset: lines[lines.length - 1].length + 1 }, newText }],
        },
      ],
    });
  }

  /**
   * Applies edits to the open file in tsserver (`updateOpen`), as an editor does on every change:
   * protocol text changes with 1-based ranges in the text before the edit, in ascending order and not
   * overlapping (tsserver applies them from last to first, so each range stays valid).
   */
  async changeText(file: string, textChanges: readonly CodeEdit[]): Promise<void> {
    await this.request("updateOpen", { changedFiles: [{ fileName: file, textChanges }] });
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  /** Asks tsserver to exit; kills it if it has not after a few seconds. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.notify("exit", {});
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Applies protocol text edits (1-based line/offset ranges) to a text. */
export function applyEdits(text: string, edits: readonly CodeEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const offset = (location: Location) => lineStarts[location.line - 1] + location.offset - 1;
  return [...edits]
    .map((edit) => ({ start: offset(edit.start), end: offset(edit.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start)
    .reduce((result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end), text);
}

/** The rule id at the end of one of our diagnostics' text: `message (restate/<id>)`. */
export function splitRuleId(text: string): { message: string; ruleId: string } {
  const match = /^([^]*) \((restate\/[\w-]+)\)$/.exec(text);
  if (!match) throw new Error(`no rule id in ${JSON.stringify(text)}`);
  return { message: match[1], ruleId: match[2] };
}
