// scripts/build.sh starts tsc only when a source or setting is newer than the last build: every
// stack a test or a user starts runs it, and tsc's own no-op check cost 3.5 s of CPU each time.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { whileNoOtherBuild } from "../helpers/postgres-admin.js";

const run = promisify(execFile);
const built = () => statSync(projectPath("dist", ".built")).mtimeMs;
const build = () => run("bash", [projectPath("scripts", "build.sh")], { cwd: projectPath() });

t.test("a source newer than the last build is built; then nothing is, until one changes", async (t) => {
  await whileNoOtherBuild(async () => {
    await build();
    const before = built();
    await build();
    t.equal(built(), before, "nothing newer: tsc did not run");

    // A saved file (its content as it was), a millisecond newer than the build: tsc runs, and the
    // build is dated anew.
    const source = projectPath("lib", "money.ts");
    const later = new Date(before + 1);
    utimesSync(source, later, later);
    await build();
    const after = built();
    t.ok(after > before, "built again");
    t.ok(after <= Date.now(), "dated when it started");
    await build();
    t.equal(built(), after, "and not a third time");
  });
});

// `tsc -p tsconfig.build.json --noEmit`, a typecheck, writes dist/.tsbuildinfo and emits nothing:
// build.sh, which dated the last build by that file, then took dist/ as built, and `make up` in a
// clone typechecked first failed with "Cannot find module '…/dist/scripts/migrate.js'".
t.test("a typecheck before the first build is no build: the build still emits dist/", async (t) => {
  const clone = mkdtempSync(join(tmpdir(), "skybook-build-"));
  t.teardown(() => rmSync(clone, { recursive: true, force: true }));
  const skip = new Set(["node_modules", "dist", "dist-test", ".run", ".git"]);
  cpSync(projectPath(), clone, { recursive: true, filter: (src) => !skip.has(src.slice(projectPath().length + 1)) });
  symlinkSync(projectPath("node_modules"), join(clone, "node_modules"));
  await run(join(clone, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json", "--noEmit"], { cwd: clone });
  t.ok(existsSync(join(clone, "dist", ".tsbuildinfo")), "the typecheck wrote tsc's build info");
  await run("bash", [join(clone, "scripts", "build.sh")], { cwd: clone });
  t.ok(existsSync(join(clone, "dist", "scripts", "migrate.js")), "dist/ is built");
});
