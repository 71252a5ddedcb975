// scripts/build.sh starts tsc only when a source or setting is newer than the last build: every
// stack a test or a user starts runs it, and tsc's own no-op check cost 3.5 s of CPU each time.
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";

const run = promisify(execFile);

/**
 * A copy of the project without its builds, on the project's node_modules. build.sh does the same
 * for any program, so the copy's build keeps the project's settings and compiles one entry point
 * (the script `make up` runs first) with what it imports: the whole project, type-checked and
 * built in a copy, cost some 30 s of CPU, and built in place it raced the tests that start
 * services from dist/.
 */
function copyOfProject(t: { teardown: (fn: () => unknown) => void }): string {
  const clone = mkdtempSync(join(tmpdir(), "skybook-build-"));
  t.teardown(() => rmSync(clone, { recursive: true, force: true }));
  const skip = new Set(["node_modules", "dist", "dist-test", ".run", ".git"]);
  cpSync(projectPath(), clone, { recursive: true, filter: (src) => !skip.has(src.slice(projectPath().length + 1)) });
  symlinkSync(projectPath("node_modules"), join(clone, "node_modules"));
  renameSync(join(clone, "tsconfig.build.json"), join(clone, "tsconfig.project.json"));
  writeFileSync(
    join(clone, "tsconfig.build.json"),
    JSON.stringify({ extends: "./tsconfig.project.json", include: ["scripts/migrate.ts"] }),
  );
  return clone;
}

const build = (clone: string) => run("bash", [join(clone, "scripts", "build.sh")], { cwd: clone });

t.test("a source newer than the last build is built; then nothing is, until one changes", async (t) => {
  const clone = copyOfProject(t);
  const built = () => statSync(join(clone, "dist", ".built")).mtimeMs;
  await build(clone);
  t.ok(existsSync(join(clone, "dist", "scripts", "migrate.js")), "the first build emits dist/");
  const before = built();
  await build(clone);
  t.equal(built(), before, "nothing newer: tsc did not run");

  // A saved file (its content as it was), a millisecond newer than the build: tsc runs, and the
  // build is dated anew.
  const source = join(clone, "lib", "migrate.ts");
  const later = new Date(before + 1);
  utimesSync(source, later, later);
  await build(clone);
  const after = built();
  t.ok(after > before, "built again");
  t.ok(after <= Date.now(), "dated when it started");
  await build(clone);
  t.equal(built(), after, "and not a third time");
});

// `tsc -p tsconfig.build.json --noEmit`, a typecheck, writes dist/.tsbuildinfo and emits nothing:
// build.sh, which dated the last build by that file, then took dist/ as built, and `make up` in a
// clone typechecked first failed with "Cannot find module '…/dist/scripts/migrate.js'".
t.test("a typecheck before the first build is no build: the build still emits dist/", async (t) => {
  const clone = copyOfProject(t);
  await run(join(clone, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json", "--noEmit"], { cwd: clone });
  t.ok(existsSync(join(clone, "dist", ".tsbuildinfo")), "the typecheck wrote tsc's build info");
  await build(clone);
  t.ok(existsSync(join(clone, "dist", "scripts", "migrate.js")), "dist/ is built");
});
