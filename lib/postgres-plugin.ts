import fp from "fastify-plugin";
import postgres from "postgres";

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

export function createSql(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    // numeric (prices) arrives as a JS number: prices have two decimals and stay far below 2^53.
    types: { numeric: { to: 1700, from: [1700], serialize: String, parse: Number } },
  });
}

export const postgresPlugin = fp<PostgresPluginOptions>(
  async (app, opts) => {
    const sql = createSql(opts.url, opts.max);
    app.decorate("sql", sql);
    app.addHook("onClose", async () => sql.end({ timeout: 5 }));
  },
  { name: "postgres" },
);
