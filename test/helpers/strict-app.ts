import { Type } from "@sinclair/typebox";
import Fastify, { type FastifyInstance } from "fastify";
import { installErrorHandler } from "../../lib/errors.js";
import { fastifyOptions } from "../../lib/fastify-options.js";
import { CalendarDate, Id, Money } from "../../lib/input-schemas.js";
import { installJsonNewline } from "../../lib/json-newline.js";
import { loadServerConfig } from "../../lib/server-config.js";
import { installStrictInput } from "../../lib/strict-input.js";

/**
 * A service built as the real ones are (their options, error handler, JSON newline and input
 * rules) with a few routes that use every shared input rule; it echoes what reached the handler.
 */
export async function strictApp(
  t: { teardown: (fn: () => unknown) => void },
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify(fastifyOptions("test", { ...loadServerConfig(env), logLevel: "silent" }));
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  const params = Type.Object({ id: Id });
  app.get(
    "/things/:id",
    {
      schema: { params, querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }) },
    },
    async (request) => ({ params: request.params, query: request.query }),
  );
  app.delete("/things/:id", { schema: { params } }, async (request) => ({ params: request.params }));
  app.put("/things/:id/archive", { schema: { params } }, async (request) => ({ params: request.params }));
  app.post(
    "/things/:id/notes",
    {
      config: { optionalBody: true },
      schema: {
        params,
        body: Type.Object(
          { note: Type.Optional(Type.String({ maxLength: 20 })), urgent: Type.Boolean({ default: false }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ params: request.params, body: request.body }),
  );
  app.post(
    "/things",
    {
      schema: {
        body: Type.Object(
          {
            name: Type.String({ maxLength: 20 }),
            count: Type.Integer({ minimum: 0, maximum: 9 }),
            price: Money(100),
            date: CalendarDate,
            tags: Type.Optional(Type.Array(Type.String())),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ body: request.body }),
  );
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  return { app, port: Number(new URL(url).port) };
}

/** A body /things accepts; override what the test is about. */
export const thing = (over: Record<string, unknown> = {}) => ({
  name: "kettle",
  count: 2,
  price: 19.99,
  date: "2024-02-29",
  ...over,
});
