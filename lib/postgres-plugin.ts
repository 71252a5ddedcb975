import fp from "fastify-plugin";
import postgres from "postgres";
import { DependencyDown } from "./dependency-down.js";
import { DependencyGate } from "./dependency-gate.js";

export type Sql = postgres.Sql;

declare module "fastify" {
  interface FastifyInstance {
    sql: Sql;
  }
}

export interface PostgresPluginOptions {
  url: string;
  max?: number;
}

/**
 * Seconds before a closed connection tries again. postgres.js' default grows to 20 s, shared
 * by the whole pool, so a pool that failed during an outage stayed away that long after it;
 * capped at half a second the pool is back as soon as PostgreSQL is.
 */
export function reconnectBackoff(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 0.5);
}

export function createSql(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    backoff: reconnectBackoff,
    // Every date the services store is a UTC day; a date compared with a timestamp
    // (`travel_date + 1`) is midnight in the session's zone, which would be the server's own.
    connection: { TimeZone: "UTC" },
    // numeric (prices) arrives as a JS number: prices have two decimals and stay far below 2^53.
    types: { numeric: { to: 1700, from: [1700], serialize: String, parse: Number } },
  });
}

// What a postgres.js query is beneath its public type: the pool's entry point, called when the
// query runs (awaited), and the rejection every failure goes through.
interface QueryInternals {
  handler: (query: QueryInternals) => void;
  reject: (err: unknown) => void;
}

function guardQuery(query: unknown, gate: DependencyGate): void {
  const q = query as QueryInternals;
  const run = q.handler;
  const reject = q.reject;
  q.reject = (err) => {
    gate.observe(err);
    reject(err);
  };
  q.handler = (self) => (gate.open ? run(self) : self.reject(new DependencyDown("postgres")));
}

/**
 * `sql` behind the gate: while PostgreSQL is known to be down, queries and transactions fail at
 * once with DependencyDown, and every error they meet is shown to the gate. Fragments
 * (sql`...` inside a query, sql(values)) are built as before; the gate decides when a query runs.
 */
export function gatedSql(sql: Sql, gate: DependencyGate): Sql {
  const begin = (...args: unknown[]): Promise<unknown> => {
    if (!gate.open) return Promise.reject(new DependencyDown("postgres"));
    return (sql.begin as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
      gate.observe(err);
      throw err;
    });
  };
  const unsafe = (...args: unknown[]): unknown => {
    const query = (sql.unsafe as (...a: unknown[]) => unknown)(...args);
    guardQuery(query, gate);
    return query;
  };
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const result = Reflect.apply(target, thisArg, args);
      const first = args[0] as { raw?: unknown } | null | undefined;
      if (first && Array.isArray(first.raw)) guardQuery(result, gate);
      return result;
    },
    get(target, prop, receiver) {
      if (prop === "begin") return begin;
      if (prop === "unsafe") return unsafe;
      return Reflect.get(target, prop, receiver);
    },
  });
}

export const postgresPlugin = fp<PostgresPluginOptions>(
  async (app, opts) => {
    const sql = createSql(opts.url, opts.max);
    const gate = new DependencyGate("postgres", () => sql`SELECT 1`, app.log);
    app.decorate("sql", gatedSql(sql, gate));
    app.addHook("onClose", async () => {
      gate.close();
      await sql.end({ timeout: 5 });
    });
  },
  { name: "postgres" },
);
