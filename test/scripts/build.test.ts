// scripts/build.sh starts tsc only when a source or setting is newer than the last build: every
// stack a test or a user starts runs it, and tsc's own no-op check cost 3.5 s of CPU each time.
import { execFile } from "node:child_process";
import { statSync, utimesSync } from "node:fs";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { whileNoOtherBuild } from "../helpers/postgres-admin.js";

const run = promisify(execFile);
const info = projectPath("dist", ".tsbuildinfo");
const built = () => statSync(info).mtimeMs;
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
