import { readFileSync } from "node:fs";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import fp from "fastify-plugin";
import type { AuthMode } from "./auth/settings.js";
import { metricsPlugin } from "./metrics.js";
import { BEARER_SCHEME, documentRoutes, type ExampleBook, optionalBodies } from "./openapi-docs.js";
import { projectPath } from "./paths.js";
import { requestIdPlugin } from "./request-id-plugin.js";

export interface ObservabilityOptions {
  service: string;
  /** One paragraph for the top of the docs page. */
  description: string;
  examples: ExampleBook;
  /** false: no /metrics and no per-request counting; the registry stays for the domain plugins. */
  metrics: boolean;
  /** required: the document names the Bearer scheme and each guarded route's 401 and 403. */
  authMode: AuthMode;
  /** Whether requests run inside their id's async context (request-id-plugin.ts). */
  requestContext: boolean;
}

const REQUEST_IDS =
  "Every request may carry an `X-Request-Id` (1-128 characters of A-Z a-z 0-9 . _ : -); a missing or " +
  "malformed one is replaced by a UUID. The id is echoed in the response's `X-Request-Id`, forwarded on " +
  "calls to other services and written on every log line of the request.";

const SECURITY_SCHEMES = {
  [BEARER_SCHEME]: {
    type: "http" as const,
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An access token from user-svc: POST /api/auth/login (customers, admins) or POST /api/auth/token " +
      "(booking-svc's client credentials). Each route says which role it takes.",
  },
};

const version = (JSON.parse(readFileSync(projectPath("package.json"), "utf8")) as { version: string }).version;

/**
 * What every service exposes about itself: request ids (accepted, echoed, forwarded), the
 * OpenAPI document built from the route schemas at /docs/json with its page at /docs, and
 * Prometheus metrics at /metrics. Registered before any route so that every route is documented.
 */
export const observabilityPlugin = fp<ObservabilityOptions>(
  async (app, { service, description, examples, metrics, authMode, requestContext }) => {
    await app.register(requestIdPlugin, { context: requestContext });
    await app.register(swagger, {
      openapi: {
        openapi: "3.1.0",
        info: { title: service, description: `${description}\n\n${REQUEST_IDS}`, version },
        ...(authMode === "required" ? { components: { securitySchemes: SECURITY_SCHEMES } } : {}),
      },
      transform: documentRoutes(examples, authMode === "required"),
      transformObject: (doc) => ("openapiObject" in doc ? optionalBodies(doc) : doc.swaggerObject),
    });
    await app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list", deepLinking: true } });
    await app.register(metricsPlugin, { expose: metrics });
  },
  { name: "observability" },
);
