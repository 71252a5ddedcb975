import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError, excerpt, validationError } from "./errors.js";
import { repeatedName } from "./json-names.js";

// Request bodies are JSON in UTF-8, not content-encoded, and nothing else: another charset would
// be read as UTF-8 and change the text, text/plain would reach the schema as a string. Strings
// anywhere in the body (names included) may hold neither NUL, which PostgreSQL cannot store in
// text or jsonb, nor a lone UTF-16 surrogate (JSON's "\ud800"), which has no UTF-8 form and would
// be stored altered.

const UTF8 = new Set(["utf-8", "utf8"]);
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
// With the u flag a surrogate range matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const unstorable = (s: string): boolean => s.includes("\0") || LONE_SURROGATE.test(s);

function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? "");
  return m ? (m[1] as string).toLowerCase() : null;
}

/** The path of the first string (value or name) that cannot be stored, as the error handler names fields. */
function unstorableText(value: unknown, path = ""): string | null {
  if (typeof value === "string") return unstorable(value) ? path || "body" : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = unstorableText(v, `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (unstorable(k)) return path || "body";
      const bad = unstorableText(v, path ? `${path}.${k}` : k);
      if (bad !== null) return bad;
    }
  }
  return null;
}

function mayGoWithout(request: FastifyRequest): boolean {
  const { config, schema } = request.routeOptions;
  return config.optionalBody === true || schema?.body === undefined;
}

export function installJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, raw, done) => {
    const charset = charsetOf(request.headers["content-type"]);
    if (charset !== null && !UTF8.has(charset)) {
      done(new AppError("unsupported_media_type", `The request body must be JSON in UTF-8, not ${excerpt(charset)}.`));
      return;
    }
    // Nothing here decompresses: a gzip body failed as "not valid UTF-8", and plain JSON labelled
    // br was read as if the label were not there (RFC 9110 15.5.16: 415 for a content coding).
    const coding = request.headers["content-encoding"];
    if (coding !== undefined && coding.trim().toLowerCase() !== "identity") {
      done(new AppError("unsupported_media_type", `The request body must not be encoded (${excerpt(coding)}).`));
      return;
    }
    // An empty body that was chunked (no Content-Length to see it by before parsing) is no
    // body, where a route takes none or may go without (lib/strict-input.ts).
    if ((raw as Buffer).length === 0 && mayGoWithout(request)) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = strictUtf8.decode(raw as Buffer);
    } catch {
      done(validationError("body", "body is not valid UTF-8"));
      return;
    }
    parseJson(request, text, (err, body) => {
      if (err) return done(err);
      const twice = repeatedName(text);
      if (twice !== null) {
        const field = excerpt(twice);
        return done(validationError(field, `${field} must be given once`));
      }
      const bad = unstorableText(body);
      if (bad !== null) {
        const field = excerpt(bad);
        return done(validationError(field, `${field} must not contain NUL characters or invalid Unicode`));
      }
      done(null, body);
    });
  });
}
