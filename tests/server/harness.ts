/**
 * A real Restate server and real service processes for integration tests.
 *
 * - `startRestateServer()` runs the `restate-server` binary shipped by the npm
 *   package `@restatedev/restate-server`, on free loopback ports, with its own
 *   temporary data directory. Its outbound HTTP goes through a dead loopback
 *   proxy, so its update check never leaves the machine.
 * - `startService(entry)` runs a TypeScript endpoint in its own Node process
 *   (through tsx, with the `Promise.withResolvers` polyfill), so a test can
 *   kill it mid-invocation and start it again on the same port.
 *
 * Every process is stopped by its pid, by whoever started it: call `stop()` in
 * `afterAll`/`finally`. `stopAll()` stops anything still running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, "..", "..");

const running = new Set<ChildProcess>();
/** Supervised services: told to stop restarting before `stopAll` kills them. */
const supervisors = new Set<() => void>();

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}

/** Stops every process this module started that is still running. */
export async function stopAll(): Promise<void> {
  for (const stopSupervising of supervisors) stopSupervising();
  await Promise.all([...running].map((child) => stopProcess(child, "SIGKILL")));
}

function track(child: ChildProcess, output: string[]): void {
  running.add(child);
  child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
  child.once("exit", () => running.delete(child));
}

// ---- restate-server --------------------------------------------------------

export interface RestateServer {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  readonly pid: number;
  /** Registers (or re-registers) a deployment at `uri`. */
  register(uri: string): Promise<void>;
  /** Runs a SQL query on the admin API (e.g. `SELECT * FROM sys_invocation`). */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  output(): string;
  stop(): Promise<void>;
}

export function restateServerBinary(): string {
  return require.resolve(`@restatedev/restate-server-${process.platform}-${process.arch}/bin/restate-server`);
}

export async function startRestateServer(): Promise<RestateServer> {
  const [ingress, admin, node] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), "restate-guard-server-"));
  const config = join(dir, "restate.toml");
  writeFileSync(
    config,
    [
      `base-dir = ${JSON.stringify(join(dir, "data"))}`,
      `listen-mode = "tcp"`,
      `bind-ip = "127.0.0.1"`,
      `advertised-host = "127.0.0.1"`,
      `bind-port = ${node}`,
      `default-num-partitions = 2`,
      `disable-telemetry = true`,
      `rocksdb-total-memory-size = "256 MiB"`,
      `log-filter = "warn"`,
      `[admin]`,
      `bind-port = ${admin}`,
      `[ingress]`,
      `bind-port = ${ingress}`,
      // Retry quickly so failure scenarios play out within a test's time.
      `[default-retry-policy]`,
      `initial-interval = "100ms"`,
      `exponentiation-factor = 1.5`,
      `max-interval = "1s"`,
      ``,
    ].join("\n"),
  );
  const output: string[] = [];
  const child = spawn(restateServerBinary(), ["--config-file", config, "--no-logo"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DO_NOT_TRACK: "1",
      // Outbound HTTP other than to our services goes to a dead loopback port.
      HTTP_PROXY: "http://127.0.0.1:9",
      HTTPS_PROXY: "http://127.0.0.1:9",
      NO_PROXY: "127.0.0.1,localhost",
    },
  });
  track(child, output);
  const adminUrl = `http://127.0.0.1:${admin}`;
  const ingressUrl = `http://127.0.0.1:${ingress}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil("restate-server admin API", async () => (await fetch(`${adminUrl}/health`).catch(() => null))?.ok === true);
    await waitUntil("restate-server ingress", () => canConnect(ingress));
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.join("")}`);
  }
  return {
    ingressUrl,
    adminUrl,
    pid: child.pid!,
    async register(uri: string) {
      const response = await fetch(`${adminUrl}/deployments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uri, force: true }),
      });
      if (!response.ok) throw new Error(`registering ${uri} failed: ${response.status} ${await response.text()}`);
    },
    async query<T>(sql: string): Promise<T[]> {
      const response = await fetch(`${adminUrl}/query`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query: sql }),
      });
      if (!response.ok) throw new Error(`query failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { rows: T[] }).rows;
    },
    output: () => output.join(""),
    stop,
  };
}

// ---- service processes ---------------------------------------------------

export interface ServiceProcess {
  readonly port: number;
  readonly uri: string;
  /** Resolves when the current process exits, with its exit code (null when killed by a signal). */
  exited(): Promise<number | null>;
  /** Starts the process again on the same port (after it died or was stopped). */
  restart(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** With `supervise`: how many times the process died and was started again. */
  crashes(): number;
  /** With `supervise`: waits until the process has died `count` times in all and is serving again. */
  restartedAfterCrashes(count: number, timeoutMs?: number): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /**
   * Start the process again, on the same port, whenever it dies unexpectedly,
   * as a process supervisor would in production. Tests that make a service
   * kill itself then never race against their own restart.
   */
  supervise?: boolean;
}

/**
 * Runs `entry` (a TypeScript module that serves a Restate endpoint on
 * `process.env.PORT`) in a Node process of its own.
 */
export async function startService(
  entry: string,
  env: Record<string, string> = {},
  { supervise = false }: ServiceOptions = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const output: string[] = [];
  let child: ChildProcess;
  let exit: Promise<number | null>;
  let stopped = false;
  let crashes = 0;
  let relaunch: Promise<void> = Promise.resolve();
  if (supervise) supervisors.add(() => (stopped = true));
  const launch = async () => {
    const current = spawn(process.execPath, ["--require", join(here, "polyfill.cjs"), "--import", "tsx", entry], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env, PORT: String(port) },
    });
    child = current;
    exit = new Promise((resolve) => current.once("exit", (code) => resolve(code)));
    track(current, output);
    if (supervise) {
      current.once("exit", () => {
        if (stopped || child !== current) return;
        crashes++;
        relaunch = launch().catch((error: Error) => {
          output.push(`supervisor could not restart ${entry}: ${error.message}\n`);
        });
      });
    }
    await waitUntil(`service ${entry} on port ${port}`, async () => {
      if (current.exitCode !== null || current.signalCode !== null) {
        if (supervise) return false; // died while starting: the supervisor starts it again
        throw new Error(`service ${entry} exited with ${current.exitCode}:\n${output.join("")}`);
      }
      return canConnect(port);
    });
  };
  await launch();
  return {
    port,
    uri: `http://127.0.0.1:${port}`,
    exited: () => exit,
    restart: launch,
    kill: (signal = "SIGKILL") => stopProcess(child, signal),
    crashes: () => crashes,
    async restartedAfterCrashes(count: number, timeoutMs = 30_000) {
      await waitUntil(`service ${entry} to have crashed ${count} time(s)`, async () => crashes >= count, timeoutMs);
      await relaunch;
      await waitUntil(`service ${entry} serving again`, () => canConnect(port), timeoutMs);
    },
    output: () => output.join(""),
    stop: () => {
      stopped = true;
      return stopProcess(child);
    },
  };
}

// ---- a ledger of side effects --------------------------------------------------

/**
 * A file that service processes append one line to per real side effect, so a
 * test can count exactly how often each happened, across process restarts.
 */
export function createLedger(): { path: string; lines(): string[]; clear(): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "restate-guard-ledger-"));
  const path = join(dir, "ledger.log");
  writeFileSync(path, "");
  return {
    path,
    lines: () => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []),
    clear: () => writeFileSync(path, ""),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** For service code: record one side effect in the ledger named by `LEDGER`. */
export function record(line: string): void {
  const path = process.env.LEDGER;
  if (path) appendFileSync(path, `${line}\n`);
}
