// Passenger names and emails must never reach a log line, wherever they appear in an object, nor
// a secret a URL carries. pino's own `redact` did this with wildcard paths (`*.name`, `*.*.name`
// …), which it tries on every key of every line: about 9 of a refusal line's 13 µs, on the path
// every refused booking takes twice (booking-svc's line and flight-svc's). One walk of the line
// does the same at any depth for about 1 µs (docs/benchmarks.md, 2026-12-06).

const CENSOR = "[redacted]";

/** Keys whose values are a person's: replaced wherever they appear. */
const PERSONAL = new Set(["passengers", "name", "email"]);
/** Keys holding a URL (@fastify/websocket names a refused upgrade's URL `path`): secrets cut out. */
const URLS = new Set(["url", "path"]);
// A line's objects are shallow: deeper than this is not a log field but data logged by mistake,
// and censored whole rather than walked.
const MAX_DEPTH = 8;

// A browser sends its access token for /api/updates as `?access_token=` (it cannot set a header
// there); the API's other secrets are as secret should a client put one in a URL by mistake.
const SECRET_PARAMS = new Set(["access_token", "refresh_token", "client_secret", "password"]);

// Compared as the query parser will read it: `access%5Ftoken` is access_token too.
function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " ")).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** `url` as a log line may show it: each secret query parameter's value replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const pairs = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMS.has(paramName(name)) ? `${name}=${CENSOR}` : pair;
    });
  return `${url.slice(0, q + 1)}${pairs.join("&")}`;
}

/**
 * pino's `redact`, for what `redactObject` never sees: a child logger's bindings (pino gives no
 * hook for them but its redaction), which are flat (`component`, `reqId`). Exact top-level paths
 * only: pino tries a wildcard path on every key of every line.
 */
export const BINDINGS_REDACTION = {
  paths: [...PERSONAL, ...URLS],
  censor: (value: unknown, path: string[]): unknown => {
    const key = path.at(-1) ?? "";
    if (URLS.has(key)) return typeof value === "string" ? redactUrl(value) : value;
    return CENSOR;
  },
};

/** What a field's value becomes in a line; `parent` is the key of the object holding it. */
function redactedValue(key: string, value: unknown, parent: string | null, depth: number): unknown {
  if (PERSONAL.has(key)) return CENSOR;
  // A request's body, and a postgres.js error's statement parameters (a booking insert holds passengers).
  if ((key === "body" && parent === "req") || (key === "parameters" && parent === "err")) return CENSOR;
  if (URLS.has(key) && typeof value === "string") return redactUrl(value);
  if (!walked(value)) return value;
  if (depth >= MAX_DEPTH) return CENSOR;
  return redactObject(value, key, depth + 1);
}

/**
 * The objects a line's fields are made of: plain objects, arrays and errors. Anything else (a
 * Fastify request or reply, a socket) is left to pino's serializers, which make it plain; its
 * graph is large and holds no passenger.
 */
function walked(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value) || value instanceof Error) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `obj` as a log line may show it. The caller's objects are never changed: an object is copied
 * (keeping its prototype, so an Error stays one for pino's serializer) only when a field in it,
 * or below it, changes; a line with nothing to hide is returned as it came.
 */
export function redactObject<T>(obj: T, parent: string | null = null, depth = 0): T {
  if (!walked(obj)) return obj;
  if (Array.isArray(obj)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < obj.length; i++) {
      const v = obj[i];
      const r = walked(v) ? redactValueIn(v, parent, depth) : v;
      if (r !== v) {
        out ??= obj.slice();
        out[i] = r;
      }
    }
    return (out ?? obj) as T;
  }
  let out: Record<string, unknown> | null = null;
  const src = obj as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    const v = src[key];
    const r = redactedValue(key, v, parent, depth);
    if (r !== v) {
      out ??= copyOf(src);
      Object.defineProperty(out, key, { value: r, enumerable: true, writable: true, configurable: true });
    }
  }
  return (out ?? obj) as T;
}

// An array's items are under the array's own key: `passengers: [{name}]` and `x: [{name}]` alike.
function redactValueIn(v: object, parent: string | null, depth: number): unknown {
  return depth >= MAX_DEPTH ? CENSOR : redactObject(v, parent, depth + 1);
}

// An error's copy keeps its message and stack (own, not enumerable) and its prototype; every
// property stays redefinable, so a frozen object's copy can still be censored. The stack is
// copied as a value: on Node 24 it is an accessor that reads the trace kept on the error it was
// made for, and answers undefined on any other object.
function copyOf(src: Record<string, unknown>): Record<string, unknown> {
  const proto = Object.getPrototypeOf(src);
  if (proto === Object.prototype) return { ...src };
  const props = Object.getOwnPropertyDescriptors(src);
  for (const d of Object.values(props)) d.configurable = true;
  if (props.stack) props.stack = { value: src.stack, writable: true, configurable: true, enumerable: false };
  return Object.create(proto, props);
}
