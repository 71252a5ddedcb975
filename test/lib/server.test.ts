import { spawn } from "node:child_process";
import { once } from "node:events";
import t from "tap";
import { projectPath } from "../../lib/paths.js";

function runServer(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", projectPath(script)], {
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return { child, stderr: () => stderr };
}

t.test("a bad setting stops the service with a message naming it", async (t) => {
  const { child, stderr } = runServer("flight-svc/server.ts", { FLIGHT_PORT: "eighty", MAX_LAYOVER_MINUTES: "0" });
  const [code] = await once(child, "exit");
  t.equal(code, 2);
  t.match(stderr(), /flight-svc: invalid configuration/);
  t.match(stderr(), /FLIGHT_PORT=eighty: expected an integer from 0 to 65535/);
  t.match(stderr(), /MAX_LAYOVER_MINUTES=0: expected an integer from 1 to 2880/);
});

t.test("SIGTERM closes the service cleanly", async (t) => {
  const { child } = runServer("payment-mock/server.ts", { PAYMENT_PORT: "0" });
  // Give it time to listen; the exit code tells whether shutdown went through app.close().
  await new Promise((r) => setTimeout(r, 1500));
  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  t.equal(code, 0);
});
