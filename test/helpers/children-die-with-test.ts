// Loaded by tap before every test file (package.json, tap "node-arg").
//
// A test that starts a service as a process of its own stops it in a teardown. A test file that
// dies first (an uncaught error, tap's timeout) runs no teardown, and the process lived on: on
// the test databases, taking CPU, and holding the output pipe that `make test` reads to its end,
// so the whole run waited for it (a fresh-clone CI run hung so after a test file crashed). Every
// child a test process starts is killed when that process exits, however it exits but SIGKILL.
import { ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();
// Every way of starting a process (spawn, execFile, exec, fork) goes through it; not in the typings.
const proto = ChildProcess.prototype as unknown as { spawn: (this: ChildProcess, ...args: unknown[]) => unknown };
const spawn = proto.spawn;

proto.spawn = function (...args) {
  const result = spawn.apply(this, args);
  running.add(this);
  this.once("exit", () => running.delete(this));
  return result;
};

process.on("exit", () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});
