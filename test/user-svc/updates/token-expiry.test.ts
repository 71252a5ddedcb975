import t from "tap";
import { signAccessToken } from "../../../user-svc/tokens.js";
import { openSse, openWs } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

// A connection that outlived its token kept a stolen or logged-out token's feed of the user's
// flights and bookings open for as long as the socket stayed up.
const TTL_SECONDS = 2;

t.test(
  "a push connection ends when its access token expires, over WebSocket and SSE",
  { timeout: 20_000 },
  async (t) => {
    const { app, config, url } = await build(t, { listen: true });
    const token = await signAccessToken(
      app.signingKey,
      { ...config.user, accessTtlSeconds: TTL_SECONDS },
      1,
      "customer",
    );

    const ws = await openWs(url, { token });
    t.teardown(() => ws.close());
    const closed = new Promise<[number, string]>((resolve) =>
      ws.socket.once("close", (code, reason) => resolve([code, reason.toString()])),
    );
    const sse = await openSse(url, { authorization: `Bearer ${token}` });
    t.teardown(() => sse.close());
    t.equal(sse.status, 200);

    const started = Date.now();
    t.same(await closed, [1008, "access token expired"], "the WebSocket is closed with a reason");
    await sse.ended;
    const took = Date.now() - started;
    t.ok(took < (TTL_SECONDS + 2) * 1000, `both ended within the token's life and a moment (${took} ms)`);
  },
);
