/**
 * A run of `check` or `fix`: TypeScript first, to find and read the project
 * (so a missing or broken tsconfig is reported at once), then the lint engine.
 */
import type { Invocation } from "./args.js";
import type { Io } from "./main.js";
import { loadProject } from "./project.js";
import { loadTypeScript } from "./typescript.js";

export async function run(invocation: Extract<Invocation, { kind: "run" }>, io: Io): Promise<number> {
  const typescript = loadTypeScript();
  const project = loadProject(typescript, io.cwd, { project: invocation.project, paths: invocation.paths });
  const { execute } = await import("./commands.js");
  return execute(invocation, io, typescript, project);
}
