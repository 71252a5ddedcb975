// user-svc's settings and their rules: accounts, token lifetimes, signing keys, login limits, the push.
import { type Env, POSTGRES_PROTOCOLS, Reader } from "../lib/config-parse.js";
import {
  readDbPoolSize,
  readEventsRetentionHours,
  readFlightServiceUrl,
  readFlightTimeoutMs,
  readRedisClusterNodes,
  readRedisUrl,
  readServerSettings,
  WORKERS,
} from "../lib/server-config.js";

export function readUsersDatabaseUrl(r: Reader): string {
  return r.url("USERS_DATABASE_URL", "postgres://skybook@127.0.0.1:5440/users_db", POSTGRES_PROTOCOLS);
}

/** scrypt's cost N (a power of two): 2^15 with r=8 takes 32 MiB per hash. */
export function readScryptCost(r: Reader): number {
  const n = r.int("SCRYPT_COST", 32_768, 1_024, 1_048_576);
  if ((n & (n - 1)) !== 0) r.problems.push(`SCRYPT_COST=${n}: expected a power of two`);
  return n;
}

/** A comma-separated list of files; blanks between commas are ignored. */
function fileList(value: string): string[] {
  return value
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
}

export function loadUserConfig(env: Env = process.env) {
  const r = new Reader(env);
  const server = readServerSettings(r);
  const config = {
    ...server,
    redisUrl: readRedisUrl(r),
    redisClusterNodes: readRedisClusterNodes(r),
    usersDatabaseUrl: readUsersDatabaseUrl(r),
    dbPoolSize: readDbPoolSize(r),
    user: {
      port: r.int("USER_PORT", 8083, 0, 65535),
      workers: r.intOrAuto("USER_WORKERS", ...WORKERS),
      // Who signs the tokens and whom they are for: every verifier checks both (lib/auth/settings.ts).
      issuer: server.auth.issuer,
      audience: server.auth.audience,
      accessTtlSeconds: r.int("ACCESS_TOKEN_TTL_SECONDS", 900, 10, 86_400),
      refreshTtlSeconds: r.int("REFRESH_TOKEN_TTL_SECONDS", 30 * 86_400, 60, 365 * 86_400),
      // A PKCS#8 PEM private key (Ed25519) given as a file; else one is made in keyDir (relative to
      // the project folder) at first start.
      signingKeyFile: r.str("AUTH_SIGNING_KEY_FILE", ""),
      // PEM files of keys whose tokens are accepted and which the key set publishes, but that do
      // not sign: a rotation's next key before it signs, and its last until its tokens expire.
      verifyKeyFiles: fileList(r.str("AUTH_VERIFY_KEY_FILES", "")),
      keyDir: server.auth.keyDir,
      loginAttempts: r.int("LOGIN_RATE_LIMIT", 10, 1, 1_000_000),
      loginWindowSeconds: r.int("LOGIN_RATE_WINDOW_SECONDS", 60, 1, 86_400),
      scryptCost: readScryptCost(r),
    },
    eventsRetentionHours: readEventsRetentionHours(r),
    updates: {
      // Per user and instance: a user's tabs and devices, not a way to hold the server's sockets.
      maxConnectionsPerUser: r.int("UPDATES_MAX_CONNECTIONS_PER_USER", 5, 1, 10_000),
      maxSubscriptionsPerUser: r.int("UPDATES_MAX_SUBSCRIPTIONS_PER_USER", 100, 1, 100_000),
      // Bytes waiting to reach one client before it is dropped as too slow.
      sendBufferBytes: r.int("UPDATES_SEND_BUFFER_BYTES", 1_048_576, 1_024, 268_435_456),
      // An SSE comment or a WebSocket ping this often: proxies close silent connections, and a
      // WebSocket whose client did not answer the last ping is gone (it would hold its place).
      heartbeatMs: r.int("UPDATES_HEARTBEAT_MS", 15_000, 100, 3_600_000),
      // Asked whether a flight exists before a user subscribes to it.
      flightServiceUrl: readFlightServiceUrl(r),
      flightTimeoutMs: readFlightTimeoutMs(r),
    },
  };
  return r.done(config);
}

export type UserConfig = ReturnType<typeof loadUserConfig>;
