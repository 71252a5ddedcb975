// The updates load tool (docs/updates.md) with --help or a mistyped flag: it crashed in node's
// argument parser with a stack trace and exit status 1 (the status of a failed invariant).
// Now --help prints the usage (exit 0) and a bad flag one line and the usage (exit 2).
import { execFile } from "node:child_process";
import t from "tap";
import { projectPath } from "../../lib/paths.js";

function updates(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "stress/updates/cli.ts", ...args],
      { cwd: projectPath(), timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const USAGE = "usage: node --import tsx stress/updates/cli.ts [options]";

t.test("--help prints the usage and exits 0", async (t) => {
  const r = await updates(["--help"]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, USAGE);
});

t.test("an unknown flag or a bad number: one line, the usage, exit 2, no stack trace", async (t) => {
  for (const [args, problem] of [
    [["--bogus"], "updates: Unknown option '--bogus'"],
    [["--subscribers", "0"], "updates: --subscribers=0: expected a positive integer"],
  ] as const) {
    const r = await updates([...args]);
    t.equal(r.code, 2, args.join(" "));
    t.match(r.stderr, problem);
    t.match(r.stderr, USAGE);
    t.notMatch(r.stderr, /^\s+at /m, "no stack trace");
  }
});
