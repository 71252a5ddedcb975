import { execFile } from "node:child_process";
import { promisify } from "node:util";
import t from "tap";

// test/helpers/untracked-children.ts, loaded before every test file: the processes a test starts
// run without tap's module recorder, which on Node 20 cost each of them seconds of CPU.
const run = promisify(execFile);
const RECORDER = /@tapjs\/processinfo/;

const seenByChild = async (env?: NodeJS.ProcessEnv): Promise<{ options: string; execArgv: string[] }> => {
  const probe =
    "process.stdout.write(JSON.stringify({ options: process.env.NODE_OPTIONS ?? '', execArgv: process.execArgv }))";
  const { stdout } = await run(process.execPath, ["-e", probe], env ? { env } : {});
  return JSON.parse(stdout);
};

t.test("this test process runs with tap's recorder, so there is something to keep from its children", async (t) => {
  t.ok(
    process.execArgv.some((a) => RECORDER.test(a)),
    process.execArgv.join(" "),
  );
});

t.test("a child started with this process's environment has no recorder", async (t) => {
  const seen = await seenByChild();
  t.notMatch(seen.options, RECORDER);
  t.notOk(seen.execArgv.some((a) => RECORDER.test(a)));
});

t.test("a child given an environment of its own keeps its NODE_OPTIONS and gets no recorder", async (t) => {
  const seen = await seenByChild({ ...process.env, NODE_OPTIONS: "--max-old-space-size=256" });
  t.equal(seen.options, "--max-old-space-size=256");
  t.notOk(seen.execArgv.some((a) => RECORDER.test(a)));
});
