import { readFileSync } from "node:fs";
import t from "tap";
import { loadConfig } from "../../lib/config.js";
import { projectPath } from "../../lib/paths.js";

// .env.example must list every setting lib/config.ts reads, each with its real default.
const source = readFileSync(projectPath("lib", "config.ts"), "utf8");
const read = new Set([...source.matchAll(/\br\.\w+\(\s*"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]!));
const lines = readFileSync(projectPath(".env.example"), "utf8").split("\n");
const listed = new Map<string, string | null>();
for (const l of lines) {
  const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l);
  const unset = /^# ([A-Z][A-Z0-9_]*)=$/.exec(l);
  if (set) listed.set(set[1]!, set[2]!);
  else if (unset) listed.set(unset[1]!, null);
}

t.test("every setting of lib/config.ts is in .env.example, and nothing else", async (t) => {
  t.ok(read.size > 30, `${read.size} settings found in lib/config.ts`);
  t.strictSame(
    [...read].filter((n) => !listed.has(n)),
    [],
    "missing from .env.example",
  );
  t.strictSame(
    [...listed.keys()].filter((n) => !read.has(n)),
    [],
    "not read by lib/config.ts",
  );
});

t.test("each value in .env.example is the default", async (t) => {
  const defaults = loadConfig({});
  for (const [name, value] of listed) {
    if (value === null) continue;
    t.strictSame(loadConfig({ [name]: value }), defaults, name);
  }
});
