import t from "tap";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import { ACCESS_LEVELS } from "../../lib/auth/access.js";
import { testFlightConfig } from "../helpers/config.js";
import { SERVICES } from "../helpers/services.js";

// Every route says who may call it (config.access); one left out would be refused to all but
// admins at run time, and fails here first.

for (const { name, build } of SERVICES) {
  t.test(`${name}: every registered route declares its access`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    t.ok(app.routeAccess.length > 5, `${app.routeAccess.length} routes`);
    const undeclared = app.routeAccess.filter((r) => !ACCESS_LEVELS.includes(r.access as never));
    t.same(
      undeclared.map((r) => `${r.method} ${r.url}`),
      [],
      "no route without config.access",
    );
  });
}

t.test("AUTH_MODE=off starts with a warning in the log", async (t) => {
  const lines: string[] = [];
  const app = await buildFlight({
    config: testFlightConfig({ AUTH_MODE: "off", LOG_LEVEL: "warn" }),
    logStream: { write: (line: string) => void lines.push(line) },
  });
  t.teardown(() => app.close());
  const warning = lines.map((l) => JSON.parse(l)).find((l) => /AUTH_MODE=off/.test(l.msg));
  t.match(warning, { level: 40 }, "at level warn");
});

t.test("the OpenAPI document names the Bearer scheme and each guarded route's 401 and 403", async (t) => {
  const app = await buildFlight({ config: testFlightConfig({ AUTH_MODE: "required" }) });
  t.teardown(() => app.close());
  await app.ready();
  const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
  t.match(doc.components.securitySchemes.bearerAuth, { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  const patch = doc.paths["/api/flights/{id}"].patch;
  t.same(patch.security, [{ bearerAuth: [] }]);
  t.ok(patch.responses["401"] && patch.responses["403"], "401 and 403 documented");
  t.match(patch.description, /admin/);
  const search = doc.paths["/api/flights/search"].get;
  t.equal(search.security, undefined, "search is open");
  t.equal(search.responses["401"], undefined);
});
