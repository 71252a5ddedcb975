import t from "tap";
import { head, rawRequest } from "../helpers/raw-http.js";
import { strictApp, thing } from "../helpers/strict-app.js";

// The input rules every service shares (lib/strict-input.ts, lib/json-body.ts, lib/input-schemas.ts):
// exact JSON types, unknown fields refused, canonical integers in URLs, ids, dates, money, text.

t.test("path and query integers: decimal digits only, then range-checked", async (t) => {
  const { app } = await strictApp(t);
  const ok = await app.inject({ method: "GET", url: "/things/42?limit=7" });
  t.same(ok.json(), { params: { id: 42 }, query: { limit: 7 } });
  t.same((await app.inject({ method: "GET", url: "/things/9007199254740991" })).json(), {
    params: { id: 9007199254740991 },
    query: { limit: 20 },
  });
  for (const id of ["0x10", "+1", "1e3", "%201", "1%20", "01", "-1", "1.0", "Infinity", "NaN", "1_000"]) {
    const res = await app.inject({ method: "GET", url: `/things/${id}` });
    t.equal(res.statusCode, 400, id);
    t.same(res.json(), {
      error: "validation_error",
      message: "id must be an integer in decimal digits, such as 42",
      field: "id",
    });
  }
  for (const [id, message] of [
    ["0", "id must be >= 1"],
    ["9007199254740992", "id must be <= 9007199254740991"],
    ["99999999999999999999999", "id must be <= 9007199254740991"],
  ]) {
    t.same((await app.inject({ method: "GET", url: `/things/${id}` })).json(), {
      error: "validation_error",
      message,
      field: "id",
    });
  }
  for (const q of ["limit=1e309", "limit=", "limit=0x1"]) {
    t.match((await app.inject({ method: "GET", url: `/things/1?${q}` })).json(), { field: "limit" }, q);
  }
  t.same((await app.inject({ method: "GET", url: "/things/1?limit=2&limit=3" })).json(), {
    error: "validation_error",
    message: "limit must be given once",
    field: "limit",
  });
  t.same((await app.inject({ method: "GET", url: "/things/1?verbose=1" })).json(), {
    error: "validation_error",
    message: "verbose is not allowed",
    field: "verbose",
  });
  const noQuery = await app.inject({ method: "DELETE", url: "/things/1?force=true" });
  t.equal(noQuery.statusCode, 400, "a route without query parameters refuses any");
  t.equal(noQuery.json().field, "force");
});

t.test("JSON bodies: exact types, no unknown fields", async (t) => {
  const { app } = await strictApp(t);
  const post = (body: unknown) => app.inject({ method: "POST", url: "/things", payload: body as object });
  t.same((await post(thing())).json(), { body: thing() });
  const cases: [string, unknown, string, string][] = [
    ["a number as a string", thing({ count: "1" }), "count", "count must be integer"],
    ["true as a number", thing({ count: true }), "count", "count must be integer"],
    ["null as a number", thing({ price: null }), "price", "price must be number"],
    ["a one-element array as a number", thing({ count: [1] }), "count", "count must be integer"],
    ["a number as a string field", thing({ name: 1 }), "name", "name must be string"],
    ["a fraction as an integer", thing({ count: 1.5 }), "count", "count must be integer"],
    ["a required field missing", { name: "x", count: 1, price: 1 }, "date", "date is required"],
    ["an unknown field", thing({ colour: "red" }), "colour", "colour is not allowed"],
    ["an array body", [thing()], "body", "body must be object"],
  ];
  for (const [name, body, field, message] of cases) {
    const res = await post(body);
    t.equal(res.statusCode, 400, name);
    t.same(res.json(), { error: "validation_error", message, field }, name);
  }
  const nullBody = await app.inject({
    method: "POST",
    url: "/things",
    headers: { "content-type": "application/json" },
    payload: "null",
  });
  t.same(nullBody.json(), { error: "validation_error", message: "body must be object", field: "body" });
  // JSON.parse kept the last of the two: this was a kettle of count 9.
  const twice = await app.inject({
    method: "POST",
    url: "/things",
    headers: { "content-type": "application/json" },
    payload: `{"count":1,${JSON.stringify(thing({ count: 9 })).slice(1)}`,
  });
  t.equal(twice.statusCode, 400, "a name given twice");
  t.same(twice.json(), { error: "validation_error", message: "count must be given once", field: "count" });
  // Nested, it is named by its path, as a schema's refusal of that field would be.
  const nested = await app.inject({
    method: "POST",
    url: "/things",
    headers: { "content-type": "application/json" },
    payload: '{"parts":[{"name":"a"},{"name":"b","name":"c"}]}',
  });
  t.same(nested.json(), {
    error: "validation_error",
    message: "parts[1].name must be given once",
    field: "parts[1].name",
  });
});

t.test("money: more than 0, at most two decimals, within its maximum", async (t) => {
  const { app } = await strictApp(t);
  const price = async (p: string) =>
    app.inject({
      method: "POST",
      url: "/things",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify(thing()).replace('"price":19.99', `"price":${p}`),
    });
  for (const ok of ["0.01", "99.99", "100", "4.1", "0.07"]) t.equal((await price(ok)).statusCode, 200, ok);
  const refused: [string, string][] = [
    ["0", "price must be > 0"],
    ["-0", "price must be > 0"],
    ["-5", "price must be > 0"],
    ["100.01", "price must be <= 100"],
    ["1.005", "price must have at most two decimals"],
    ["0.001", "price must have at most two decimals"],
    ["1e400", "price must be number"],
  ];
  for (const [bad, message] of refused) {
    t.same((await price(bad)).json(), { error: "validation_error", message, field: "price" }, bad);
  }
});

t.test("dates: real calendar days from 2000-01-01 to 2099-12-31", async (t) => {
  const { app } = await strictApp(t);
  const post = (date: string) => app.inject({ method: "POST", url: "/things", payload: thing({ date }) });
  for (const ok of ["2000-01-01", "2024-02-29", "2099-12-31"]) t.equal((await post(ok)).statusCode, 200, ok);
  for (const bad of ["2024-02-30", "2023-02-29", "1999-12-31", "2100-01-01", "0000-01-01", "2024-2-1", "20240215"]) {
    t.same(
      (await post(bad)).json(),
      {
        error: "validation_error",
        message: "date must be a calendar date (YYYY-MM-DD) from 2000-01-01 to 2099-12-31",
        field: "date",
      },
      bad,
    );
  }
});

t.test("text: no NUL and no lone surrogate anywhere in a body, names included", async (t) => {
  const { app } = await strictApp(t);
  const raw = (payload: string) =>
    app.inject({ method: "POST", url: "/things", headers: { "content-type": "application/json" }, payload });
  const body = JSON.stringify(thing({ tags: ["a", "b"] }));
  const cases: [string, string, string][] = [
    ["NUL in a value", body.replace('"kettle"', '"ket\\u0000tle"'), "name"],
    ["a lone high surrogate", body.replace('"b"', '"\\ud800"'), "tags[1]"],
    ["a lone low surrogate", body.replace('"kettle"', '"\\udc00x"'), "name"],
    ["NUL in a field name", body.replace('"tags"', '"ta\\u0000gs"'), "body"],
  ];
  for (const [name, payload, field] of cases) {
    t.same(
      (await raw(payload)).json(),
      { error: "validation_error", message: `${field} must not contain NUL characters or invalid Unicode`, field },
      name,
    );
  }
  const emoji = await raw(body.replace('"kettle"', '"\\ud83d\\ude80 kettle"'));
  t.equal(emoji.statusCode, 200, "a surrogate pair is a character like any other");
  t.equal(emoji.json().body.name, "🚀 kettle");
});

t.test("an optional body: none, an empty one and {} are the same; a body sent is checked as any", async (t) => {
  const { app, port } = await strictApp(t);
  const defaults = { status: 200, body: { params: { id: 7 }, body: { urgent: false } } };
  const inject = async (payload?: string, type?: string) => {
    const res = await app.inject({
      method: "POST",
      url: "/things/7/notes",
      ...(payload === undefined ? {} : { payload }),
      ...(type === undefined ? {} : { headers: { "content-type": type } }),
    });
    return { status: res.statusCode, body: res.json() };
  };
  t.same(await inject(), defaults, "no body at all");
  t.same(await inject("{}", "application/json"), defaults, "{}");
  for (const type of ["application/json", "application/json; charset=utf-8", "text/plain"]) {
    const reply = await rawRequest(
      port,
      head("POST", "/things/7/notes", { "content-type": type, "content-length": 0 }),
    );
    t.same({ status: reply.status, body: reply.json }, defaults, `an empty body, ${type}`);
  }
  t.same(await inject('{"note":"call back"}', "application/json"), {
    status: 200,
    body: { params: { id: 7 }, body: { note: "call back", urgent: false } },
  });
  const refusals: [string, string, string][] = [
    ['{"foo":"bar"}', "foo", "foo is not allowed"],
    ['{"note":1}', "note", "note must be string"],
    ["null", "body", "body must be object"],
    ["[]", "body", "body must be object"],
  ];
  for (const [payload, field, message] of refusals) {
    t.same(
      await inject(payload, "application/json"),
      { status: 400, body: { error: "validation_error", message, field } },
      payload,
    );
  }
});

t.test("an empty body on a route that takes none is no body, whatever its Content-Type", async (t) => {
  const { port } = await strictApp(t);
  // Over a bare socket, so that the headers are exactly these: Content-Length 0 and a type.
  const send = async (method: string, path: string, type: string) => {
    const reply = await rawRequest(port, head(method, path, { "content-type": type, "content-length": 0 }));
    return { status: reply.status, body: reply.json };
  };
  const types = [
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "text/plain",
  ];
  for (const type of types) {
    for (const [method, path] of [
      ["PUT", "/things/7/archive"],
      ["DELETE", "/things/7"],
    ] as const) {
      t.same(
        await send(method, path, type),
        { status: 200, body: { params: { id: 7 } } },
        `${method} ${path}, ${type}`,
      );
    }
  }
  // A client that streams its body sends an empty one as a chunked body of no chunks.
  for (const [method, path] of [
    ["PUT", "/things/7/archive"],
    ["DELETE", "/things/7"],
    ["POST", "/things/7/notes"],
  ] as const) {
    const reply = await rawRequest(
      port,
      head(method, path, { "content-type": "application/json", "transfer-encoding": "chunked" }),
      "0\r\n\r\n",
    );
    t.equal(reply.status, 200, `${method} ${path}, chunked and empty: ${reply.text}`);
  }
  const chunkedBody = await rawRequest(
    port,
    head("POST", "/things", { "content-type": "application/json", "transfer-encoding": "chunked" }),
    "0\r\n\r\n",
  );
  t.equal(chunkedBody.status, 400, "a route that takes a body needs one, chunked or not");
  t.same(
    await send("POST", "/things", "application/json"),
    {
      status: 400,
      body: {
        error: "validation_error",
        message: "Body cannot be empty when content-type is set to 'application/json'",
        field: "body",
      },
    },
    "a route that takes a body still needs one",
  );
  t.equal((await send("POST", "/things", "text/plain")).status, 415, "and still refuses a type other than JSON");
});

// Unknown fields are refused on a route that takes no body as on any: a hold's confirm or
// release, payment-mock's reset, answered 200 (or 204) to `{"seats":1}` as if it were empty.
t.test("a route that takes no body refuses one with fields; {} goes through", async (t) => {
  const { app } = await strictApp(t);
  const send = (method: "PUT" | "DELETE", url: string, payload: string) =>
    app.inject({ method, url, headers: { "content-type": "application/json" }, payload });
  for (const [method, url] of [
    ["PUT", "/things/7/archive"],
    ["DELETE", "/things/7"],
  ] as const) {
    const fields = await send(method, url, '{"force":true,"seats":1}');
    t.equal(fields.statusCode, 400, `${method} ${url} with fields`);
    t.same(fields.json(), { error: "validation_error", message: "force is not allowed", field: "force" });
    for (const payload of ["[1]", "null", "7", '"x"']) {
      const other = await send(method, url, payload);
      t.same(
        { status: other.statusCode, body: other.json() },
        { status: 400, body: { error: "validation_error", message: "body is not allowed", field: "body" } },
        `${method} ${url} with ${payload}`,
      );
    }
    const empty = await send(method, url, "{}");
    t.same({ status: empty.statusCode, body: empty.json() }, { status: 200, body: { params: { id: 7 } } }, "{}");
  }
});
