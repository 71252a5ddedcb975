import { execFile } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import t from "tap";
import { pidAlive } from "../helpers/run-script.js";

// A test process that dies without its teardowns (here an uncaught error) takes the processes
// it started with it: one left alive held `make test`'s output pipe, and the run waited for it.

const preload = fileURLToPath(new URL("../helpers/children-die-with-test.js", import.meta.url));
const CRASHING = `
const { spawn } = require("node:child_process");
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
console.log(child.pid);
setTimeout(() => { throw new Error("a test file's uncaught error"); }, 100);
`;

t.test("a child of a test process that dies of an uncaught error is killed with it", async (t) => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const p = execFile(process.execPath, [`--import=${preload}`, "-e", CRASHING], (err, stdout) =>
      resolve({ code: err ? (p.exitCode ?? 1) : 0, stdout }),
    );
  });
  t.equal(code, 1, "the test process died of its error");
  const pid = Number(stdout.trim());
  t.ok(pid > 0, `its child was started (${pid})`);
  // Killed at the exit; gone once init has reaped it.
  for (let i = 0; i < 50 && pidAlive(pid); i++) await sleep(100);
  const left = pidAlive(pid);
  if (left) process.kill(pid, "SIGKILL");
  t.notOk(left, "the child is gone");
});
