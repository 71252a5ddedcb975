import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { head, rawRequest } from "../helpers/raw-http.js";
import { registeredRoutes } from "../helpers/routes.js";
import { SERVICES } from "../helpers/services.js";
import { freePort } from "../helpers/system.js";

// `make cluster-up`'s nginx (scripts/cluster.sh nginx-conf writes what `up` runs), in front of a
// stand-in for the first instance of each service that says which service it is: the gateway
// (GATEWAY_PORT, the one address SKYBOOK_API_URL may name) sends every route of every service to
// that service, user-svc's JWKS included, and a WebSocket to /api/updates gets through it and
// through user-svc's own port.

const run = promisify(execFile);
const hasNginx = await run("sh", ["-c", "command -v nginx"]).then(
  () => true,
  () => false,
);
if (!hasNginx) {
  t.plan(0, "nginx is not installed (make cluster-up installs it)");
} else {
  const order = ["flight-svc", "booking-svc", "payment-mock", "user-svc"];
  // Instance j of service i listens on CLUSTER_INSTANCE_PORT + 2 i + j: a free base whose first
  // instances' ports are free too.
  let base = 0;
  const stands: Server[] = [];
  for (let tries = 0; stands.length < order.length && tries < 20; tries++) {
    for (const s of stands.splice(0)) s.close();
    base = await freePort();
    for (const [i, name] of order.entries()) {
      const server = createServer((req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ service: name, url: req.url }));
      });
      server.on("upgrade", (req, socket) => {
        socket.end(
          `HTTP/1.1 101 Switching Protocols\r\nupgrade: ${req.headers.upgrade}\r\nconnection: Upgrade\r\n\r\n`,
        );
      });
      const ok = await new Promise<boolean>((resolve) => {
        server.once("error", () => resolve(false));
        server.listen(base + 2 * i, "127.0.0.1", () => resolve(true));
      });
      if (!ok) break;
      stands.push(server);
    }
  }
  t.teardown(() => {
    for (const s of stands) s.close();
  });
  if (stands.length < order.length) throw new Error("no free ports for the instances' stand-ins");

  const dir = await mkdtemp(join(tmpdir(), "skybook-gateway-"));
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

  t.test("the gateway sends every route of every service to that service", async (t) => {
    for (const { name, build } of SERVICES) {
      const app = await build();
      await app.ready();
      const paths = new Set(
        registeredRoutes(app)
          .map((r) => r.split(" ")[1] as string)
          // The gateway serves the API; each instance's own /health, /ready, /metrics and /docs
          // are reached on its service's port.
          .filter((p) => p.startsWith("/api/") || p.startsWith("/.well-known/"))
          .map((p) => p.replace(/:\w+/g, "1")),
      );
      await app.close();
      for (const path of paths) {
        const res = await rawRequest(ports.GATEWAY_PORT, head("GET", path));
        t.match(res.json, { service: name }, `${path} reaches ${name} (${res.status})`);
      }
    }
  });

  // nginx answered its own HTML page for a path no location takes.
  t.test("a path the gateway does not route answers the API's 404 in JSON", async (t) => {
    for (const path of ["/", "/nothing", "/api/nothing", "/health"]) {
      const res = await rawRequest(ports.GATEWAY_PORT, head("GET", path));
      t.equal(res.status, 404, path);
      t.match(res.headers["content-type"], /^application\/json/, path);
      t.equal(res.json?.error, "not_found", path);
      t.ok(res.text.endsWith("}\n"), `${path}: the body ends with a newline`);
    }
  });

  t.test("a WebSocket to /api/updates gets through, on the gateway and on user-svc's port", async (t) => {
    for (const port of [ports.GATEWAY_PORT, ports.USER_PORT]) {
      const res = await rawRequest(
        port,
        head("GET", "/api/updates", {
          upgrade: "websocket",
          connection: "Upgrade",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          "sec-websocket-version": 13,
        }),
      );
      t.equal(res.status, 101, `port ${port}: 101 Switching Protocols`);
    }
  });
}
