import t from "tap";
import { SERVICES } from "../helpers/services.js";

// A route whose body may be left out (config.optionalBody) says so in its OpenAPI document:
// @fastify/swagger marks every request body required, which would make a generated client send
// one to cancel a booking. The marker that carries the route's setting does not stay behind.

const OPTIONAL: Record<string, string[]> = {
  "flight-svc": ["post /api/admin/reconcile"],
  "booking-svc": ["put /api/bookings/{id}/cancel", "post /api/bookings/{id}/check-in"],
  "payment-mock": ["put /api/payments/config"],
  "user-svc": [],
};

for (const { name, build } of SERVICES) {
  t.test(`${name}: request bodies are required but where the route makes them optional`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    const res = await app.inject({ method: "GET", url: "/docs/json" });
    t.notMatch(res.body, /x-optional-body/, "no marker left in the document");
    // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
    const paths: Record<string, Record<string, any>> = res.json().paths;
    const withBody = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ op: `${method} ${path}`, required: op.requestBody.required })),
    );
    const optional = withBody.filter((b) => !b.required).map((b) => b.op);
    t.same(optional.sort(), [...(OPTIONAL[name] ?? [])].sort());
    t.ok(withBody.length > optional.length, `${withBody.length - optional.length} bodies stay required`);
  });
}
