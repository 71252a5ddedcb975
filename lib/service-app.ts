import Fastify, { type FastifyInstance } from "fastify";
import { declareAccess, enforceAccess } from "./auth/access.js";
import { jwksUrlOf } from "./auth/settings.js";
import { createTokenVerifier, type TokenVerifier } from "./auth/verify.js";
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

export interface ServiceAppOptions {
  /** Where log lines go instead of stdout (tests read them back). */
  logStream?: LogStream;
  /** How tokens are verified; user-svc, which holds the keys, verifies with them directly. */
  verifier?: TokenVerifier;
  /**
   * Whether requests run inside their id's async context (lib/request-id-plugin.ts): on for a
   * service that forwards the id or logs a request's lines through loggers of its own.
   */
  requestContext?: boolean;
  /** Fastify's bound on each plugin's start and each onReady hook (10 s); 0 for none. */
  pluginTimeoutMs?: number;
}

/**
 * What every service is before its own plugins and routes: one error shape, JSON bodies ending
 * in a newline, strict input, who may call what (lib/auth/access.ts), request ids, log lines for
 * failed and slow requests (fastify-options.ts), OpenAPI docs and metrics. Installed before any
 * route so that every route is validated, guarded, documented and counted alike. Tokens are
 * verified from user-svc's JWKS unless `verifier` says otherwise.
 */
export async function createServiceApp(
  service: string,
  config: Pick<ServerConfig, "logLevel" | "accessLog" | "logSlowMs" | "http" | "metrics" | "auth" | "trustedProxies">,
  docs: ServiceDocs,
  { logStream, verifier, requestContext = true, pluginTimeoutMs }: ServiceAppOptions = {},
): Promise<FastifyInstance> {
  const options = fastifyOptions(service, config, logStream);
  const app = Fastify(pluginTimeoutMs === undefined ? options : { ...options, pluginTimeout: pluginTimeoutMs });
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  const { auth } = config;
  declareAccess(app);
  await app.register(observabilityPlugin, {
    service,
    ...docs,
    metrics: config.metrics,
    authMode: auth.mode,
    requestContext,
  });
  enforceAccess(app, {
    mode: auth.mode,
    verifier:
      verifier ?? createTokenVerifier({ jwksUrl: jwksUrlOf(auth), issuer: auth.issuer, audience: auth.audience }),
  });
  return app;
}
