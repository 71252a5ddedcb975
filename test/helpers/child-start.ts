import { projectPath } from "../../lib/paths.js";

/**
 * A service or script of the project as a test starts it as a process of its own: compiled, from
 * dist-test/ (scripts/test.sh compiles the sources there before any test runs), so the child
 * pays no loader at start. `source` is the path of its TypeScript from the project root.
 */
export function compiledEntry(source: string): string {
  return projectPath("dist-test", source.replace(/\.ts$/, ".js"));
}

/**
 * How long a test waits for a service it spawned as a process to answer: on a loaded 2-core CI
 * machine a start from the TypeScript (through tsx) once took more than 20 s. A healthy start
 * still returns as soon as it answers.
 */
export const CHILD_START_MS = 60_000;
