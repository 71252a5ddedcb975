import t from "tap";
import { VerifyResult } from "../../booking-svc/check-in/schemas.js";
import { SubscriptionList } from "../../user-svc/updates/schemas.js";
import { startAuth } from "../helpers/auth.js";
import { bookFor, departingIn } from "../helpers/check-in.js";
import { callTool, connect, mcpEnv, startMcpHttp, userSvcBeside } from "../helpers/mcp.js";
import { call, startSystem } from "../helpers/system.js";

// list_subscriptions, unsubscribe_flight and verify_boarding_pass through the SDK's client (whose
// output check holds every answer to the tool's schema), against the real services: each answers
// what the REST route answers, another user's subscription included.

const plain = (schema: object) => JSON.parse(JSON.stringify(schema));

t.test("list and drop subscriptions: the caller's own, as the REST API keeps them", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }, { total: 10 }, { total: 10 }], { auth });
  const [f, g, h] = sys.flightIds as [number, number, number];
  const ada = await auth.customer("ada");
  const bob = await auth.customer("bob");
  const users = await userSvcBeside(t, sys, auth);
  const client = await connect(t, {
    transport: "http",
    http: await startMcpHttp(t, { ...mcpEnv(sys, auth), USER_SERVICE_URL: users.url }),
    token: ada.token,
  });

  const listed = new Map((await client.listTools()).tools.map((tool) => [tool.name, tool]));
  t.same(listed.get("list_subscriptions")?.outputSchema, plain(SubscriptionList), "the route's answer");
  t.match(listed.get("list_subscriptions")?.annotations, { readOnlyHint: true });
  t.same(listed.get("unsubscribe_flight")?.inputSchema.required, ["flight_id"]);

  t.match(await callTool(client, "list_subscriptions"), { isError: false, body: { subscriptions: [] } });
  for (const flight of [f, g]) {
    t.match(await callTool(client, "subscribe_flight", { flight_id: flight }), { isError: false });
  }
  const bobs = await call(users.url, "POST", "/api/subscriptions", { flight_id: h }, bob.headers);
  t.equal(bobs.status, 201, "bob subscribes to a flight ada does not");

  const mine = await callTool(client, "list_subscriptions");
  t.match(mine, {
    isError: false,
    body: {
      subscriptions: [
        { flight_id: f, source: "user", created_at: /Z$/ },
        { flight_id: g, source: "user" },
      ],
    },
  });
  t.equal(mine.body.subscriptions.length, 2, "bob's is not listed");
  t.same(mine.body, (await call(users.url, "GET", "/api/subscriptions", undefined, ada.headers)).body, "as REST");

  t.same(await callTool(client, "unsubscribe_flight", { flight_id: f }), {
    isError: false,
    body: { flight_id: f, subscribed: false },
  });
  t.match(await callTool(client, "list_subscriptions"), { body: { subscriptions: [{ flight_id: g }] } });
  t.equal((await callTool(client, "list_subscriptions")).body.subscriptions.length, 1);

  const notFound = (flight: number) => ({
    isError: true,
    body: { error: "not_found", message: `No subscription to flight ${flight}.`, flight_id: flight },
  });
  t.same(await callTool(client, "unsubscribe_flight", { flight_id: f }), notFound(f), "dropped twice");
  const rest = await call(users.url, "DELETE", `/api/subscriptions/${h}`, undefined, ada.headers);
  t.same(await callTool(client, "unsubscribe_flight", { flight_id: h }), notFound(h), "bob's flight");
  t.same([rest.status, rest.body], [404, notFound(h).body], "as the REST route answers ada");
  t.match(await call(users.url, "GET", "/api/subscriptions", undefined, bob.headers), {
    body: { subscriptions: [{ flight_id: h, source: "user" }] },
  });
  t.equal(
    (await call(users.url, "GET", "/api/subscriptions", undefined, bob.headers)).body.subscriptions.length,
    1,
    "bob's subscription stays",
  );
  t.same(await callTool(client, "unsubscribe_flight", { flight_id: 999_999 }), notFound(999_999), "no such flight");
});

t.test("verify a boarding pass: valid, forged, garbled and superseded as the REST route says", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const client = await connect(t, {
    transport: "http",
    http: await startMcpHttp(t, mcpEnv(sys, auth)),
    token: ada.token,
  });

  const listed = new Map((await client.listTools()).tools.map((tool) => [tool.name, tool]));
  t.same(listed.get("verify_boarding_pass")?.outputSchema, plain(VerifyResult), "the route's answer");
  t.match(listed.get("verify_boarding_pass")?.annotations, { readOnlyHint: true });

  const id = await bookFor(sys, ada, [f]);
  const checked = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  const [pass] = checked.body.boarding_passes;
  const verify = (barcode: string) => callTool(client, "verify_boarding_pass", { barcode });
  const rest = async (barcode: string) =>
    (await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode })).body;

  const valid = await verify(pass.barcode);
  t.same(valid, { isError: false, body: { valid: true, boarding_pass: pass } });
  t.same(valid.body, await rest(pass.barcode), "as REST");

  // The signature's first character changed: a barcode of the right shape that this key never signed.
  const [head, payload, signature] = pass.barcode.split(".");
  const forgedSignature = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
  const forged = `${head}.${payload}.${forgedSignature}`;
  t.same(await verify(forged), { isError: false, body: { valid: false, reason: "bad_signature" } });
  t.same(await verify("not a barcode"), { isError: false, body: { valid: false, reason: "malformed" } });
  t.same((await verify("not a barcode")).body, await rest("not a barcode"), "as REST");

  t.equal((await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers)).status, 200);
  t.same(await verify(pass.barcode), { isError: false, body: { valid: false, reason: "not_current" } });
});
