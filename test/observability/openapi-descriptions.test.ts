import t from "tap";
import { SERVICES } from "../helpers/services.js";

// The MCP tools' input schemas are these routes' schemas (mcp/schemas.ts), so the words an
// assistant reads are the ones a REST client reads in /docs/json: every parameter and body field
// of the routes the tools call has a description there too.

const TOOL_ROUTES: Record<string, string[]> = {
  "flight-svc": ["get /api/flights/search", "get /api/flights/{id}", "get /api/flights/{id}/seatmap"],
  "booking-svc": [
    "post /api/bookings",
    "get /api/bookings",
    "post /api/bookings/{id}/change",
    "post /api/bookings/{id}/check-in",
    "post /api/boarding-passes/verify",
  ],
  "user-svc": [
    "post /api/auth/login",
    "get /api/loyalty/me",
    "post /api/subscriptions",
    "delete /api/subscriptions/{flight_id}",
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
type Json = any;

/** Every property at any depth without a non-empty description, by its path. */
function undescribed(schema: Json, at: string): string[] {
  if (!schema || typeof schema !== "object") return [];
  const own = Object.entries<Json>(schema.properties ?? {}).flatMap(([name, prop]) => [
    ...(typeof prop.description === "string" && prop.description.trim() !== "" ? [] : [`${at}.${name}`]),
    ...undescribed(prop, `${at}.${name}`),
  ]);
  return [...own, ...(schema.items ? undescribed(schema.items, `${at}[]`) : [])];
}

for (const { name, build } of SERVICES.filter((s) => s.name in TOOL_ROUTES)) {
  t.test(`${name}: the MCP tools' routes describe every parameter and body field`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    const doc: Json = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    for (const route of TOOL_ROUTES[name] ?? []) {
      const [method, path] = route.split(" ") as [string, string];
      const op = doc.paths[path]?.[method];
      t.ok(op, `${route} is documented`);
      const params: Json[] = op?.parameters ?? [];
      const body = op?.requestBody?.content?.["application/json"]?.schema;
      t.same(
        [
          ...params
            .filter((p: Json) => !(p.description ?? p.schema?.description))
            .map((p: Json) => `${p.in}.${p.name}`),
          ...undescribed(body, "body"),
        ],
        [],
        route,
      );
    }
  });
}
