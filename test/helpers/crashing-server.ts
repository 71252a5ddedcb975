import Fastify from "fastify";
import { fastifyOptions } from "../../lib/fastify-options.js";
import { listenWithGracefulShutdown } from "../../lib/server.js";
import { loadServerConfig } from "../../lib/server-config.js";

// A server with the services' shutdown and crash policy and two routes: GET /slow answers after
// 500 ms; POST /crash/exception and /crash/rejection make the process fail where no handler
// catches it (a throw in a timer, a rejected promise nobody awaits). test/lib/server.test.ts runs it.
const app = Fastify(fastifyOptions("crash-test", loadServerConfig()));
app.get("/slow", async () => {
  await new Promise((r) => setTimeout(r, 500));
  return { ok: true };
});
app.post("/crash/exception", async () => {
  setImmediate(() => {
    throw new Error("thrown where nobody catches it");
  });
  return { crashing: true };
});
app.post("/crash/rejection", async () => {
  void Promise.reject(new Error("rejected where nobody awaits it"));
  return { crashing: true };
});
await listenWithGracefulShutdown(app, { host: "127.0.0.1", port: 0, timeoutMs: 5_000 });
