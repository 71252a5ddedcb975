import t from "tap";
import { startChildServers } from "../../bench/lib/child-servers.js";

// `make bench` runs payment-mock with AUTH_MODE=off, whose start-up warning is a log line on
// stdout: the bench must still get the servers' URLs, not read the warning as them.
t.test("a child's URLs reach the bench though its servers log to stdout first", async (t) => {
  const servers = await startChildServers("bench/lib/payment-servers.ts", { AUTH_MODE: "off", LOG_LEVEL: "warn" });
  t.teardown(servers.close);
  const { payment, bare } = servers.urls;
  t.match(payment, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.match(bare, /^http:\/\/127\.0\.0\.1:\d+\//);
  const health = await fetch(`${payment}/health`);
  t.equal(health.status, 200, "payment-mock answers at its URL");
  const charge = await fetch(bare as string, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ booking_id: 1 }),
  });
  t.equal(charge.status, 200, "the bare route answers at its URL");
  t.ok(servers.cpuSeconds() > 0, "the child's CPU is read");
});
