import Fastify, { type FastifyInstance } from "fastify";
import { installErrorHandler } from "./errors.js";
import { fastifyOptions, type LogStream } from "./fastify-options.js";
import { installJsonNewline } from "./json-newline.js";
import { observabilityPlugin } from "./observability.js";
import type { ExampleBook } from "./openapi-docs.js";
import type { ServerConfig } from "./server-config.js";
import { installStrictInput } from "./strict-input.js";

export interface ServiceDocs {
  /** One paragraph for the top of the docs page. */
  description: string;
  examples: ExampleBook;
}

/**
 * What every service is before its own plugins and routes: one error shape, JSON bodies ending
 * in a newline, strict input, request ids, log lines for failed and slow requests
 * (fastify-options.ts), OpenAPI docs and metrics. Installed before any route so that every
 * route is validated, documented and counted alike.
 */
export async function createServiceApp(
  service: string,
  config: Pick<ServerConfig, "logLevel" | "accessLog" | "logSlowMs" | "http" | "metrics">,
  docs: ServiceDocs,
  logStream?: LogStream,
): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(service, config, logStream));
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  await app.register(observabilityPlugin, { service, ...docs, metrics: config.metrics });
  return app;
}
