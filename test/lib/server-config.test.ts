import { availableParallelism } from "node:os";
import t from "tap";
import { ConfigError, Reader } from "../../lib/config-parse.js";
import { loadServerConfig, readRedisClusterNodes, WORKERS } from "../../lib/server-config.js";

t.test("the server settings every service shares: defaults need no environment", async (t) => {
  t.same(loadServerConfig({}), {
    host: "127.0.0.1",
    logLevel: "info",
    accessLog: false,
    logSlowMs: 1_000,
    shutdownTimeoutMs: 30_000,
    shutdownDrainMs: 0,
    metrics: true,
    trustedProxies: [],
    http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000, maxConnections: 8_192 },
    auth: {
      mode: "required",
      userServiceUrl: "http://127.0.0.1:8083",
      issuer: "skybook-user-svc",
      audience: "skybook",
      keyDir: ".run/keys",
      serviceSecretFile: "",
    },
  });
});

t.test("SHUTDOWN_DRAIN_MS: within SHUTDOWN_TIMEOUT_MS", async (t) => {
  t.equal(loadServerConfig({ SHUTDOWN_DRAIN_MS: "3000" }).shutdownDrainMs, 3_000);
  const err = t.throws(() =>
    loadServerConfig({ SHUTDOWN_DRAIN_MS: "5000", SHUTDOWN_TIMEOUT_MS: "5000" }),
  ) as ConfigError;
  t.match(err.message, "SHUTDOWN_DRAIN_MS: expected less than SHUTDOWN_TIMEOUT_MS");
});

t.test("HTTP limits: validated, and a header deadline within the request's", async (t) => {
  const zero = t.throws(() =>
    loadServerConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "0", HTTP_MAX_CONNECTIONS: "0" }),
  ) as ConfigError;
  t.ok(zero instanceof ConfigError);
  t.match(zero.message, /HTTP_KEEP_ALIVE_TIMEOUT_MS=0: expected an integer from 100 to 600000/);
  t.match(zero.message, /HTTP_MAX_CONNECTIONS=0: expected an integer from 1 to 1000000/);
  // 0 made every SIGTERM end "shutdown timed out" with exit 1, before the server had closed.
  t.throws(
    () => loadServerConfig({ SHUTDOWN_TIMEOUT_MS: "0" }),
    /SHUTDOWN_TIMEOUT_MS=0: expected an integer from 1000/,
  );
  const order = t.throws(() =>
    loadServerConfig({ HTTP_HEADERS_TIMEOUT_MS: "20000", HTTP_REQUEST_TIMEOUT_MS: "10000" }),
  ) as ConfigError;
  t.same(order.problems, ["HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS"]);
});

t.test("TRUSTED_PROXIES: addresses and CIDRs, comma-separated", async (t) => {
  t.same(loadServerConfig({ TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8,::1" }).trustedProxies, [
    "127.0.0.1",
    "10.0.0.0/8",
    "::1",
  ]);
  t.throws(
    () => loadServerConfig({ TRUSTED_PROXIES: "10.0.0.0/33" }),
    /TRUSTED_PROXIES=10\.0\.0\.0\/33: .*"10\.0\.0\.0\/33"/,
  );
});

t.test("REDIS_CLUSTER_NODES: host:port pairs, or empty for one node", async (t) => {
  const read = (v: string) => {
    const r = new Reader({ REDIS_CLUSTER_NODES: v });
    return { nodes: readRedisClusterNodes(r), problems: r.problems };
  };
  t.same(read(""), { nodes: [], problems: [] });
  t.same(read("127.0.0.1:7001, redis-a:7002"), { nodes: ["127.0.0.1:7001", "redis-a:7002"], problems: [] });
  t.match(read("127.0.0.1:7001,nope").problems, [
    /REDIS_CLUSTER_NODES=127.0.0.1:7001,nope: expected host:port.*"nope"/,
  ]);
  t.match(read("h:70000").problems, [/"h:70000" is not one/]);
});

t.test(
  "workers: 1 unless set; auto is one per usable core; anything else below 1 or not whole is refused",
  async (t) => {
    const read = (v?: string) => {
      const r = new Reader({ FLIGHT_WORKERS: v });
      return { workers: r.intOrAuto("FLIGHT_WORKERS", ...WORKERS), problems: r.problems };
    };
    t.same(read(), { workers: 1, problems: [] });
    t.same(read("3"), { workers: 3, problems: [] });
    t.same(read("auto"), { workers: availableParallelism(), problems: [] });
    for (const bad of ["0", "-1", "1.5", "abc", "257", "Auto"]) {
      t.same(read(bad).problems, [`FLIGHT_WORKERS=${bad}: expected auto or an integer from 1 to 256`], bad);
    }
  },
);
