import Fastify from "fastify";
import t from "tap";
import { DependencyDown, unavailableDependency } from "../../lib/dependency-down.js";
import { installErrorHandler } from "../../lib/errors.js";
import { fastifyOptions } from "../../lib/fastify-options.js";
import { loadServerConfig } from "../../lib/server-config.js";

const withCode = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(code), { code }, extra);
const pgError = (code: string) => Object.assign(new Error("server says no"), { name: "PostgresError", code });
const pgQueryError = (code: string) => {
  const err = withCode(code);
  Object.defineProperty(err, "query", { value: "SELECT 1", enumerable: false });
  return err;
};
const redisReply = (message: string) => Object.assign(new Error(message), { name: "ReplyError" });
const execAbort = (...previousErrors: Error[]) =>
  Object.assign(redisReply("EXECABORT Transaction discarded because of previous errors."), { previousErrors });
const maxRetries = Object.assign(new Error("Reached the max retries per request limit"), {
  name: "MaxRetriesPerRequestError",
});

t.test("errors that mean a dependency cannot be reached, and which", async (t) => {
  const cases: [unknown, ReturnType<typeof unavailableDependency>][] = [
    [new DependencyDown("postgres"), "postgres"],
    [withCode("CONNECTION_CLOSED"), "postgres"],
    [withCode("CONNECT_TIMEOUT"), "postgres"],
    [pgQueryError("ECONNREFUSED"), "postgres"],
    [pgError("57P01"), "postgres"],
    [pgError("57P03"), "postgres"],
    [pgError("08006"), "postgres"],
    [pgError("53300"), "postgres"],
    [maxRetries, "redis"],
    [new Error("Connection is closed."), "redis"],
    [redisReply("LOADING Redis is loading the dataset in memory"), "redis"],
    [redisReply("OOM command not allowed when used memory > 'maxmemory'."), "redis"],
    [
      redisReply("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk."),
      "redis",
    ],
    [redisReply("READONLY You can't write against a read only replica."), "redis"],
    [redisReply("NOREPLICAS Not enough good replicas to write."), "redis"],
    // A MULTI whose commands Redis refused names why in previousErrors, not in its own message.
    [execAbort(redisReply("OOM command not allowed when used memory > 'maxmemory'.")), "redis"],
    [execAbort(redisReply("ERR wrong number of arguments for 'incr' command")), null],
    [pgError("53100"), "postgres"],
    [pgError("53200"), "postgres"],
    [pgError("25006"), "postgres"],
    [withCode("ECONNRESET"), "unknown"],
    // Not outages: a bad statement, a constraint, a script error, anything else.
    [pgError("23514"), null],
    [pgError("42P01"), null],
    [pgError("40P01"), null],
    [redisReply("ERR value is not an integer"), null],
    [new Error("boom"), null],
    [withCode("ERR_INVALID_ARG_TYPE"), null],
    ["a string", null],
    [null, null],
  ];
  for (const [err, expected] of cases) {
    t.equal(unavailableDependency(err), expected, String((err as Error)?.message ?? err));
  }
});

t.test("the error handler answers an outage 503 with Retry-After, anything else unexpected 500", async (t) => {
  const app = Fastify(fastifyOptions("test", { ...loadServerConfig({}), logLevel: "silent" }));
  installErrorHandler(app);
  app.get("/pg", async () => {
    throw pgError("57P01");
  });
  app.get("/redis", async () => {
    throw maxRetries;
  });
  app.get("/socket", async () => {
    throw withCode("ECONNREFUSED");
  });
  app.get("/bug", async () => {
    throw pgError("42P01");
  });
  t.teardown(() => app.close());

  const pg = await app.inject({ method: "GET", url: "/pg" });
  t.equal(pg.statusCode, 503);
  t.equal(pg.headers["retry-after"], "2");
  t.same(pg.json(), { error: "service_unavailable", message: "PostgreSQL is unavailable; try again shortly." });
  const redis = await app.inject({ method: "GET", url: "/redis" });
  t.same([redis.statusCode, redis.json().message], [503, "Redis is unavailable; try again shortly."]);
  const socket = await app.inject({ method: "GET", url: "/socket" });
  t.same([socket.statusCode, socket.json().message], [503, "A dependency is unavailable; try again shortly."]);
  const bug = await app.inject({ method: "GET", url: "/bug" });
  t.equal(bug.statusCode, 500);
  t.equal(bug.headers["retry-after"], undefined);
  t.same(bug.json(), { error: "internal_error", message: "Something went wrong on our side." });
});
