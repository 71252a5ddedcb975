import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";

// `scripts/test.sh test/flight-svc` (docs/testing.md) hands tap the compiled test files under
// dist-test/: a folder as the glob of its compiled test files, a test file as its compiled file.
const run = promisify(execFile);

const tapArgs = async (...args: string[]): Promise<string[]> => {
  const { stdout } = await run("bash", ["-c", '. scripts/tap-args.sh && tap_args "$@"', "tap-args", ...args], {
    cwd: projectPath(),
  });
  return stdout.split("\n").filter((l) => l !== "");
};

/** The environment tap runs in when a user runs it (not as a child of this tap run). */
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("TAP") && !k.startsWith("_TAPJS") && k !== "NODE_OPTIONS"),
);

/** The files `tap list` picks for `args`. */
const tapList = async (args: string[]): Promise<string[]> => {
  const { stdout } = await run(projectPath("node_modules", ".bin", "tap"), ["list", ...args], {
    cwd: projectPath(),
    env: userEnv,
  });
  return stdout.split("\n").filter((l) => l !== "");
};

const testFilesUnder = (dir: string): string[] =>
  readdirSync(projectPath(dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(dir, f))
    .sort();

t.test("a folder becomes the glob of its compiled test files, a file its compiled file; options pass", async (t) => {
  t.same(await tapArgs("test/flight-svc/routes/", "--jobs=1", "./test/lib/money.test.ts", "--timeout", "900"), [
    "dist-test/test/flight-svc/routes/**/*.test.js",
    "--jobs=1",
    "dist-test/test/lib/money.test.js",
    "--timeout",
    "900",
  ]);
  t.same(await tapArgs("test/lib/*.test.ts"), ["dist-test/test/lib/*.test.js"]);
  t.same(await tapArgs(), []);
});

t.test("tap lists the compiled file of every test file of a folder, in its subfolders too", async (t) => {
  for (const dir of ["test/flight-svc/routes", "test/booking-svc"]) {
    const expected = testFilesUnder(dir)
      .map((f) => `dist-test/${f.replace(/\.ts$/, ".js")}`)
      .sort();
    t.ok(expected.length > 0, `${dir} has test files`);
    t.same((await tapList(await tapArgs(dir))).sort(), expected, dir);
  }
});

/** plan_tap_runs' three groups for tap_args' output of `args`. */
const plannedRuns = async (...args: string[]): Promise<Record<"options" | "parallel" | "serial", string[]>> => {
  const script = [
    ". scripts/tap-args.sh",
    `mapfile -t targets < <(tap_args "$@")`,
    `plan_tap_runs "\${targets[@]}"`,
    ...["options", "parallel", "serial"].map((g) => `printf "${g}\\t%s\\n" "\${${g}[@]}"`),
  ].join(" && ");
  const { stdout } = await run("bash", ["-c", script, "plan", ...args], { cwd: projectPath(), env: userEnv });
  const groups = { options: [] as string[], parallel: [] as string[], serial: [] as string[] };
  for (const line of stdout.split("\n")) {
    const [group, value] = line.split("\t") as [keyof typeof groups, string | undefined];
    if (value) groups[group].push(value);
  }
  return groups;
};

t.test("the serial files of what was asked run after the others; options go to both runs", async (t) => {
  const serial = JSON.parse(readFileSync(projectPath("package.json"), "utf8")).tap.serial as string[];
  const runs = await plannedRuns("test/booking-svc/routes", "--timeout", "900", "test/lib/money.test.ts");
  t.same(runs.options, ["--timeout", "900"]);
  const listed = testFilesUnder("test/booking-svc/routes").map((f) => `dist-test/${f.replace(/\.ts$/, ".js")}`);
  const expectedSerial = listed.filter((f) => serial.includes(f));
  t.ok(expectedSerial.length > 0, "test/booking-svc/routes has serial files");
  t.same(runs.serial.sort(), expectedSerial.sort());
  t.same(
    runs.parallel.sort(),
    [...listed.filter((f) => !serial.includes(f)), "dist-test/test/lib/money.test.js"].sort(),
  );
  const all = await plannedRuns();
  t.same(all.serial.sort(), [...serial].sort(), "the whole suite runs every serial file, after the others");
  t.notOk(all.parallel.some((f) => serial.includes(f)));
});

t.test("a compiled file whose source is gone is removed, with its map; the others stay", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "prune-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files = ["test/kept.test.ts", "lib/kept.ts"];
  const compiled = ["kept.test.js", "kept.test.js.map", "gone.test.js", "gone.test.js.map"];
  mkdirSync(join(dir, "test"));
  mkdirSync(join(dir, "lib"));
  mkdirSync(join(dir, "dist-test", "test"), { recursive: true });
  mkdirSync(join(dir, "dist-test", "lib"));
  for (const f of files) writeFileSync(join(dir, f), "");
  for (const f of compiled) writeFileSync(join(dir, "dist-test", "test", f), "");
  for (const f of ["kept.js", "gone.js"]) writeFileSync(join(dir, "dist-test", "lib", f), "");
  await run("bash", ["-c", `. ${projectPath("scripts", "tap-args.sh")} && prune_compiled`], { cwd: dir });
  t.same(readdirSync(join(dir, "dist-test", "test")).sort(), ["kept.test.js", "kept.test.js.map"]);
  t.same(readdirSync(join(dir, "dist-test", "lib")), ["kept.js"]);
});
