import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { isCalendarDate, isText } from "../../lib/input-schemas.js";
import { toCents } from "../../lib/money.js";

// Bad requests generated from a route's schemas. Each case takes a request the route accepts,
// breaks exactly one thing that the schema or the shared input rules forbid, and says what the
// answer must be: the status, the catalogue code and, where the input has one, the field.

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
}

export interface RouteInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  schema: { params?: Schema; query?: Schema; body?: Schema; headers?: Schema };
  /** A request the route accepts: every bad case changes one thing in it. */
  valid: RouteInput;
  /** Its body may be left out (config.optionalBody): an empty one is no bad input there. */
  optionalBody?: boolean;
}

export interface Expect {
  status: number;
  error: string;
  field?: string;
}

export interface BadRequest {
  what: string;
  params: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: { contentType: string; data: Buffer | string; contentEncoding?: string };
  expect: Expect;
}

const JSON_TYPE = "application/json";
const invalid = (field: string): Expect => ({ status: 400, error: "validation_error", field });
const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** Whether the schema takes this string as it stands (for strings in JSON or a URL, as a string). */
function acceptsString(s: Schema, v: string): boolean {
  if (v.includes("\0") || /[\uD800-\uDFFF]/u.test(v)) return false;
  if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(v)) return false;
  if (s.enum !== undefined && !s.enum.includes(v)) return false;
  if (v.length > (s.maxLength ?? Number.POSITIVE_INFINITY) || v.length < (s.minLength ?? 0)) return false;
  if (s.format === "text" && !isText(v)) return false;
  return s.format !== "calendar-date" || isCalendarDate(v);
}

function acceptsNumber(s: Schema, n: number): boolean {
  if (!Number.isFinite(n) || (typesOf(s).includes("integer") && !Number.isInteger(n))) return false;
  if (s.minimum !== undefined && n < s.minimum) return false;
  if (s.maximum !== undefined && n > s.maximum) return false;
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) return false;
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) return false;
  return s.format !== "money" || toCents(n) !== null;
}

/** Whether a query or path parameter's text is accepted (integers: decimal digits only). */
function acceptsText(s: Schema, v: string): boolean {
  if (typesOf(s).includes("integer")) return /^(0|[1-9][0-9]*)$/.test(v) && acceptsNumber(s, Number(v));
  return acceptsString(s, v);
}

// --- JSON bodies --------------------------------------------------------------------------

/** A bad value for one spot of a body; `raw` is a JSON token written as is where RAW stands. */
interface BadValue {
  what: string;
  value: unknown;
  raw?: string;
  field: string;
}
const RAW = "\u0001raw\u0001";

const SAMPLES: unknown[] = [7, 1.5, "7", "", true, false, null, [], [7], {}, { a: 7 }];

function wrongTypes(s: Schema): unknown[] {
  const t = typesOf(s);
  return SAMPLES.filter((v) => {
    if (v === null) return !t.includes("null");
    if (Array.isArray(v)) return !t.includes("array");
    if (typeof v === "object") return !t.includes("object");
    if (typeof v === "number") return !(t.includes("number") || (t.includes("integer") && Number.isInteger(v)));
    return !t.includes(typeof v);
  });
}

function numberCases(s: Schema, field: string): fc.Arbitrary<BadValue>[] {
  const bad = (what: string, value: number): BadValue => ({ what: `${what}: ${value}`, value, field });
  const raw = (token: string): BadValue => ({ what: `${token} as written`, value: RAW, raw: token, field });
  const out: fc.Arbitrary<BadValue>[] = [
    fc
      .double({ min: -1e7, max: 1e7, noNaN: true })
      .filter((n) => !acceptsNumber(s, n))
      .map((n) => bad("out", n)),
    fc
      .constantFrom("1e400", "-1e400", "9007199254740993", "-0")
      .filter((tok) => !acceptsNumber(s, Number(tok)))
      .map(raw),
  ];
  if (s.minimum !== undefined || s.exclusiveMinimum !== undefined) {
    const low = s.exclusiveMinimum ?? (s.minimum as number) - 1;
    out.push(
      fc
        .integer({ min: Math.floor(low) - 1_000, max: Math.floor(low) })
        .filter((n) => !acceptsNumber(s, n))
        .map((n) => bad("below", n)),
    );
  }
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) {
    out.push(
      fc.integer({ min: Math.ceil(s.maximum) + 1, max: Math.ceil(s.maximum) + 1_000 }).map((n) => bad("above", n)),
    );
  }
  if (s.format === "money") {
    out.push(
      fc
        .integer({ min: 1, max: 99_999 })
        .map((n) => n / 1000)
        .filter((n) => !acceptsNumber(s, n))
        .map((n) => bad("decimals", n)),
    );
  }
  return out;
}

const BAD_DATES = [
  "2024-02-30",
  "2023-02-29",
  "2024-13-01",
  "1999-12-31",
  "2100-01-01",
  "0000-01-01",
  "2024-2-1",
  "20240215",
];

const NOT_TEXT = ["", " ", "\t", "\u00a0\u3000", "a\nb", "a\rb", "a\u001b[31mb", "a\u007fb", "a\u0085b"];

function stringCases(s: Schema, field: string): fc.Arbitrary<BadValue>[] {
  const bad =
    (what: string) =>
    (value: string): BadValue => ({ what: `${what}: ${JSON.stringify(value)}`, value, field });
  const out: fc.Arbitrary<BadValue>[] = [
    fc.constantFrom("a\u0000b", "\u0000", "x\ud800", "\udc00y", "\ud83d").map(bad("NUL or a lone surrogate")),
  ];
  // Only a pattern, an enum or a format makes ordinary text wrong; filtering for it otherwise never ends.
  if (s.pattern !== undefined || s.enum !== undefined || s.format !== undefined) {
    out.push(
      fc
        .string({ maxLength: 16 })
        .filter((v) => !acceptsString(s, v))
        .map(bad("other text")),
    );
  }
  if (s.maxLength !== undefined) out.push(fc.constant("a".repeat(s.maxLength + 1)).map(bad("too long")));
  if (s.format === "calendar-date") out.push(fc.constantFrom(...BAD_DATES).map(bad("date")));
  if (s.format === "text") out.push(fc.constantFrom(...NOT_TEXT).map(bad("blank or control")));
  return out;
}

function arrayCases(s: Schema, valid: unknown[], field: string): fc.Arbitrary<BadValue>[] {
  const out: fc.Arbitrary<BadValue>[] = [];
  if ((s.minItems ?? 0) > 0) out.push(fc.constant({ what: "no items", value: [], field }));
  if (s.maxItems !== undefined) {
    const many = Array.from({ length: s.maxItems + 1 }, (_, i) => (typeof valid[0] === "number" ? i + 1 : valid[0]));
    out.push(fc.constant({ what: "too many items", value: many, field }));
  }
  if (s.uniqueItems && valid.length > 0 && (s.maxItems ?? 2) >= 2) {
    out.push(fc.constant({ what: "a repeated item", value: [valid[0], valid[0]], field }));
  }
  if (s.items && valid.length > 0) {
    out.push(valueCases(s.items, valid[0], `${field}[0]`).map((b) => ({ ...b, value: [b.value, ...valid.slice(1)] })));
  }
  return out;
}

function objectCases(s: Schema, valid: Record<string, unknown>, prefix: string): fc.Arbitrary<BadValue>[] {
  const props = s.properties ?? {};
  const known = Object.keys(props);
  const out: fc.Arbitrary<BadValue>[] = [
    fc
      .stringMatching(/^[a-z_]{1,12}$/)
      .filter((k) => !known.includes(k))
      // A "__proto__" key is refused with the whole body (prototype poisoning), not as a field.
      .map((k) => ({
        what: `unknown field ${k}`,
        value: { ...valid, [k]: 1 },
        field: k === "__proto__" ? "body" : join(prefix, k),
      })),
  ];
  // A missing field with a default, or an optional one, is no error.
  const required = (s.required ?? []).filter((k) => props[k]?.default === undefined && k in valid);
  if (required.length > 0) {
    out.push(
      fc.constantFrom(...required).map((k) => {
        const { [k]: _, ...rest } = valid;
        return { what: `${k} missing`, value: rest, field: join(prefix, k) };
      }),
    );
  }
  for (const k of known.filter((key) => key in valid)) {
    const one = valueCases(props[k] as Schema, valid[k], join(prefix, k));
    out.push(one.map((b) => ({ ...b, value: { ...valid, [k]: b.value } })));
  }
  return out;
}

function valueCases(s: Schema, valid: unknown, field: string): fc.Arbitrary<BadValue> {
  const types = typesOf(s);
  const cases: fc.Arbitrary<BadValue>[] = [];
  const wrong = wrongTypes(s);
  if (wrong.length > 0)
    cases.push(fc.constantFrom(...wrong).map((v) => ({ what: `type ${JSON.stringify(v)}`, value: v, field })));
  if (types.includes("integer") || types.includes("number")) cases.push(...numberCases(s, field));
  if (types.includes("string")) cases.push(...stringCases(s, field));
  if (types.includes("array") && Array.isArray(valid)) cases.push(...arrayCases(s, valid, field));
  if (types.includes("object") && typeof valid === "object" && valid !== null && !Array.isArray(valid)) {
    cases.push(...objectCases(s, valid as Record<string, unknown>, field));
  }
  return fc.oneof(...cases);
}

const jsonText = (b: BadValue): string =>
  b.raw === undefined ? JSON.stringify(b.value) : JSON.stringify(b.value).replace(JSON.stringify(RAW), b.raw);

type Weighted = { arbitrary: fc.Arbitrary<Case>; weight: number };
const w =
  (weight: number) =>
  (arbitrary: fc.Arbitrary<Case>): Weighted => ({ arbitrary, weight });

function bodyCases(s: Schema, valid: Record<string, unknown>, optional: boolean): Weighted[] {
  const good = JSON.stringify(valid);
  const sent = (what: string, data: Buffer | string, expect: Expect, contentType = JSON_TYPE): Case => ({
    what,
    body: { contentType, data },
    expect,
  });
  const notUtf8 = Buffer.concat([
    Buffer.from(`${good.slice(0, -1)},"x":"`),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}'),
  ]);
  // Mostly one field broken; now and then the body as a whole.
  return [
    w(12)(
      fc.oneof(...objectCases(s, valid, "")).map((b) => sent(`${b.field}: ${b.what}`, jsonText(b), invalid(b.field))),
    ),
    ...[
      fc.constantFrom("null", "[]", '"text"', "7", "true").map((v) => sent(`a body of ${v}`, v, invalid("body"))),
      fc
        .constantFrom(...(optional ? [] : [""]), "{", '{"a":}', good.slice(0, -1), `${good}x`, "{'a':1}")
        .map((v) => sent(`broken JSON ${JSON.stringify(v)}`, v, invalid("body"))),
      fc.constant(sent("bytes that are not UTF-8", notUtf8, invalid("body"))),
      ...Object.keys(valid)
        .slice(0, 1)
        .map((k) =>
          fc.constant(
            sent(`${k} given twice`, `{${JSON.stringify(k)}:${JSON.stringify(valid[k])},${good.slice(1)}`, invalid(k)),
          ),
        ),
      fc
        .constantFrom(
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/xml",
          `${JSON_TYPE}; charset=utf-16`,
          `${JSON_TYPE}; charset=latin1`,
        )
        .map((type) => sent(`content type ${type}`, good, { status: 415, error: "unsupported_media_type" }, type)),
      fc.constant(sent("70 KB", `{"x":"${"y".repeat(70_000)}"}`, { status: 413, error: "payload_too_large" })),
      fc.constantFrom(gzipSync(good), good).map((data) => ({
        ...sent(`${Buffer.isBuffer(data) ? "a gzip body" : "plain JSON"} labelled gzip`, data, {
          status: 415,
          error: "unsupported_media_type",
        }),
        body: { contentType: JSON_TYPE, data, contentEncoding: "gzip" },
      })),
    ].map(w(1)),
  ];
}

// --- query strings, path parameters, headers -----------------------------------------------

const NOT_DECIMAL = [
  "0x10",
  "+1",
  "1e3",
  " 1",
  "1 ",
  "01",
  "-1",
  "1.0",
  "Infinity",
  "NaN",
  "1_0",
  "١",
  "99999999999999999999999",
];
const ODD = fc.constantFrom(
  " ",
  "!",
  "$",
  "'",
  "(",
  "*",
  ",",
  ";",
  "=",
  "@",
  "~",
  "é",
  "\u0000",
  "+",
  "&",
  "%",
  ".",
  ":",
);

/** Bad text for one parameter: anything the schema (read as URL text) refuses. */
function textCases(s: Schema, valid: string): fc.Arbitrary<string> {
  const around = fc.stringMatching(/^[a-z0-9]{0,6}$/);
  return fc
    .oneof(
      fc.constantFrom(...NOT_DECIMAL, ...BAD_DATES),
      fc.tuple(around, ODD, around).map(([a, c, b]) => a + c + b),
      fc.constant(`${valid}${"a".repeat(256 - valid.length)}`),
      fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
      fc.string({ maxLength: 12 }),
    )
    .filter((v) => v !== "" && !acceptsText(s, v) && !/^\.{1,2}$/.test(v) && !/[/?#\ud800-\udfff]/u.test(v));
}

/** A bad case before it is completed with the rest of the valid request. */
interface Case {
  what: string;
  params?: Record<string, string>;
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: BadRequest["body"];
  expect: Expect;
}

const sendable = (v: string) => /^[\x21-\x7e ]*$/.test(v) && v.trim() === v;

function queryCases(s: Schema, valid: Record<string, string>): Weighted[] {
  const props = s.properties ?? {};
  const pairs = Object.entries(valid);
  const out: Weighted[] = [
    w(1)(
      fc
        .stringMatching(/^[a-z_]{1,12}$/)
        .filter((k) => !(k in props))
        .map((k): Case => ({ what: `unknown query parameter ${k}`, query: [...pairs, [k, "1"]], expect: invalid(k) })),
    ),
  ];
  for (const [name, schema] of Object.entries(props)) {
    const others = pairs.filter(([k]) => k !== name);
    const bad = textCases(schema, valid[name] ?? "1").map(
      (v): Case => ({ what: `${name}=${JSON.stringify(v)}`, query: [...others, [name, v]], expect: invalid(name) }),
    );
    out.push(w(4)(bad));
    if (name in valid) {
      const twice: Case = {
        what: `${name} given twice`,
        query: [...pairs, [name, valid[name] as string]],
        expect: invalid(name),
      };
      out.push(w(1)(fc.constant(twice)));
    }
  }
  return out;
}

function recordCases(part: "params" | "headers", s: Schema, valid: Record<string, string>): Weighted[] {
  return Object.entries(s.properties ?? {}).map(([name, schema]) => {
    const texts = textCases(schema, valid[name] ?? "1");
    const cases = (part === "headers" ? texts.filter(sendable) : texts).map((v) => ({
      what: `${part} ${name}=${JSON.stringify(v)}`,
      [part]: { ...valid, [name]: v },
      expect: invalid(name),
    }));
    return w(part === "params" ? 6 : 2)(cases);
  });
}

/** Every bad request of a route, one broken thing each. */
export function badRequests(route: Route): fc.Arbitrary<BadRequest> {
  const v = route.valid;
  const { schema } = route;
  const cases: Weighted[] = queryCases(schema.query ?? {}, v.query ?? {});
  if (schema.params) cases.push(...recordCases("params", schema.params, v.params ?? {}));
  if (schema.headers) cases.push(...recordCases("headers", schema.headers, v.headers ?? {}));
  if (schema.body && v.body) cases.push(...bodyCases(schema.body, v.body, route.optionalBody === true));
  return fc.oneof(...cases).map((c) => ({
    what: c.what,
    params: c.params ?? v.params ?? {},
    query: c.query ?? Object.entries(v.query ?? {}),
    headers: c.headers ?? v.headers ?? {},
    body: c.body ?? (v.body ? { contentType: JSON_TYPE, data: JSON.stringify(v.body) } : undefined),
    expect: c.expect,
  }));
}
