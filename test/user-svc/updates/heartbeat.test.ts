import t from "tap";
import { openSse, openWs, tokenFor } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

// Idle connections hear from the server every UPDATES_HEARTBEAT_MS, so that proxies keep them;
// a WebSocket whose client stopped answering pings (gone without a close) is closed.
const HEARTBEAT_MS = 200;

t.test("a WebSocket is pinged; one that answers stays, one that does not is closed", async (t) => {
  const { app, config, url } = await build(t, { listen: true, env: { UPDATES_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
  const token = await tokenFor(app, config, 1);
  const live = await openWs(url, { token });
  t.teardown(() => live.close());
  let pings = 0;
  live.socket.on("ping", () => pings++);
  const silent = await openWs(url, { token, autoPong: false });
  t.teardown(() => silent.close());
  silent.socket.once("close", (code) => silent.inbox.push({ type: "closed", code }));

  await silent.inbox.until((i) => i.of("closed").length > 0, HEARTBEAT_MS * 20);
  t.same(silent.inbox.of("closed"), [{ type: "closed", code: 1006 }], "ended without a close handshake");
  await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 3));
  t.ok(pings >= 3, `the answering client was pinged (${pings} pings)`);
  t.equal(live.socket.readyState, live.socket.OPEN, "and is still connected");
  live.send({ type: "unsubscribe", flight_id: 10 });
  await live.inbox.until((i) => i.messages.length === 1);
  t.match(live.inbox.messages, [{ type: "error", error: "not_found", flight_id: 10 }], "and answered");
});

t.test("an idle SSE stream gets a comment every UPDATES_HEARTBEAT_MS", async (t) => {
  const { app, config, url } = await build(t, { listen: true, env: { UPDATES_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
  const sse = await openSse(url, { authorization: `Bearer ${await tokenFor(app, config, 1)}` });
  t.teardown(() => sse.close());
  await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 3.5));
  t.ok(sse.comments.filter((c) => c === ": keep-alive").length >= 2, `heard ${JSON.stringify(sse.comments)}`);
});
