import t from "tap";
import { currentRequestId } from "../../lib/request-context.js";
import { loadServerConfig } from "../../lib/server-config.js";
import { createServiceApp } from "../../lib/service-app.js";

// A service runs its requests inside their id's async context unless it says it needs none
// (flight-svc): the id is echoed either way, and only the context's readers see a difference.

async function appWith(requestContext?: boolean) {
  const config = loadServerConfig({ LOG_LEVEL: "silent", AUTH_MODE: "off" });
  const app = await createServiceApp(
    "context-test",
    config,
    { description: "request context test", examples: {} },
    {
      ...(requestContext === undefined ? {} : { requestContext }),
    },
  );
  app.get("/seen", { config: { access: "anyone" } }, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return { seen: currentRequestId() ?? null };
  });
  t.teardown(() => app.close());
  return app;
}

t.test("by default a request's own async work reads its id", async (t) => {
  const app = await appWith();
  const res = await app.inject({ method: "GET", url: "/seen", headers: { "x-request-id": "ctx-on-1" } });
  t.equal(res.headers["x-request-id"], "ctx-on-1");
  t.same(res.json(), { seen: "ctx-on-1" });
});

t.test("without the context the id is still echoed, and nothing reads it", async (t) => {
  const app = await appWith(false);
  const res = await app.inject({ method: "GET", url: "/seen", headers: { "x-request-id": "ctx-off-1" } });
  t.equal(res.headers["x-request-id"], "ctx-off-1");
  t.same(res.json(), { seen: null });
});
