// Which errors mean "a dependency cannot be reached right now" (an outage, a restart, a
// shutdown) rather than "this request is wrong" or "our code is wrong". Those are answered 503
// service_unavailable with Retry-After (lib/errors.ts) and close the dependency's gate
// (lib/dependency-gate.ts) until it answers again.

export type Dependency = "redis" | "postgres" | "flight-svc";

export const DEPENDENCY_NAMES: Record<Dependency, string> = {
  redis: "Redis",
  postgres: "PostgreSQL",
  "flight-svc": "flight-svc",
};

/**
 * Thrown instead of calling a dependency that is known to be down, or for a call that got no
 * answer; `reason` (what the call met) is for the log line, never the client.
 */
export class DependencyDown extends Error {
  constructor(
    readonly dependency: Dependency,
    reason?: string,
  ) {
    super(`${DEPENDENCY_NAMES[dependency]} is unavailable${reason ? `: ${reason}` : ""}`);
    this.name = "DependencyDown";
  }
}

// postgres.js' own codes for a connection that failed, closed or was closed under a query.
const PG_CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);
// SQLSTATE: class 08 (connection exception), 57P01-57P03 (server shutting down or starting
// up), 53100/53200/53300 (disk full, out of memory, too many connections), 25006 (a read-only
// transaction: a standby, as after a failover).
const PG_SQLSTATE = /^(08|57P0[123]$|53[123]00$|25006$)/;
// Socket errors either client passes through.
const NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// ioredis: the command waited through its reconnect attempts, its connection closed, or Redis
// did not answer it in time (a stalled server keeps its connections open).
const REDIS_MESSAGES = new Set([
  "Connection is closed.",
  "Command timed out",
  "Stream isn't writeable and enableOfflineQueue options is false",
]);
// ioredis' Cluster client: during a failover every node it asked pointed at the dead master
// (its redirections ran out) or none answered.
const REDIS_CLUSTER_MESSAGE = /^(Too many Cluster redirections|Failed to refresh slots cache)/;
// Redis replies of a server that is up but cannot take writes: full at its maxmemory
// (noeviction), unable to save its snapshot, a replica, too few replicas.
const REDIS_WRITE_REFUSAL = /^(OOM|MISCONF|READONLY|NOREPLICAS) /;
// … or that cannot serve yet.
const REDIS_REPLY = new RegExp(`^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN) |${REDIS_WRITE_REFUSAL.source}`);

/** A Redis reply that refuses a write, though Redis answers (and would answer a read). */
export function redisRefusesWrite(err: unknown): boolean {
  return err instanceof Error && err.name === "ReplyError" && REDIS_WRITE_REFUSAL.test(err.message);
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * The dependency an error says is unreachable ("unknown" for a socket error that names none);
 * null for every other error.
 */
export function unavailableDependency(err: unknown): Dependency | "unknown" | null {
  if (err instanceof DependencyDown) return err.dependency;
  if (!err || typeof err !== "object") return null;
  const { name, code, message } = err as ErrorLike;
  if (name === "MaxRetriesPerRequestError" || name === "ClusterAllFailedError") return "redis";
  if (typeof message === "string" && REDIS_CLUSTER_MESSAGE.test(message)) return "redis";
  if (
    typeof message === "string" &&
    (REDIS_MESSAGES.has(message) || (name === "ReplyError" && REDIS_REPLY.test(message)))
  ) {
    return "redis";
  }
  // A MULTI whose commands Redis refused (a full Redis refuses each as it is queued) fails as a
  // whole with EXECABORT; why is in the errors of those commands.
  if (name === "ReplyError" && typeof message === "string" && message.startsWith("EXECABORT")) {
    const previous = (err as { previousErrors?: unknown }).previousErrors;
    if (Array.isArray(previous) && previous.some((e) => unavailableDependency(e) === "redis")) return "redis";
  }
  if (typeof code !== "string") return null;
  if (name === "PostgresError") return PG_SQLSTATE.test(code) ? "postgres" : null;
  if (PG_CONNECTION_CODES.has(code)) return "postgres";
  if (!NET_CODES.has(code)) return null;
  // postgres.js marks the errors of its queries with the statement (a non-enumerable `query`).
  return "query" in (err as object) ? "postgres" : "unknown";
}
