import t from "tap";
import { currentRequestId } from "../../lib/request-context.js";
import { SERVICES } from "../helpers/services.js";

// Only booking-svc forwards request ids to other services and logs a request's saga lines
// through loggers of its own, so only it runs its requests inside the async request context;
// the context's hooks would cost the others CPU on every request for nothing
// (lib/request-id-plugin.ts). Each service's request loggers carry the id either way.
const WITH_CONTEXT = new Set(["booking-svc"]);

for (const { name, build } of SERVICES) {
  t.test(
    `${name}: ${WITH_CONTEXT.has(name) ? "runs" : "does not run"} its requests inside the request context`,
    async (t) => {
      const app = await build();
      t.teardown(() => app.close());
      app.get("/context-probe", { config: { access: "anyone" } }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return { seen: currentRequestId() ?? null };
      });
      const res = await app.inject({
        method: "GET",
        url: "/context-probe",
        headers: { "x-request-id": `probe-${name}` },
      });
      t.equal(res.headers["x-request-id"], `probe-${name}`, "the id is echoed");
      t.same(res.json(), { seen: WITH_CONTEXT.has(name) ? `probe-${name}` : null });
    },
  );
}
