import Fastify from "fastify";
import t from "tap";
import { AppError, installErrorHandler, validationError } from "../../lib/errors.js";
import { fastifyOptions } from "../../lib/fastify-options.js";
import { loadServerConfig } from "../../lib/server-config.js";

async function appWithRoutes() {
  const app = Fastify(fastifyOptions("test", { ...loadServerConfig({}), logLevel: "silent" }));
  installErrorHandler(app);
  app.post(
    "/things",
    {
      schema: {
        body: {
          type: "object",
          required: ["seats", "legs"],
          properties: {
            seats: { type: "integer", minimum: 1, maximum: 9 },
            legs: { type: "array", items: { type: "integer", minimum: 1 } },
          },
        },
      },
    },
    async () => ({ ok: true }),
  );
  app.get("/conflict", async () => {
    throw new AppError("not_enough_seats", undefined, { flight_id: 7, available_seats: 2 });
  });
  app.get("/field", async () => {
    throw validationError("date", "date must be a real calendar date");
  });
  app.get("/boom", async () => {
    throw new Error('relation "secret_table" does not exist');
  });
  return app;
}

t.test("schema failures are 400 naming the field", async (t) => {
  const app = await appWithRoutes();
  t.teardown(() => app.close());
  const missing = await app.inject({ method: "POST", url: "/things", payload: { legs: [] } });
  t.equal(missing.statusCode, 400);
  t.same(missing.json(), { error: "validation_error", field: "seats", message: "seats is required" });

  const range = await app.inject({ method: "POST", url: "/things", payload: { seats: 10, legs: [] } });
  t.match(range.json(), { error: "validation_error", field: "seats", message: "seats must be <= 9" });

  const nested = await app.inject({ method: "POST", url: "/things", payload: { seats: 1, legs: [3, 0] } });
  t.match(nested.json(), { error: "validation_error", field: "legs[1]" });

  const badJson = await app.inject({
    method: "POST",
    url: "/things",
    headers: { "content-type": "application/json" },
    payload: "{nope",
  });
  t.equal(badJson.statusCode, 400);
  t.match(badJson.json(), { error: "validation_error", field: "body" });
});

t.test("catalogue errors keep their status, code and details", async (t) => {
  const app = await appWithRoutes();
  t.teardown(() => app.close());
  const res = await app.inject({ method: "GET", url: "/conflict" });
  t.equal(res.statusCode, 409);
  t.same(res.json(), {
    error: "not_enough_seats",
    message: "Not enough seats are available.",
    flight_id: 7,
    available_seats: 2,
  });
  const field = await app.inject({ method: "GET", url: "/field" });
  t.same(field.json(), { error: "validation_error", message: "date must be a real calendar date", field: "date" });
});

t.test("unexpected errors are a 500 without internals", async (t) => {
  const app = await appWithRoutes();
  t.teardown(() => app.close());
  const res = await app.inject({ method: "GET", url: "/boom" });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { error: "internal_error", message: "Something went wrong on our side." });
  t.notMatch(res.body, /secret_table/);
});

t.test("a refusal (4xx) carries no stack trace; a 5xx keeps its stack", async (t) => {
  const frames = (e: Error) => (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line)).length;
  const refusal = new AppError("not_enough_seats");
  t.equal(frames(refusal), 0, "no frames captured for a 409");
  t.equal(refusal.message, "Not enough seats are available.");
  t.ok(refusal instanceof Error, "still an Error");
  t.ok(frames(new AppError("upstream_error")) > 0, "a 502 keeps where it was made");
  t.ok(frames(new Error("plain")) > 0, "the limit is put back for every other error");
});
