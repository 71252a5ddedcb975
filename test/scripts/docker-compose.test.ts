// docker-compose.yml can't be run here (no Docker engine), so what it promises is read from the
// file: every setting reaches the containers, host-side tools find Redis and PostgreSQL, and
// shutdown fits: booking-svc's drain < SHUTDOWN_TIMEOUT_MS < compose's stop_grace_period.
import { readFileSync } from "node:fs";
import t from "tap";
import { parse } from "yaml";
import { loadBookingConfig } from "../../booking-svc/config.js";
import { drainBudgetMs } from "../../booking-svc/plugin.js";
import { loadFlightConfig } from "../../flight-svc/config.js";
import { projectPath } from "../../lib/paths.js";
import { loadMcpConfig } from "../../mcp/config.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { loadDataConfig } from "../../scripts/data/config.js";
import { loadUserConfig } from "../../user-svc/config.js";

interface Service {
  environment?: Record<string, string | number>;
  ports?: string[];
  stop_grace_period?: string;
}
const compose = parse(readFileSync(projectPath("docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};
// Each container and the config it loads (the migrate job runs the data scripts).
const LOADERS = {
  migrate: loadDataConfig,
  "flight-svc": loadFlightConfig,
  "booking-svc": loadBookingConfig,
  "payment-mock": loadPaymentConfig,
  "user-svc": loadUserConfig,
  mcp: loadMcpConfig,
};
const APP_SERVICES = Object.keys(LOADERS) as (keyof typeof LOADERS)[];
// Read by the stress harness on the host, never by a service.
const HOST_ONLY = /^STRESS_/;

const settings = readFileSync(projectPath(".env.example"), "utf8")
  .split("\n")
  .map((l) => /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(l)?.[1])
  .filter((n): n is string => n !== undefined && !HOST_ONLY.test(n));

/** The environment a container gets when the host sets nothing: `${X:-}` is empty, which means "default". */
function containerEnv(service: Service): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v).replace(/^\$\{[A-Z0-9_]+:-\}$/, "")]),
  );
}

const seconds = (v: string): number => {
  const m = /^(\d+)s$/.exec(v);
  if (!m) throw new Error(`stop_grace_period ${v}: expected whole seconds like 40s`);
  return Number(m[1]);
};

t.test("every setting of .env.example reaches every app container, from the host's value", async (t) => {
  t.ok(settings.length > 30);
  for (const name of APP_SERVICES) {
    const env = compose.services[name]?.environment ?? {};
    t.strictSame(
      settings.filter((s) => !(s in env)),
      [],
      `${name}: settings that never reach it`,
    );
    for (const [k, v] of Object.entries(env)) {
      if (String(v).startsWith("${")) t.equal(v, `\${${k}:-}`, `${name}: ${k} passes the host's own variable through`);
    }
  }
});

t.test("the containers' settings load as a valid config", async (t) => {
  for (const name of ["flight-svc", "booking-svc", "payment-mock", "user-svc", "mcp"] as const) {
    const c = LOADERS[name](containerEnv(compose.services[name]!));
    t.equal(c.host, "0.0.0.0", name);
  }
  const data = loadDataConfig(containerEnv(compose.services.migrate!));
  t.equal(data.redisUrl, "redis://redis:6379", "migrate");
});

t.test("Redis and PostgreSQL are published where the host-side tools look by default", async (t) => {
  const defaults = loadDataConfig({});
  const hostPort = (s: string) => {
    const m = /:\$\{[A-Z_]+:-(\d+)\}:\d+$/.exec(compose.services[s]?.ports?.[0] ?? "");
    return m ? Number(m[1]) : undefined;
  };
  t.equal(hostPort("redis"), Number(new URL(defaults.redisUrl).port));
  t.equal(hostPort("postgres"), Number(new URL(defaults.flightsDatabaseUrl).port));
  t.equal(hostPort("postgres"), Number(new URL(defaults.bookingsDatabaseUrl).port));
  t.equal(hostPort("postgres"), Number(new URL(defaults.usersDatabaseUrl).port));
});

t.test("shutdown: booking-svc's drain < SHUTDOWN_TIMEOUT_MS < stop_grace_period", async (t) => {
  for (const name of APP_SERVICES) {
    const service = compose.services[name]!;
    const config = loadBookingConfig(containerEnv(service));
    const grace = seconds(service.stop_grace_period ?? "10s") * 1000;
    t.ok(config.shutdownTimeoutMs < grace, `${name}: ${config.shutdownTimeoutMs} ms < ${grace} ms`);
    const drain = drainBudgetMs(config);
    t.ok(drain < config.shutdownTimeoutMs, `${name}: drain ${drain} ms < ${config.shutdownTimeoutMs} ms`);
    // By default the drain is not cut short: a running booking may take its full upstream time.
    const b = config.booking;
    t.equal(drain, b.paymentTimeoutMs + 3 * b.flightTimeoutMs, `${name}: the whole request time fits`);
  }
});

t.test("the drain budget shrinks with a short SHUTDOWN_TIMEOUT_MS instead of outliving it", async (t) => {
  t.equal(drainBudgetMs(loadBookingConfig({ SHUTDOWN_TIMEOUT_MS: "10000" })), 8_000);
  t.equal(drainBudgetMs(loadBookingConfig({ SHUTDOWN_TIMEOUT_MS: "1000" })), 0);
});

t.test("the image exposes every port a container of it publishes", async (t) => {
  const exposed = /^EXPOSE (.+)$/m.exec(readFileSync(projectPath("Dockerfile"), "utf8"))?.[1]?.split(/\s+/) ?? [];
  for (const name of APP_SERVICES) {
    for (const mapping of compose.services[name]?.ports ?? []) {
      const port = mapping.split(":").at(-1) as string;
      t.ok(exposed.includes(port), `${name}: ${port} is in the Dockerfile's EXPOSE (${exposed.join(" ")})`);
    }
  }
});
