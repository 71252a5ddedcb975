import { keys } from "../../flight-svc/inventory/keys.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { InvariantResult } from "../report/types.js";

// Check-in's invariants over the scenario's flights, once everything has settled: one passenger
// per seat in PostgreSQL and in Redis (and the two agree), never more seats assigned than
// confirmed (per flight and per booking), and no seat left to a cancelled booking.

export interface SeatStores {
  flightsSql: Sql;
  bookingsSql: Sql;
  redis: RedisClient;
}

const owner = (value: string) => value.split(":").slice(0, 2).join(":");

export async function seatAssignmentInvariants(s: SeatStores, flightIds: number[]): Promise<InvariantResult[]> {
  const rows = await s.flightsSql<{ flight_id: number; seat: string; owner: string; booking_ref: string }[]>`
    SELECT flight_id::int AS flight_id, seat, booking_ref || ':' || passenger AS owner, booking_ref
    FROM seat_assignments WHERE flight_id = ANY(${flightIds}::bigint[])`;

  const twiceInPg = new Set<string>();
  const seen = new Set<string>();
  const ownersSeen = new Set<string>();
  for (const r of rows) {
    for (const [set, k] of [
      [seen, `${r.flight_id}/${r.seat}`],
      [ownersSeen, `${r.flight_id}/${r.owner}`],
    ] as const) {
      if (set.has(k)) twiceInPg.add(k);
      set.add(k);
    }
  }

  const redisProblems: string[] = [];
  for (const f of flightIds) {
    const map = await s.redis.hgetall(keys.seatMap(f));
    if (map._ === undefined) continue;
    delete map._;
    const owners = Object.values(map).map(owner);
    if (new Set(owners).size !== owners.length) redisProblems.push(`flight ${f}: a passenger holds two seats`);
    const truth = new Map(rows.filter((r) => r.flight_id === f).map((r) => [r.seat, r.owner]));
    const redis = new Map(Object.entries(map).map(([seat, v]) => [seat, owner(v)]));
    const differ = [...new Set([...truth.keys(), ...redis.keys()])].filter(
      (seat) => truth.get(seat) !== redis.get(seat),
    );
    if (differ.length > 0)
      redisProblems.push(`flight ${f}: seats ${differ.slice(0, 5).join(", ")} differ from PostgreSQL`);
  }

  const over = await s.flightsSql<{ what: string }[]>`
    SELECT 'flight ' || f.id || ': ' || count(a.seat) || ' assigned, ' || f.booked_seats || ' confirmed' AS what
    FROM flights f JOIN seat_assignments a ON a.flight_id = f.id
    WHERE f.id = ANY(${flightIds}::bigint[]) GROUP BY f.id, f.booked_seats HAVING count(a.seat) > f.booked_seats
    UNION ALL
    SELECT 'booking ' || a.booking_ref || ' on flight ' || a.flight_id || ': ' || count(*) || ' assigned, '
           || COALESCE((SELECT SUM(l.seats) FROM seat_ledger l WHERE l.booking_ref = a.booking_ref
                        AND l.status = 'confirmed' AND a.flight_id = ANY(l.flight_ids)), 0) || ' confirmed'
    FROM seat_assignments a WHERE a.flight_id = ANY(${flightIds}::bigint[])
    GROUP BY a.booking_ref, a.flight_id
    HAVING count(*) > COALESCE((SELECT SUM(l.seats) FROM seat_ledger l WHERE l.booking_ref = a.booking_ref
                                AND l.status = 'confirmed' AND a.flight_id = ANY(l.flight_ids)), 0)`;

  // Seats are a booking's ref's (contracts/flight-svc/booking-ref.ts), as its hold id names it.
  const refs = [...new Set(rows.map((r) => r.booking_ref))];
  const ids = refs.map((ref) => Number(ref.split("-")[0]));
  const cancelled = await s.bookingsSql<{ id: number }[]>`
    SELECT id::int AS id FROM bookings
    WHERE id = ANY(${ids}::bigint[]) AND substring(hold_id FROM 4) = ANY(${refs}::text[]) AND status <> 'confirmed'`;

  return [
    {
      name: "no seat assigned twice",
      ok: twiceInPg.size === 0 && redisProblems.length === 0,
      detail:
        twiceInPg.size + redisProblems.length === 0
          ? `${rows.length} seats on ${flightIds.length} flights, each held once, Redis equal to PostgreSQL`
          : [...[...twiceInPg].map((k) => `${k} twice in PostgreSQL`), ...redisProblems].slice(0, 5).join("; "),
    },
    {
      name: "assigned ≤ confirmed",
      ok: over.length === 0,
      detail:
        over.length === 0
          ? "per flight and per booking"
          : over
              .slice(0, 5)
              .map((o) => o.what)
              .join("; "),
    },
    {
      name: "cancelled bookings hold no seats",
      ok: cancelled.length === 0,
      detail:
        cancelled.length === 0
          ? "none"
          : `bookings ${cancelled
              .map((c) => c.id)
              .slice(0, 10)
              .join(", ")}`,
    },
  ];
}
