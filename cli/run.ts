/**
 * A run of `check` or `fix`: TypeScript first, to find and read the project
 * (so a missing or broken tsconfig is reported at once), then the lint engine.
 */
import { createRequire } from "node:module";
import type ts from "typescript";
import type { Invocation } from "./args.js";
import type { Io } from "./main.js";
import { loadProject } from "./project.js";

export async function run(invocation: Extract<Invocation, { kind: "run" }>, io: Io): Promise<number> {
  // With `require`, as typescript-eslint loads it: the same module, and no scan of TypeScript's CommonJS file for
  // export names (an ES module import of it costs hundreds of milliseconds).
  const typescript = createRequire(import.meta.url)("typescript") as typeof ts;
  const project = loadProject(typescript, io.cwd, { project: invocation.project, paths: invocation.paths });
  const { execute } = await import("./commands.js");
  return execute(invocation, io, typescript, project);
}
