// A process tree's CPU is read from /proc child by child: a child that ended between its parent's
// listing and the read of its own files (a PostgreSQL backend whose client had gone, another test
// file's) threw ENOENT out of the reading and failed the store-CPU test in CI.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { cpuSecondsOf } from "../../bench/lib/proc-cpu.js";

t.test("a tree whose children come and go is read without error", async (t) => {
  // A parent that starts a short-lived child again and again.
  const parent = spawn("bash", ["-c", "while :; do /bin/true; done"], { stdio: "ignore" });
  t.teardown(() => {
    parent.kill("SIGKILL");
  });
  await sleep(100);
  const pid = parent.pid as number;
  const failures = new Set<string>();
  let readings = 0;
  const until = Date.now() + 500;
  let last = 0;
  while (Date.now() < until) {
    try {
      last = cpuSecondsOf(pid);
      readings++;
    } catch (err) {
      failures.add(String(err));
    }
  }
  t.same([...failures], [], `${readings} readings, none failed`);
  t.ok(last > 0, `the tree's CPU: ${last.toFixed(2)} s`);
  parent.kill("SIGKILL");
  await once(parent, "exit");
});
