import t from "tap";
import { SERVICES } from "../helpers/services.js";

// A client reads /docs/json to learn what to send, and the MCP tools' input schemas are these
// same route schemas (mcp/schemas.ts): every path, query and header parameter and every body
// field, at any depth, of every route of every service says what it is.

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
type Json = any;

/** Every property at any depth without a non-empty description, by its path. */
function undescribed(schema: Json, at: string): string[] {
  if (!schema || typeof schema !== "object") return [];
  const own = Object.entries<Json>(schema.properties ?? {}).flatMap(([name, prop]) => [
    ...(described(prop) ? [] : [`${at}.${name}`]),
    ...undescribed(prop, `${at}.${name}`),
  ]);
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  return [
    ...own,
    ...(schema.items ? undescribed(schema.items, `${at}[]`) : []),
    ...branches.flatMap((b: Json) => undescribed(b, at)),
  ];
}

function described(s: Json): boolean {
  return typeof s?.description === "string" && s.description.trim() !== "";
}

const METHODS = ["get", "put", "post", "delete", "patch"];

for (const { name, build } of SERVICES) {
  t.test(`${name}: every route describes every parameter and body field`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());
    await app.ready();
    const doc: Json = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const missing = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).flatMap((method) => {
        const op = item[method];
        const params: Json[] = op.parameters ?? [];
        const body = op.requestBody?.content?.["application/json"]?.schema;
        return [
          ...params.filter((p) => !described(p) && !described(p.schema)).map((p) => `${p.in}.${p.name}`),
          ...undescribed(body, "body"),
        ].map((field) => `${method} ${path}: ${field}`);
      }),
    );
    t.same(missing, [], "no parameter or body field without a description");
    t.ok(Object.keys(doc.paths).length > 0, "the document lists routes");
  });
}
