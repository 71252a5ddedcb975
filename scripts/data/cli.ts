import { pathToFileURL } from "node:url";

/** True when the module of `moduleUrl` is the script node (or tsx) was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** A server a script talks to, named by the line it prints when that server cannot be reached. */
export interface Store {
  kind: "PostgreSQL" | "Redis";
  url: string;
  /** The setting that names it. */
  setting: string;
}

/** The stores among the data scripts' settings (scripts/data/config.ts) that a script uses. */
export function storesOf(c: {
  redisUrl?: string;
  flightsDatabaseUrl?: string;
  bookingsDatabaseUrl?: string;
  usersDatabaseUrl?: string;
}): Store[] {
  const stores: Store[] = [];
  if (c.redisUrl) stores.push({ kind: "Redis", url: c.redisUrl, setting: "REDIS_URL" });
  if (c.flightsDatabaseUrl)
    stores.push({ kind: "PostgreSQL", url: c.flightsDatabaseUrl, setting: "FLIGHTS_DATABASE_URL" });
  if (c.bookingsDatabaseUrl)
    stores.push({ kind: "PostgreSQL", url: c.bookingsDatabaseUrl, setting: "BOOKINGS_DATABASE_URL" });
  if (c.usersDatabaseUrl) stores.push({ kind: "PostgreSQL", url: c.usersDatabaseUrl, setting: "USERS_DATABASE_URL" });
  return stores;
}

// The port `make run` starts each on (scripts/infra.sh), and each protocol's own default.
const PORT_SETTING = { PostgreSQL: "PG_PORT", Redis: "REDIS_PORT" } as const;
const PROTOCOL_PORT = { PostgreSQL: 5432, Redis: 6379 } as const;

function portOf(s: Store): number {
  const port = new URL(s.url).port;
  return port ? Number(port) : PROTOCOL_PORT[s.kind];
}

/**
 * Where a connection was refused: node's ECONNREFUSED, the first of an AggregateError's (a name
 * with several addresses), or the cause of an error that says what could not be done for it.
 */
function refusedAt(err: unknown): { address: string; port: number } | null {
  const e = err as { code?: unknown; address?: unknown; port?: unknown; errors?: unknown; cause?: unknown } | null;
  if (e?.code === "ECONNREFUSED" && typeof e.port === "number") return { address: String(e.address), port: e.port };
  for (const inner of [...(Array.isArray(e?.errors) ? e.errors : []), e?.cause]) {
    const at = inner === undefined ? null : refusedAt(inner);
    if (at) return at;
  }
  return null;
}

/**
 * A failure as one line: a store that refused the connection (or a Redis that never answered:
 * ioredis gives up with MaxRetriesPerRequestError) named with what to do, else the message.
 */
export function describeFailure(err: unknown, stores: readonly Store[]): string {
  const refused = refusedAt(err);
  let store: Store | undefined;
  let at = "";
  if (refused) {
    at = `${refused.address}:${refused.port}`;
    store = stores.find((s) => portOf(s) === refused.port);
  } else if (err instanceof Error && err.name === "MaxRetriesPerRequestError") {
    store = stores.find((s) => s.kind === "Redis");
    if (store) at = `${new URL(store.url).hostname}:${portOf(store)}`;
  }
  if (store) {
    const settings = stores.filter((s) => s.kind === store.kind && portOf(s) === portOf(store)).map((s) => s.setting);
    return (
      `${store.kind} at ${at} ${refused ? "refused the connection" : "does not answer"}: start it ` +
      `(make up, or scripts/infra.sh up, with the same ${PORT_SETTING[store.kind]}) or name a running server ` +
      `with ${settings.join(" / ")}`
    );
  }
  if (refused) return `nothing answers at ${at} (connection refused)`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs a script's main, printing a failure as one line prefixed with the script's name; a store
 * of `stores` that cannot be reached is named, with what to do, instead of a stack trace.
 */
export function run(name: string, main: () => Promise<number | undefined>, stores: readonly Store[] = []): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (err: unknown) => {
      process.stderr.write(`${name}: ${describeFailure(err, stores)}\n`);
      process.exitCode = 1;
    },
  );
}
