import type { FastifyInstance, preParsingHookHandler, preValidationHookHandler } from "fastify";
import { AppError, validationError } from "./errors.js";
import { installJsonBody } from "./json-body.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route's body may be left out: no body, an empty one (whatever its Content-Type) and
     * `{}` are all the same request, and its body schema checks any body that is sent (unknown
     * fields refused, defaults filled in). A route that sets it names its body schema.
     */
    optionalBody?: boolean;
  }
}

// Query strings and path parameters arrive as text, and Ajv does not coerce (its coercion took
// "0x10", "+1", "1e3" and " 7" for numbers, and true or "1" for numbers in bodies). Here an
// integer field accepts only canonical decimal digits and becomes a number, which the schema
// then checks against its range; a query parameter given twice is refused rather than read as
// an array.

export const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The refusal of an integer given as text that is not canonical decimal digits. */
export const notDecimal = (field: string) => `${field} must be an integer in decimal digits, such as 42`;

interface PropertySchema {
  type?: unknown;
}

interface ObjectSchema {
  properties?: Record<string, PropertySchema>;
}

/** A route takes the query parameters its schema names, and none without a query schema. */
const NO_QUERY = { type: "object", properties: {}, additionalProperties: false } as const;

function propertiesOf(schema: unknown): [string, PropertySchema][] {
  return Object.entries((schema as ObjectSchema | undefined)?.properties ?? {});
}

function convert(values: Record<string, unknown>, fields: [string, PropertySchema][]): void {
  for (const [field, schema] of fields) {
    const v = values[field];
    if (v === undefined) continue;
    if (Array.isArray(v)) throw validationError(field, `${field} must be given once`);
    if (schema.type !== "integer" || typeof v !== "string") continue;
    if (!DECIMAL.test(v)) throw validationError(field, notDecimal(field));
    values[field] = Number(v);
  }
}

// Callback hooks, not async ones: a promise per hook per request was measurable on a cached
// search. A throw is turned into the request's error by Fastify's hook runner all the same.
function converter(params: [string, PropertySchema][], query: [string, PropertySchema][]) {
  const hook: preValidationHookHandler = (request, _reply, done) => {
    convert(request.params as Record<string, unknown>, params);
    convert(request.query as Record<string, unknown>, query);
    done();
  };
  return hook;
}

/** Methods whose requests Fastify never reads a body of. */
const BODYLESS_METHODS = new Set(["GET", "HEAD"]);

// Fastify hands a request that names a Content-Type to a parser even when it carries nothing:
// JSON's answers 400 ("Body cannot be empty") and any other type 415. A route that takes no body,
// or whose body is optional, has nothing to parse, and clients that send `Content-Type:
// application/json` on every request (a `PUT .../cancel` among them), or curl's `-d ''`, must go
// through. The type is dropped only for such a request, so that Fastify sees one without a body.
const emptyBodyIsNoBody: preParsingHookHandler = (request, _reply, payload, done) => {
  const { headers } = request.raw;
  if (headers["transfer-encoding"] === undefined && (headers["content-length"] ?? "0") === "0") {
    delete headers["content-type"];
  }
  done(null, payload);
};

// Validation then sees `{}`: the body schema decides, and its defaults are filled in.
const noBodyIsEmpty: preValidationHookHandler = (request, _reply, done) => {
  if (request.body === undefined) request.body = {};
  done();
};

// A route that takes no body refuses one with fields, as a body schema refuses unknown fields:
// `{"seats":1}` sent to a hold's confirm must not read as done. `{}` names nothing, so clients
// that send it on every request still go through.
const noFields: preValidationHookHandler = (request, _reply, done) => {
  const body: unknown = request.body;
  if (body !== undefined) {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw validationError("body", "body is not allowed");
    }
    const [field] = Object.keys(body);
    if (field !== undefined) throw validationError(field, `${field} is not allowed`);
  }
  done();
};

/**
 * JSON bodies (json-body.ts), an empty body on a route that takes none or whose body is optional
 * (`config.optionalBody`), the text of query strings and path parameters, and the Host header
 * HTTP/1.1 requires, for every route.
 */
export function installStrictInput(app: FastifyInstance): void {
  installJsonBody(app);
  app.addHook("onRequest", (request, _reply, done) => {
    if (request.headers.host === undefined && request.raw.httpVersion === "1.1") {
      throw new AppError("bad_request", "An HTTP/1.1 request must have a Host header.");
    }
    done();
  });
  app.addHook("onRoute", (route) => {
    const schema = route.schema ?? {};
    const qs = schema.querystring as { additionalProperties?: unknown } | undefined;
    if (qs === undefined) route.schema = { ...schema, querystring: NO_QUERY };
    else if (qs.additionalProperties === undefined) {
      route.schema = { ...schema, querystring: { ...qs, additionalProperties: false } };
    }
    const takesBodies = [route.method].flat().some((m) => !BODYLESS_METHODS.has(m));
    const optionalBody = route.config?.optionalBody === true;
    if (optionalBody && schema.body === undefined) throw new Error(`${route.url}: optionalBody needs a body schema`);
    if ((schema.body === undefined || optionalBody) && takesBodies) {
      route.preParsing = [emptyBodyIsNoBody, ...[route.preParsing ?? []].flat()];
    }
    const params = propertiesOf(schema.params);
    const query = propertiesOf(schema.querystring);
    const ours = [
      ...(params.length > 0 || query.length > 0 ? [converter(params, query)] : []),
      ...(optionalBody ? [noBodyIsEmpty] : []),
      ...(schema.body === undefined && takesBodies ? [noFields] : []),
    ];
    if (ours.length === 0) return;
    const own = route.preValidation === undefined ? [] : [route.preValidation].flat();
    route.preValidation = [...ours, ...own];
  });
}
