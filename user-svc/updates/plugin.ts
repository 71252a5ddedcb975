import websocket from "@fastify/websocket";
import fp from "fastify-plugin";
import { Gauge } from "prom-client";
import { UPDATES_PROTOCOL } from "./caller.js";
import { refuseHandshake } from "./handshake.js";
import { UpdatesHub } from "./hub.js";
import { SubscriptionsRepo } from "./subscriptions-repo.js";

declare module "fastify" {
  interface FastifyInstance {
    updatesHub: UpdatesHub;
    subscriptions: SubscriptionsRepo;
  }
}

// A client only sends subscribe and unsubscribe: a few dozen bytes.
const MAX_CLIENT_MESSAGE = 4_096;

/** Flight subscriptions and the push of flight updates and booking notices (WebSocket and SSE). */
export const updatesPlugin = fp<{ eventsRetentionHours: number }>(
  async (app, opts) => {
    await app.register(websocket, {
      options: {
        maxPayload: MAX_CLIENT_MESSAGE,
        // A browser offers its token as a subprotocol: the answer names ours, never the token.
        handleProtocols: (offered) => (offered.has(UPDATES_PROTOCOL) ? UPDATES_PROTOCOL : false),
      },
    });
    app.websocketServer.on("wsClientError", refuseHandshake);
    const repo = new SubscriptionsRepo(app.sql, opts.eventsRetentionHours * 3_600_000);
    const hub = new UpdatesHub(app.redis, repo, app.log.child({ component: "updates" }));
    app.decorate("subscriptions", repo);
    app.decorate("updatesHub", hub);
    // A stream is counted in http_requests_total only once it ends: this is how many are open now.
    new Gauge({
      name: "skybook_updates_connections",
      help: "Open /api/updates connections of this service, by transport (sse, websocket).",
      labelNames: ["transport"],
      aggregator: "sum",
      registers: [app.metrics],
      collect() {
        for (const [transport, n] of Object.entries(hub.connectionsByKind())) this.set({ transport }, n);
      },
    });
    app.addHook("onReady", async () => hub.start());
    app.addHook("preClose", async () => hub.stop());
  },
  { name: "updates", dependencies: ["redis", "postgres", "metrics"] },
);
