import t from "tap";
import { inMemoryClient } from "../helpers/mcp.js";

// An assistant knows a tool's arguments only from the input schema tools/list advertises: a bare
// `date` or `seats` left it guessing the format, which date, per what. Every property, nested ones
// (book's passengers, check_in's seats) included, says what it is.

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema as the client received it
type Json = any;

/** "tool.path" of every property without a non-empty description, at any depth. */
function undescribed(schema: Json, at: string): string[] {
  if (!schema || typeof schema !== "object") return [];
  const own = Object.entries<Json>(schema.properties ?? {}).flatMap(([name, prop]) => [
    ...(typeof prop.description === "string" && prop.description.trim() !== "" ? [] : [`${at}.${name}`]),
    ...undescribed(prop, `${at}.${name}`),
  ]);
  const items = schema.items ? undescribed(schema.items, `${at}[]`) : [];
  const alternatives = ["anyOf", "oneOf", "allOf"].flatMap((k) =>
    (schema[k] ?? []).flatMap((s: Json) => undescribed(s, at)),
  );
  return [...own, ...items, ...alternatives];
}

t.test("every input property of every tool has a description", async (t) => {
  const client = await inMemoryClient(
    t,
    async () => ({ status: 500, body: { error: "internal_error", message: "not expected" } }),
    true,
  );
  const { tools } = await client.listTools();
  t.ok(tools.length >= 16, `${tools.length} tools listed`);
  const nested = tools.find((tool) => tool.name === "book")?.inputSchema as Json;
  t.ok(nested.properties.passengers.items.properties.name, "nested properties are walked");
  t.same(
    tools.flatMap((tool) => undescribed(tool.inputSchema, tool.name)),
    [],
  );
});
