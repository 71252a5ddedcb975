// The baselines of bench/system.bench.ts, each run as a process of its own:
//   bare FILE   GET /bare answers the JSON in FILE (what a cached search serves), nothing else;
//   flight      the original's flight service for a booking: POST /validate reads the seat
//               counter, POST /decrement is one EVALSHA that never goes below zero;
//   payment     the original's payment service with latency 0: POST /charge answers success;
//   booking     the original's booking work: validate, decrement, charge (HTTP to the two
//               above, FLIGHT_URL and PAYMENT_URL) and one INSERT into bookings_db.
// Node stand-ins for the Go original, which cannot live in this repository: they do its work
// and no more, so Skybook's figures divided by theirs show what Skybook's guarantees cost.
// Each announces {"url": ...} to bench/lib/child-servers.ts once it listens, and stops on SIGTERM.
import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance } from "fastify";
import { Pool } from "undici";
import { createSql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { announceUrls } from "./child-servers.js";
import { seatKey } from "./stand-in-keys.js";

const DECREMENT = `
local left = tonumber(redis.call('GET', KEYS[1]) or '-1')
local n = tonumber(ARGV[1])
if left < n then return -1 end
return redis.call('DECRBY', KEYS[1], n)`;

type Seats = { flight_id: number; seats: number };
const closers: (() => Promise<unknown>)[] = [];

async function flight(app: FastifyInstance): Promise<void> {
  const redis = createRedis(process.env.REDIS_URL as string);
  closers.push(() => closeRedis(redis));
  const sha = (await redis.script("LOAD", DECREMENT)) as string;
  app.post<{ Body: Seats }>("/validate", async (request) => {
    const left = Number((await redis.get(seatKey(request.body.flight_id))) ?? -1);
    return { valid: left >= request.body.seats, price: 8500, available_seats: left };
  });
  app.post<{ Body: Seats }>("/decrement", async (request, reply) => {
    const left = (await redis.evalsha(sha, 1, seatKey(request.body.flight_id), request.body.seats)) as number;
    if (left < 0) return reply.code(409).send({ error: "sold_out", message: "Not enough seats." });
    return { success: true, flight_id: request.body.flight_id, available_seats: left };
  });
}

function payment(app: FastifyInstance): void {
  app.post<{ Body: { booking_id: number; amount: number } }>("/charge", async (request) => ({
    payment_id: "pay_0123456789abcdef0123456789abcdef",
    booking_id: request.body.booking_id,
    amount: request.body.amount,
    status: "success",
  }));
}

async function booking(app: FastifyInstance): Promise<void> {
  const flights = new Pool(process.env.FLIGHT_URL as string, { connections: 128 });
  const payments = new Pool(process.env.PAYMENT_URL as string, { connections: 128 });
  const sql = createSql(process.env.BOOKINGS_DATABASE_URL as string, 10);
  closers.push(
    () => flights.close(),
    () => payments.close(),
    () => sql.end({ timeout: 5 }),
  );
  await sql`CREATE TABLE IF NOT EXISTS original_bookings (
    id bigserial PRIMARY KEY, user_id bigint NOT NULL, flight_id bigint NOT NULL, seats int NOT NULL,
    amount numeric(12, 2) NOT NULL, payment_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;
  const post = async (pool: Pool, path: string, body: unknown) => {
    const r = await pool.request({
      method: "POST",
      path,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: r.statusCode, body: (await r.body.json()) as Record<string, unknown> };
  };
  let next = 0;
  app.post<{ Body: Seats & { user_id: number } }>("/book", async (request, reply) => {
    const { user_id, flight_id, seats } = request.body;
    const valid = await post(flights, "/validate", { flight_id, seats });
    if (valid.body.valid !== true) return reply.code(409).send({ error: "sold_out", message: "Not enough seats." });
    const taken = await post(flights, "/decrement", { flight_id, seats });
    if (taken.status !== 200) return reply.code(409).send({ error: "sold_out", message: "Not enough seats." });
    const amount = (valid.body.price as number) * seats;
    const paid = await post(payments, "/charge", { booking_id: ++next, amount });
    const [row] = await sql<{ id: string }[]>`
      INSERT INTO original_bookings (user_id, flight_id, seats, amount, payment_id)
      VALUES (${user_id}, ${flight_id}, ${seats}, ${amount}, ${paid.body.payment_id as string}) RETURNING id`;
    return { booking_id: Number(row?.id), status: "confirmed", total_amount: amount };
  });
}

const [role, file] = process.argv.slice(2);
const app = Fastify({ logger: false });
if (role === "bare") {
  const body = JSON.parse(readFileSync(file as string, "utf8")) as unknown;
  app.get("/bare", async () => body);
} else if (role === "flight") await flight(app);
else if (role === "payment") payment(app);
else if (role === "booking") await booking(app);
else throw new Error(`stand-in: unknown role ${role}`);
const address = await app.listen({ host: "127.0.0.1", port: 0 });
announceUrls({ url: address });
process.once("SIGTERM", () => {
  void app
    .close()
    .then(() => Promise.all(closers.map((c) => c())))
    .then(() => process.exit(0));
});
