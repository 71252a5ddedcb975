import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";

// `scripts/test.sh test/flight-svc` (docs/testing.md) hands tap the folder as the glob of its test
// files: tap, whose TypeScript plugin is off, finds no test file in a folder given as it is.
const run = promisify(execFile);

const tapArgs = async (...args: string[]): Promise<string[]> => {
  const { stdout } = await run("bash", ["-c", '. scripts/tap-args.sh && tap_args "$@"', "tap-args", ...args], {
    cwd: projectPath(),
  });
  return stdout.split("\n").filter((l) => l !== "");
};

/** The files `tap list` picks for `args`, run as a user runs it (not as a child of this tap run). */
const tapList = async (args: string[]): Promise<string[]> => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("TAP") && !k.startsWith("_TAPJS") && k !== "NODE_OPTIONS",
    ),
  );
  const { stdout } = await run(projectPath("node_modules", ".bin", "tap"), ["list", ...args], {
    cwd: projectPath(),
    env,
  });
  return stdout.split("\n").filter((l) => l !== "");
};

const testFilesUnder = (dir: string): string[] =>
  readdirSync(projectPath(dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(dir, f))
    .sort();

t.test("a folder becomes the glob of its test files; files and options pass as they are", async (t) => {
  t.same(await tapArgs("test/flight-svc/routes/", "--jobs=1", "test/lib/money.test.ts", "--timeout", "900"), [
    "test/flight-svc/routes/**/*.test.ts",
    "--jobs=1",
    "test/lib/money.test.ts",
    "--timeout",
    "900",
  ]);
  t.same(await tapArgs(), []);
});

t.test("tap lists every test file of a folder, in its subfolders too, from the glob", async (t) => {
  for (const dir of ["test/flight-svc/routes", "test/booking-svc"]) {
    const expected = testFilesUnder(dir);
    t.ok(expected.length > 0, `${dir} has test files`);
    t.same((await tapList(await tapArgs(dir))).sort(), expected, dir);
  }
});
