import t from "tap";
import { hasNginx, startGateway, startInstanceStands } from "../helpers/nginx-gateway.js";
import { head, rawRequest } from "../helpers/raw-http.js";
import { registeredRoutes } from "../helpers/routes.js";
import { SERVICES } from "../helpers/services.js";

// `make cluster-up`'s nginx (scripts/cluster.sh nginx-conf writes what `up` runs), in front of a
// stand-in for the first instance of each service that says which service it is: the gateway
// (GATEWAY_PORT, the one address SKYBOOK_API_URL may name) sends every route of every service to
// that service, user-svc's JWKS included, and a WebSocket to /api/updates gets through it and
// through user-svc's own port.

if (!(await hasNginx())) {
  t.plan(0, "nginx is not installed (make cluster-up installs it)");
} else {
  const stands = await startInstanceStands(1, (name, server) => {
    server.on("upgrade", (req, socket) => {
      socket.end(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${req.headers.upgrade}\r\nconnection: Upgrade\r\n\r\n`);
    });
    return (req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ service: name, url: req.url }));
    };
  });
  t.teardown(() => stands.close());
  const gateway = await startGateway(stands.base);
  t.teardown(() => gateway.stop());
  const { ports } = gateway;

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
