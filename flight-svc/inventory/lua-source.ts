import { readFileSync } from "node:fs";
import { projectPath } from "../../lib/paths.js";

const INCLUDE_LINE = /^--\s*@include\s+(\S+)\s*$/gm;
const INCLUDE_NAME = /^[a-z0-9-]+$/;

/**
 * Inlines `-- @include name` lines with lua/include/<name>.lua, so the fragments that carry the
 * exactly-once rules live once. Each fragment is inlined once per script, where it is first
 * named (a fragment that needs another names it itself); an unknown name or a cycle fails at
 * load, never at a script's first call.
 */
export function expandIncludes(
  source: string,
  readInclude: (name: string) => string | undefined,
  script: string,
  inlined = new Set<string>(),
  chain: string[] = [],
): string {
  return source.replace(INCLUDE_LINE, (_line, name: string) => {
    if (!INCLUDE_NAME.test(name)) throw new Error(`${script}: "-- @include ${name}" is not a fragment name`);
    if (chain.includes(name)) throw new Error(`${script}: include cycle ${[...chain, name].join(" -> ")}`);
    if (inlined.has(name)) return "";
    const text = readInclude(name);
    if (text === undefined)
      throw new Error(`${script}: "-- @include ${name}" but lua/include/${name}.lua does not exist`);
    inlined.add(name);
    return expandIncludes(text, readInclude, script, inlined, [...chain, name]);
  });
}

function readInclude(name: string): string | undefined {
  try {
    return readFileSync(projectPath("lua", "include", `${name}.lua`), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** A script of lua/ with its includes inlined. */
export function loadLua(file: string): string {
  return expandIncludes(readFileSync(projectPath("lua", file), "utf8"), readInclude, file);
}
