import t from "tap";
import { MAX_WAITING_COMMANDS } from "../../../user-svc/updates/ws-stream.js";
import { openWs, tokenFor } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

t.test("a connection's commands take effect and are answered in the order sent", async (t) => {
  const { app, config, url } = await build(t, { listen: true, flights: true });
  const ws = await openWs(url, { token: await tokenFor(app, config, 1) });
  t.teardown(() => ws.close());
  const sent: Record<string, unknown>[] = [];
  // Back to back, as a client that changes its mind sends them.
  for (let round = 0; round < 8; round++) {
    sent.push({ type: "subscribe", flight_id: 10 }, { type: "unsubscribe", flight_id: 10 });
  }
  sent.push(
    { type: "subscribe", flight_id: 11 },
    { type: "subscribe", flight_id: 12 },
    { type: "resubscribe", flight_id: 12 },
    { type: "unsubscribe", flight_id: 11 },
  );
  for (const m of sent) ws.send(m);
  await ws.inbox.until((i) => i.messages.length === sent.length);

  const answerOf = (m: Record<string, unknown>) =>
    m.type === "resubscribe"
      ? { type: "error", error: "validation_error", field: "type" }
      : { type: `${m.type}d`, flight_id: m.flight_id };
  t.match(ws.inbox.messages, sent.map(answerOf), "each answer in the place of its command");
  t.same(
    (await app.subscriptions.list(1)).map((s) => s.flight_id),
    [12],
    "the last command for each flight holds",
  );
});

t.test("a connection that floods commands is closed, not queued without end", async (t) => {
  const { app, config, url } = await build(t, { listen: true, flights: true });
  const ws = await openWs(url, { token: await tokenFor(app, config, 1) });
  t.teardown(() => ws.close());
  // The close goes into the inbox, so one wait ends at whichever comes first.
  ws.socket.once("close", (code, reason) => ws.inbox.push({ type: "closed", code, reason: reason.toString() }));
  const flood = MAX_WAITING_COMMANDS * 20;
  for (let i = 0; i < flood; i++) ws.send({ type: "subscribe", flight_id: 10 });
  await ws.inbox.until((i) => i.of("closed").length > 0 || i.messages.length === flood, 60_000);
  t.same(ws.inbox.of("closed"), [{ type: "closed", code: 1008, reason: "too many commands waiting" }]);
  t.ok(ws.inbox.messages.length < flood, `answered ${ws.inbox.messages.length} of ${flood} before closing`);

  const calm = await openWs(url, { token: await tokenFor(app, config, 1) });
  t.teardown(() => calm.close());
  calm.send({ type: "subscribe", flight_id: 10 });
  await calm.inbox.until((i) => i.messages.length === 1);
  t.match(calm.inbox.messages, [{ type: "subscribed", flight_id: 10 }], "another connection of the user is served");
});

t.test("a command with a field it does not take is refused, naming the field, and changes nothing", async (t) => {
  const { app, config, url } = await build(t, { listen: true, flights: true });
  const ws = await openWs(url, { token: await tokenFor(app, config, 1) });
  t.teardown(() => ws.close());
  // As POST /api/subscriptions refuses {"flight_id":10,"x":1}: a misspelt option is not dropped unseen.
  ws.send({ type: "subscribe", flight_id: 10, notify: "email" });
  ws.send({ type: "subscribe", flight_id: 11 });
  ws.send({ type: "unsubscribe", flight_id: 11, all: true });
  await ws.inbox.until((i) => i.messages.length === 3);
  t.same(ws.inbox.messages, [
    { type: "error", error: "validation_error", message: "notify is not allowed", field: "notify" },
    { type: "subscribed", flight_id: 11 },
    { type: "error", error: "validation_error", message: "all is not allowed", field: "all" },
  ]);
  t.same(
    (await app.subscriptions.list(1)).map((s) => s.flight_id),
    [11],
  );
});

t.test("an unsubscribe of a flight the user is not subscribed to is refused as the REST DELETE is", async (t) => {
  const { app, config, url } = await build(t, { listen: true, flights: true });
  const token = await tokenFor(app, config, 1);
  const rest = await app.inject({
    method: "DELETE",
    url: "/api/subscriptions/10",
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(rest.statusCode, 404);
  const ws = await openWs(url, { token });
  t.teardown(() => ws.close());
  ws.send({ type: "unsubscribe", flight_id: 10 });
  ws.send({ type: "subscribe", flight_id: 10 });
  ws.send({ type: "unsubscribe", flight_id: 10 });
  ws.send({ type: "unsubscribe", flight_id: 10 });
  await ws.inbox.until((i) => i.messages.length === 4);
  const refusal = { type: "error", ...rest.json() };
  t.same(refusal, { type: "error", error: "not_found", message: "No subscription to flight 10.", flight_id: 10 });
  t.same(ws.inbox.messages, [
    refusal,
    { type: "subscribed", flight_id: 10 },
    { type: "unsubscribed", flight_id: 10 },
    refusal,
  ]);
});
