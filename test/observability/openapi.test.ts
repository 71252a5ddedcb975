import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv } from "ajv";
import formats from "ajv-formats";
import t from "tap";
import { SERVICES } from "../helpers/services.js";

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
type Json = any;

/**
 * Every method and path Fastify routes, read from its own route tree (not from the document or
 * the hooks that build it): HEAD routes Fastify adds itself and the docs page's files are left out.
 */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^([│├└─\s]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m?.[2]) continue;
    const depth = (m[1] ?? "").length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join("");
    if (!m[3] || path.startsWith("/docs")) continue;
    for (const method of m[3].split(", ")) {
      if (method !== "HEAD") routes.push(`${method} ${path.replace(/:(\w+)/g, "{$1}")}`);
    }
  }
  return routes.sort();
}

for (const { name, build } of SERVICES) {
  t.test(`${name}: /docs/json is a valid OpenAPI 3.1 document listing every route`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    const res = await app.inject({ method: "GET", url: "/docs/json" });
    t.equal(res.statusCode, 200);
    const doc: Json = res.json();
    t.equal(doc.openapi, "3.1.0");
    t.equal(doc.info.title, name);

    const result = await new Validator().validate(doc);
    t.same(result.errors ?? [], [], "no schema errors");
    t.ok(result.valid);

    const documented = Object.entries<Json>(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const routes = registeredRoutes(app.printRoutes({ commonPrefix: false }));
    t.ok(routes.length >= 5, `read ${routes.length} routes from the route tree`);
    t.same(documented, routes, "the document lists exactly the registered routes");
    for (const r of ["GET /metrics", "GET /health", "GET /ready"]) t.ok(documented.includes(r), r);
  });

  t.test(`${name}: every operation names its answers, and every example fits its schema`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    const doc: Json = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const ajv = new Ajv({ strict: false, allErrors: true });
    formats.default(ajv);
    let examples = 0;
    const check = (where: string, media: Json) => {
      if (media?.example === undefined) return;
      examples++;
      const valid = ajv.validate(media.schema, media.example);
      t.ok(valid, `${where} example fits: ${ajv.errorsText(ajv.errors)}`);
    };
    for (const [path, ops] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        const codes = Object.keys(op.responses);
        t.ok(
          codes.some((c) => c.startsWith("2")),
          `${where} documents a success`,
        );
        t.ok(
          codes.some((c) => c.startsWith("5")),
          `${where} documents server errors`,
        );
        if (op.requestBody || op.parameters?.length) {
          t.ok(
            codes.some((c) => c.startsWith("4")),
            `${where} documents refusals`,
          );
        }
        for (const [code, r] of Object.entries<Json>(op.responses)) {
          t.not(r.description, "Default Response", `${where} ${code} has a description`);
          check(`${where} ${code}`, r.content?.["application/json"]);
        }
        check(`${where} body`, op.requestBody?.content?.["application/json"]);
      }
    }
    t.ok(examples >= 3, `${examples} examples checked`);
  });

  // Validation fills a left-out field with its default, so the document must not make a client
  // send it (the search's seats, sort_by, max_stops and limit were listed as required).
  t.test(`${name}: a field with a default is not required`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    const doc: Json = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    let defaulted = 0;
    const checkObject = (where: string, schema: Json) => {
      for (const [field, property] of Object.entries<Json>(schema?.properties ?? {})) {
        if (property.default === undefined) continue;
        defaulted++;
        t.notOk((schema.required ?? []).includes(field), `${where} ${field}`);
      }
    };
    for (const [path, ops] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const p of op.parameters ?? []) {
          if (p.schema?.default === undefined) continue;
          defaulted++;
          t.notOk(p.required, `${where} ${p.in} ${p.name}`);
        }
        checkObject(`${where} body`, op.requestBody?.content?.["application/json"]?.schema);
      }
    }
    t.comment(`${defaulted} fields with a default`);
  });

  t.test(`${name}: /docs serves the docs page and every file it loads`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    const page = await app.inject({ method: "GET", url: "/docs" });
    t.equal(page.statusCode, 200);
    t.match(page.headers["content-type"], /text\/html/);
    const assets = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] as string);
    t.ok(
      assets.some((a) => a.endsWith("swagger-ui-bundle.js")),
      "loads Swagger UI",
    );
    for (const url of assets) {
      const res = await app.inject({ method: "GET", url: new URL(url, "http://x/docs").pathname });
      t.equal(res.statusCode, 200, url);
    }
  });
}

// Every route refuses a query parameter it does not name (400, lib/strict-input.ts), a guarded
// one too: its 401 and 403 must not stand in for that refusal (GET /api/payments/config,
// /stats and POST /reset documented 401 and 403 alone).
for (const { name, build } of SERVICES) {
  t.test(`${name}: with AUTH_MODE=required every operation still documents its 4xx refusals`, async (t) => {
    const app = await build({ env: { AUTH_MODE: "required" } });
    t.teardown(() => app.close());
    await app.ready();
    const doc: Json = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    let guarded = 0;
    for (const [path, ops] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(ops)) {
        const codes = Object.keys(op.responses);
        if (codes.includes("401")) guarded++;
        t.ok(
          codes.some((c) => c.startsWith("4") && c !== "401" && c !== "403"),
          `${method.toUpperCase()} ${path} documents refusals besides 401 and 403: ${codes.join(", ")}`,
        );
      }
    }
    t.ok(guarded > 0, `${guarded} guarded operations`);
  });
}
