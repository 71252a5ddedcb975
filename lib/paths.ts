import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Code runs from the sources (tsx), from dist/ (built) or, under the tests, from dist-test/; all
// find the same checked-in files (migrations, Lua scripts, data) by walking up to the package root.
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above lib/");
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
