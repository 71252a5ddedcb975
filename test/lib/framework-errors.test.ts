import { gzipSync } from "node:zlib";
import t, { type Test } from "tap";
import { CATALOGUE } from "../../lib/errors.js";
import { head, rawRequest } from "../helpers/raw-http.js";
import { strictApp, thing } from "../helpers/strict-app.js";

// Errors made before a route runs (router, body parser, HTTP parser) come out in the catalogue
// shape {error, message}, and quote at most a short excerpt of the request.

const LONG = "x".repeat(5_000);

function catalogued(t: Test, reply: { status: number; json: unknown; text: string }, code: keyof typeof CATALOGUE) {
  t.equal(reply.status, CATALOGUE[code].status, code);
  t.ok(reply.text.endsWith("}\n"), `${code}: the body ends with a newline, as every JSON body does`);
  t.match(reply.json, { error: code, message: String }, code);
  t.equal(Object.keys(reply.json as object).join(), "error,message", `${code}: nothing but error and message`);
}

t.test("router: a broken percent-encoding, an over-long path segment, no route, another method", async (t) => {
  const { port } = await strictApp(t);
  const badUrl = await rawRequest(port, head("GET", "/things/%FF"));
  catalogued(t, badUrl, "bad_request");
  t.notMatch(badUrl.text, "%FF");

  const long = await rawRequest(port, head("GET", `/things/${LONG.slice(0, 300)}`));
  catalogued(t, long, "uri_too_long");
  t.notMatch(long.text, "xxxxxxxxxx", "the path is not echoed");

  const none = await rawRequest(port, head("GET", `/nothing/${LONG}`));
  t.equal(none.status, 404);
  t.equal(none.json.error, "not_found");
  t.ok(none.text.length < 200, `a short excerpt of the path (${none.text.length} bytes)`);

  const put = await rawRequest(port, head("PUT", "/things/1"));
  t.equal(put.status, 405);
  t.equal(put.headers.allow, "GET, HEAD, DELETE");
  t.same(put.json, { error: "method_not_allowed", message: "PUT is not allowed here; use GET, HEAD, DELETE." });
  const propfind = await rawRequest(port, head("PROPFIND", "/things"));
  t.equal(propfind.status, 405);
  t.equal(propfind.headers.allow, "POST");
});

t.test("a CONNECT is answered 405 in the catalogue shape, not closed without a word", async (t) => {
  const { port } = await strictApp(t);
  for (const target of ["127.0.0.1:443", "/things/1"]) {
    const connect = await rawRequest(port, head("CONNECT", target));
    catalogued(t, connect, "method_not_allowed");
    t.equal(connect.headers.allow, "", `${target}: no method applies`);
  }
  t.equal((await rawRequest(port, head("GET", "/things/1"))).status, 200, "the service keeps answering");
});

t.test("bodies: too large, not JSON, another charset, not UTF-8, empty, broken", async (t) => {
  const { port } = await strictApp(t);
  const json = (body: Buffer | string, type = "application/json") =>
    rawRequest(
      port,
      head("POST", "/things", { "content-type": type, "content-length": Buffer.byteLength(body) }),
      body,
    );
  const big = JSON.stringify(thing({ name: "y".repeat(70_000) }));
  catalogued(t, await json(big), "payload_too_large");
  catalogued(t, await json("name=kettle", "text/plain"), "unsupported_media_type");
  catalogued(t, await json("name=kettle", "application/x-www-form-urlencoded"), "unsupported_media_type");
  const utf16 = await json(Buffer.from(JSON.stringify(thing()), "utf16le"), "application/json; charset=utf-16");
  t.same(utf16.json, {
    error: "unsupported_media_type",
    message: "The request body must be JSON in UTF-8, not utf-16.",
  });
  t.equal((await json(JSON.stringify(thing()), "application/json; charset=UTF-8")).status, 200);
  const encoded = (body: Buffer | string, coding: string) =>
    rawRequest(
      port,
      head("POST", "/things", {
        "content-type": "application/json",
        "content-encoding": coding,
        "content-length": Buffer.byteLength(body),
      }),
      body,
    );
  // A gzip body was 400 "body is not valid UTF-8"; plain JSON labelled br went through as plain.
  t.same((await encoded(gzipSync(JSON.stringify(thing())), "gzip")).json, {
    error: "unsupported_media_type",
    message: "The request body must not be encoded (gzip).",
  });
  catalogued(t, await encoded(JSON.stringify(thing()), "br"), "unsupported_media_type");
  t.equal((await encoded(JSON.stringify(thing()), "identity")).status, 200, "identity is no encoding");

  const notUtf8 = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  t.same((await json(notUtf8)).json, { error: "validation_error", message: "body is not valid UTF-8", field: "body" });
  const broken: [string, string][] = [
    ["empty", ""],
    ["broken", '{"name":'],
    ["a prototype key", '{"__proto__":{"x":1}}'],
  ];
  for (const [name, body] of broken) {
    const r = await json(body);
    t.equal(r.status, 400, name);
    t.match(r.json, { error: "validation_error", message: String, field: "body" }, name);
  }
});

t.test("HTTP parser: headers too large, malformed requests", async (t) => {
  const { port } = await strictApp(t);
  const huge = await rawRequest(port, head("GET", "/things/1", { "x-filler": LONG.repeat(4) }));
  catalogued(t, huge, "headers_too_large");
  const longUrl = await rawRequest(port, head("GET", `/things/1?${LONG.repeat(4)}`));
  catalogued(t, longUrl, "headers_too_large");
  catalogued(t, await rawRequest(port, "NOT HTTP AT ALL\r\n\r\n"), "bad_request");
  catalogued(t, await rawRequest(port, "GET /things/1 HTTP/1.1\r\nConnection: close\r\n\r\n"), "bad_request");
  const ok = await rawRequest(port, head("GET", "/things/1"));
  t.equal(ok.status, 200, "the service keeps answering");
});
