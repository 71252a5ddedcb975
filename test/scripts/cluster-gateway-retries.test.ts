import t from "tap";
import { hasNginx, startGateway, startInstanceStands } from "../helpers/nginx-gateway.js";

// `make cluster-up`'s nginx sent a request that an instance took and died on (SIGKILL, a crash)
// to the other instance, POSTs included: a booking without an Idempotency-Key whose booking-svc
// instance was killed while it waited for its payment was booked and charged twice, once by the
// recovery sweeper and once by the other instance. Writes of booking-svc and user-svc are now
// resent only with an Idempotency-Key, and the one cut off answers JSON; flight-svc's and
// payment-mock's, which booking-svc names by hold id or key, are still resent.

if (!(await hasNginx())) {
  t.plan(0, "nginx is not installed (make cluster-up installs it)");
} else {
  const hits = new Map<string, number>();
  // Both instances of every service: a POST dies with its connection, as it does when the
  // instance is killed while it runs.
  const stands = await startInstanceStands(2, (name) => (req, res) => {
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (req.method === "POST") {
      req.socket.destroy();
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ service: name }));
  });
  t.teardown(() => stands.close());
  const gateway = await startGateway(stands.base);
  t.teardown(() => gateway.stop());
  const { ports } = gateway;

  const post = async (port: number, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ flight_id: 1, seats: 1, date: "2030-03-01" }),
    });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  };
  const cutOff = {
    status: 502,
    type: "application/json",
    body: /^\{"error":"bad_gateway","message":"The service stopped before it answered, so the request may have been carried out: .*"\}\n$/,
  };

  // Each case on a service of its own: an instance that failed sits out fail_timeout (2 s).
  t.test("a booking without an Idempotency-Key is sent to one instance only", async (t) => {
    t.match(await post(ports.GATEWAY_PORT, "/api/bookings"), cutOff);
    t.equal(hits.get("booking-svc"), 1, "the other instance never saw it");
  });

  t.test("a write of user-svc with an Idempotency-Key is sent again to the other instance", async (t) => {
    t.match(await post(ports.USER_PORT, "/api/loyalty/3/adjust", { "idempotency-key": "k-1" }), cutOff);
    t.equal(hits.get("user-svc"), 2);
  });

  t.test("booking-svc's writes to flight-svc, named by their hold id, are sent again", async (t) => {
    t.equal((await post(ports.FLIGHT_PORT, "/api/flights/holds")).status, 502);
    t.equal(hits.get("flight-svc"), 2);
  });

  t.test("a read still goes to the other instance", async (t) => {
    const res = await fetch(`http://127.0.0.1:${ports.BOOKING_PORT}/api/bookings/1`);
    t.equal(res.status, 200);
    t.same(await res.json(), { service: "booking-svc" });
  });
}
