import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import t from "tap";
import { isSeat } from "../../../contracts/flight-svc/seat-layout.js";
import type { SeatAssignment } from "../../../contracts/flight-svc/seats.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { type LegPlan, SeatsRepo } from "../../../flight-svc/seating/repo.js";
import { SeatAssignmentsService } from "../../../flight-svc/seating/service.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { confirmBookings, seatRows } from "../../helpers/seating.js";

// A check-in racing a PATCH that cuts total_seats: whichever commits second sees the other, so no
// passenger sits outside the cabin. Each test pins one interleaving, with real PostgreSQL locks.

const cutTo = (app: FastifyInstance, id: number, total: number) =>
  app.inject({ method: "PATCH", url: `/api/flights/${id}`, payload: { total_seats: total } });

t.test("a check-in that read 180 seats just before a cut to 144 committed is refused seat 25F", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 180 }])) as [number];
  await confirmBookings(app.sql, [1, 2], [f]);
  let cut: Awaited<ReturnType<typeof cutTo>> | undefined;
  // The cut commits after the check-in read the flight and before its transaction began.
  const repo = new (class extends SeatsRepo {
    override async flight(id: number) {
      const read = await super.flight(id);
      cut ??= await cutTo(app, id, 144);
      return read;
    }
  })(app.sql);
  const seating = new SeatAssignmentsService(app.redis, repo);

  await t.rejects(seating.assign(f, "1", [{ passenger: 0, seat: "25F" }]), {
    code: "validation_error",
    message: `seat 25F does not exist on flight ${f}`,
    details: { field: "passengers[0].seat" },
  });
  t.equal(cut?.statusCode, 200, "the cut found no passenger in rows 25–30");
  t.same(await seatRows(app.sql, f), [], "nobody sits in 25F");
  t.equal(await app.redis.hget(keys.seatMap(f), "25F"), null, "the claim of 25F is gone from the seat map");
  t.match(await seating.assign(f, "2", [{ passenger: 0 }]), [{ passenger: 0, seat: "1A" }], "others check in");
});

t.test("a cut waits for a check-in moving a passenger to 25F, then refuses to drop 25F", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 180 }])) as [number];
  await confirmBookings(app.sql, [1], [f]);
  await app.inventory.seating.assign(f, "1", [{ passenger: 0, seat: "1A" }]);
  let entered: () => void = () => {};
  const inside = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  // The check-in holds its transaction open after writing 25F, until the gate opens.
  const repo = new (class extends SeatsRepo {
    override assign(
      ref: string,
      legs: LegPlan[],
      beforeCommit: (flightId: number, written: SeatAssignment[]) => Promise<unknown>,
    ) {
      return super.assign(ref, legs, async (flightId, written) => {
        entered();
        await gate;
        return beforeCommit(flightId, written);
      });
    }
  })(app.sql);
  const seating = new SeatAssignmentsService(app.redis, repo);

  const moving = seating.assign(f, "1", [{ passenger: 0, seat: "25F" }]);
  await inside;
  let done = false;
  const cut = cutTo(app, f, 144).finally(() => {
    done = true;
  });
  while (!done && !(await lockWaiters(app))) await sleep(20);
  open();
  t.match(await moving, [{ passenger: 0, seat: "25F" }]);
  t.same((await cut).json(), {
    error: "conflict",
    message: "total_seats 144 leaves out seat 25F, where a passenger has checked in.",
    field: "total_seats",
    seats: ["25F"],
  });
  const [row] = await app.sql<{ total_seats: number }[]>`SELECT total_seats FROM flights WHERE id = ${f}`;
  t.equal(row?.total_seats, 180, "the cabin keeps row 25");
});

t.test(
  "check-ins all over the cabin while total_seats swings between 24 and 60: no deadlock, nobody outside",
  async (t) => {
    const { app } = await build(t);
    const [f] = (await seedFlights(app.sql, [{ total: 60 }])) as [number];
    const bookings = Array.from({ length: 20 }, (_, i) => i + 1);
    await confirmBookings(app.sql, bookings, [f]);
    const checkIns = bookings.map(async (b) => {
      const seat = `${(b % 10) + 1}${"ACF"[b % 3]}`;
      try {
        return (await app.inventory.seating.assign(f, `${b}`, [{ passenger: 0, seat }]))[0]?.seat;
      } catch (err) {
        t.equal((err as { code?: string }).code, "validation_error", `${seat}: seated, or not in the cabin`);
        return null;
      }
    });
    const cuts = (async () => {
      const answers: number[] = [];
      for (let i = 0; i < 10; i++) answers.push((await cutTo(app, f, i % 2 === 0 ? 60 : 24)).statusCode);
      return answers;
    })();
    await Promise.all(checkIns);
    t.ok(
      (await cuts).every((s) => s === 200 || s === 409),
      "each change applied, or refused naming the seats",
    );
    const [row] = await app.sql<{ total_seats: number }[]>`SELECT total_seats FROM flights WHERE id = ${f}`;
    const total = row?.total_seats as number;
    const seats = (await seatRows(app.sql, f)).map((r) => r.seat);
    t.same(
      seats.filter((s) => !isSeat(s, total)),
      [],
      `every seat is in the cabin of ${total}`,
    );
  },
);

async function lockWaiters(app: FastifyInstance): Promise<boolean> {
  const [row] = await app.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return (row?.n ?? 0) > 0;
}
