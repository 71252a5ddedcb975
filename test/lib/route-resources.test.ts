import Fastify from "fastify";
import t from "tap";
import { installErrorHandler } from "../../lib/errors.js";
import { fastifyOptions } from "../../lib/fastify-options.js";
import { loadServerConfig } from "../../lib/server-config.js";

// Fastify's router keeps a tree per method, where a parameter catches a literal segment another
// method's route has: the 405's Allow (and the route run) must follow the path's own resource.
async function app() {
  const app = Fastify(fastifyOptions("test", { ...loadServerConfig({}), logLevel: "silent" }));
  installErrorHandler(app);
  const ok = async () => ({ ok: true });
  app.get("/flights/search", ok);
  app.post("/flights/validate", ok);
  app.get("/flights/:id", ok);
  app.patch("/flights/:id", ok);
  app.get("/flights/:key/seatmap", ok);
  app.delete("/flights/holds/:id", ok);
  await app.ready();
  t.teardown(() => app.close());
  return app;
}

t.test("a literal segment with a route of its own is not a parameter of another method's route", async (t) => {
  const a = await app();
  for (const [method, url, allow] of [
    ["POST", "/flights/search", "GET, HEAD"],
    ["PATCH", "/flights/search", "GET, HEAD"],
    ["GET", "/flights/validate", "POST"],
    ["PATCH", "/flights/validate", "POST"],
    ["GET", "/flights/holds/seatmap", "DELETE"],
    ["POST", "/flights/7", "GET, HEAD, PATCH"],
    ["POST", "/flights/7/seatmap", "GET, HEAD"],
  ] as const) {
    const res = await a.inject({ method, url });
    t.equal(res.statusCode, 405, `${method} ${url}`);
    t.equal(res.headers.allow, allow, `${method} ${url}`);
    t.same(
      res.json(),
      { error: "method_not_allowed", message: `${method} is not allowed here; use ${allow}.` },
      `${method} ${url}`,
    );
  }
  for (const [method, url] of [
    ["GET", "/flights/search"],
    ["PATCH", "/flights/7"],
    ["GET", "/flights/7/seatmap"],
    ["GET", "/flights/holds"],
    ["DELETE", "/flights/holds/h1"],
  ] as const) {
    t.equal((await a.inject({ method, url })).statusCode, 200, `${method} ${url} runs its route`);
  }
  const none = await a.inject({ method: "GET", url: "/nothing" });
  t.same([none.statusCode, none.headers.allow], [404, undefined]);
});
