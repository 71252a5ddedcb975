import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { freePort } from "../helpers/system.js";

// `make cluster-up`'s nginx sent a request that an instance took and died on (SIGKILL, a crash)
// to the other instance, POSTs included: a booking without an Idempotency-Key whose booking-svc
// instance was killed while it waited for its payment was booked and charged twice, once by the
// recovery sweeper and once by the other instance. Writes of booking-svc and user-svc are now
// resent only with an Idempotency-Key, and the one cut off answers JSON; flight-svc's and
// payment-mock's, which booking-svc names by hold id or key, are still resent.

const run = promisify(execFile);
const hasNginx = await run("sh", ["-c", "command -v nginx"]).then(
  () => true,
  () => false,
);
if (!hasNginx) {
  t.plan(0, "nginx is not installed (make cluster-up installs it)");
} else {
  const order = ["flight-svc", "booking-svc", "payment-mock", "user-svc"];
  const hits = new Map<string, number>();
  // Stand-ins for both instances of every service (CLUSTER_INSTANCE_PORT + 2 i + j): a POST dies
  // with its connection, as it does when the instance is killed while it runs.
  let base = 0;
  const stands: Server[] = [];
  for (let tries = 0; stands.length < 2 * order.length && tries < 20; tries++) {
    for (const s of stands.splice(0)) s.close();
    base = await freePort();
    for (const [i, name] of order.entries()) {
      for (const j of [0, 1]) {
        const server = createServer((req, res) => {
          hits.set(name, (hits.get(name) ?? 0) + 1);
          if (req.method === "POST") {
            req.socket.destroy();
            return;
          }
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ service: name }));
        });
        const ok = await new Promise<boolean>((resolve) => {
          server.once("error", () => resolve(false));
          server.listen(base + 2 * i + j, "127.0.0.1", () => resolve(true));
        });
        if (!ok) break;
        stands.push(server);
      }
      if (stands.length < 2 * (i + 1)) break;
    }
  }
  t.teardown(() => {
    for (const s of stands) s.close();
  });
  if (stands.length < 2 * order.length) throw new Error("no free ports for the instances' stand-ins");

  const dir = await mkdtemp(join(tmpdir(), "skybook-gateway-retries-"));
  const ports = { FLIGHT_PORT: 0, BOOKING_PORT: 0, PAYMENT_PORT: 0, USER_PORT: 0, GATEWAY_PORT: 0 };
  for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    CLUSTER_RUN_DIR: dir,
    CLUSTER_INSTANCE_PORT: String(base),
  };
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  const { stdout } = await run(projectPath("scripts", "cluster.sh"), ["nginx-conf"], { env, cwd: projectPath() });
  const conf = stdout.trim();
  const nginxDir = join(dir, "nginx");
  await run("nginx", ["-c", conf, "-p", nginxDir, "-g", "daemon on;"]);
  t.teardown(async () => {
    await run("nginx", ["-c", conf, "-p", nginxDir, "-s", "quit"]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  const post = async (port: number, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ flight_id: 1, seats: 1, date: "2030-03-01" }),
    });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  };
  const cutOff = {
    status: 502,
    type: "application/json",
    body: /^\{"error":"bad_gateway","message":"The service stopped before it answered, so the request may have been carried out: .*"\}\n$/,
  };

  // Each case on a service of its own: an instance that failed sits out fail_timeout (2 s).
  t.test("a booking without an Idempotency-Key is sent to one instance only", async (t) => {
    t.match(await post(ports.GATEWAY_PORT, "/api/bookings"), cutOff);
    t.equal(hits.get("booking-svc"), 1, "the other instance never saw it");
  });

  t.test("a write of user-svc with an Idempotency-Key is sent again to the other instance", async (t) => {
    t.match(await post(ports.USER_PORT, "/api/loyalty/3/adjust", { "idempotency-key": "k-1" }), cutOff);
    t.equal(hits.get("user-svc"), 2);
  });

  t.test("booking-svc's writes to flight-svc, named by their hold id, are sent again", async (t) => {
    t.equal((await post(ports.FLIGHT_PORT, "/api/flights/holds")).status, 502);
    t.equal(hits.get("flight-svc"), 2);
  });

  t.test("a read still goes to the other instance", async (t) => {
    const res = await fetch(`http://127.0.0.1:${ports.BOOKING_PORT}/api/bookings/1`);
    t.equal(res.status, 200);
    t.same(await res.json(), { service: "booking-svc" });
  });
}
