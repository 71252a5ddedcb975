import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import { burst } from "../../bench/lib/burst.js";
import type { BurstSpec } from "../../bench/lib/load-spec.js";

const WINNER_DELAY_MS = 150;

/** Refuses odd users at once and books even ones after WINNER_DELAY_MS, as a full flight's burst would. */
async function bookingServer(): Promise<{ server: Server; url: string; seen: Set<number> }> {
  const seen = new Set<number>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const { user_id } = JSON.parse(raw) as { user_id: number };
      seen.add(user_id);
      const answer = (status: number) => res.writeHead(status, { "content-type": "application/json" }).end("{}\n");
      if (user_id % 2 === 1) answer(409);
      else setTimeout(() => answer(200), WINNER_DELAY_MS);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/bookings`, seen };
}

const spec = (url: string, count: number): BurstSpec => ({
  url,
  count,
  requests: { kind: "bookings", firstFlight: 7, flights: 1, date: "2026-12-24", accounts: [] },
});

t.test("a burst counts each status and says when its last answer came", async (t) => {
  const { server, url, seen } = await bookingServer();
  t.teardown(() => server.close());
  const figures = await burst(spec(url, 40));

  t.same(figures.statuses, { "200": 20, "409": 20 });
  t.equal(seen.size, 40, "every request came from a user of its own");
  const last200 = figures.lastByStatus["200"] as number;
  const last409 = figures.lastByStatus["409"] as number;
  t.ok(last200 >= WINNER_DELAY_MS, `the bookings' last answer (${last200} ms) came after their delay`);
  t.ok(last409 < last200, `the refusals' last answer (${last409} ms) came before the bookings' (${last200} ms)`);
  t.ok(figures.ms >= last200 - 1, `the burst's time (${figures.ms.toFixed(1)} ms) is its last answer's`);
});

t.test("requests nobody answers are counted as errors, with their time", async (t) => {
  const { server, url } = await bookingServer();
  server.close();
  await once(server, "close");
  const figures = await burst(spec(url, 5));
  t.same(figures.statuses, { error: 5 });
  t.same(Object.keys(figures.lastByStatus), ["error"]);
});
