import type { SwaggerTransform } from "@fastify/swagger";
import type { FastifySchema } from "fastify";
import type { Access } from "./auth/access.js";
import { ErrorBody } from "./errors.js";

/** Real request and answer examples of one operation, keyed by status code ("201", "4XX", ...). */
export interface OperationExamples {
  body?: unknown;
  responses?: Record<string, unknown>;
}

/** Examples by "METHOD /url" as the route is registered (e.g. "POST /api/flights/holds"). */
export type ExampleBook = Record<string, OperationExamples>;

const DESCRIPTIONS: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted: the outcome is not known yet; read the resource again later",
  "204": "No content",
  "2xx": "OK",
  "408": "The payment timed out",
  "401": 'No valid Bearer access token: `{error: "unauthorized", message}`',
  "403": 'The token\'s role may not call this route: `{error: "forbidden", message}`',
  "503": "A dependency is unreachable",
  "4xx": "Refused: `{error, message}` from the error catalogue, with the offending `field` for bad input",
  "5xx": "Failed on the server side or a dependency was unavailable (also while shutting down): `{error, message}`",
};

type Schemas = Record<string, Record<string, unknown>>;

/** The docs page's groups: the resource after /api/ (flights, bookings, payments, admin), or "service". */
const tagOf = (url: string) => /^\/api\/([^/]+)/.exec(url)?.[1] ?? "service";

const hasInput = (s: FastifySchema) => Boolean(s.body || s.querystring || s.params || s.headers);
const anyOf = (codes: string[], digit: string) => codes.some((c) => c.startsWith(digit));

/** How documentRoutes marks a route whose body may be left out, for optionalBodies to find. */
const OPTIONAL_BODY = "x-optional-body";

/** The name of the Bearer token scheme in the document's components. */
export const BEARER_SCHEME = "bearerAuth";

const WHO: Record<Access, string> = {
  anyone: "Open to anyone.",
  customer: "Takes a customer's (or an admin's) access token.",
  service: "Takes booking-svc's service token.",
  admin: "Takes an admin's access token.",
};

/**
 * Completes what the route schemas leave implicit for readers of the document: every route can
 * answer 5xx through the error handler and every route with input 4xx through validation; each
 * answer gets a sentence and, where the book has one, a real example. The routes' own schemas
 * (validation and serialization) stay as they are: only copies are changed. With `secured`, a
 * guarded route names the Bearer scheme, the role it takes and its 401 and 403.
 */
export function documentRoutes(book: ExampleBook, secured: boolean): SwaggerTransform {
  return ({ schema, url, route }) => {
    if (!schema || (schema as { hide?: boolean }).hide) return { schema, url };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const examples = book[`${methods[0]} ${url}`] ?? {};
    const response: Schemas = { ...((schema.response ?? {}) as Schemas) };
    const access = (route.config as { access?: Access } | undefined)?.access ?? "admin";
    const guarded = secured && access !== "anyone";
    // Read before 401 and 403 join: they do not stand in for the refusals of bad input.
    const codes = Object.keys(response);
    if (guarded) {
      response["401"] = ErrorBody;
      response["403"] = ErrorBody;
    }
    if (hasInput(schema) && !anyOf(codes, "4")) response["4xx"] = ErrorBody;
    if (!anyOf(codes, "5")) response["5xx"] = ErrorBody;
    for (const [code, body] of Object.entries(response)) {
      const example = examples.responses?.[code];
      response[code] = {
        ...body,
        "x-response-description": DESCRIPTIONS[code.toLowerCase()] ?? DESCRIPTIONS[`${code[0]}xx`] ?? "Answer",
        ...(example === undefined ? {} : { examples: [example] }),
      };
    }
    const doc: FastifySchema = { ...schema, response, tags: [tagOf(url)] };
    if (route.config?.optionalBody) (doc as Record<string, unknown>)[OPTIONAL_BODY] = true;
    if (secured) {
      const said = (schema as { description?: string }).description;
      (doc as { description?: string }).description = said ? `${said}\n\n${WHO[access]}` : WHO[access];
      if (guarded) (doc as { security?: unknown }).security = [{ [BEARER_SCHEME]: [] }];
    }
    if (examples.body !== undefined && schema.body)
      doc.body = { ...(schema.body as object), examples: [examples.body] };
    return { schema: doc, url };
  };
}

/**
 * @fastify/swagger marks every request body required, as Fastify wants one wherever a route has a
 * body schema; a route with `config.optionalBody` (lib/strict-input.ts) takes none as well.
 */
export function optionalBodies<T extends { paths?: object }>({ openapiObject }: { openapiObject: T }): T {
  for (const operations of Object.values(openapiObject.paths ?? {}) as Record<string, Record<string, unknown>>[]) {
    for (const op of Object.values(operations)) {
      if (!(OPTIONAL_BODY in op)) continue;
      delete op[OPTIONAL_BODY];
      (op.requestBody as { required: boolean }).required = false;
    }
  }
  return openapiObject;
}
