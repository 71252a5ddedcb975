import t from "tap";
import { Ledger } from "../../../flight-svc/inventory/ledger.js";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";

// POST /api/flights/holds/:id/hand-over: legs of a booking's confirmed hold become another hold's
// of the same booking, their seats still booked; releasing the first then gives back only the
// legs it kept. On both inventory protocols, since every return now reads its legs from the ledger.

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

for (const protocol of ["auto", "per-leg"]) {
  t.test(`INVENTORY_PROTOCOL=${protocol}`, async (t) => {
    const { app } = await build(t, { auth, env: { INVENTORY_PROTOCOL: protocol, HOLD_SWEEP_MS: "600000" } });
    const call = (method: "POST" | "DELETE", url: string, payload?: Record<string, unknown>) =>
      app.inject({ headers: service, method, url, ...(payload === undefined ? {} : { payload }) });
    const handOver = (from: string, to: string, flightIds: number[]) =>
      call("POST", `/api/flights/holds/${from}/hand-over`, { to_hold_id: to, flight_ids: flightIds });
    const booked = async (...ids: number[]) => Promise.all(ids.map((id) => bookedSeats(app.sql, id)));
    const confirmed = async (holdId: string, flightIds: number[], seats = 2) => {
      await app.inventory.placeHold({ holdId, flightIds, seats });
      await app.inventory.confirmHold(holdId);
    };

    t.test("a kept leg changes hands; the release gives back only the dropped leg", async (t) => {
      const [kept, dropped, added] = await seedFlights(app.sql, [{ total: 2 }, { total: 10 }, { total: 10 }]);
      await confirmed("bk-1", [kept!, dropped!]);
      await confirmed("bk-1-c1", [added!]);
      const moved = await handOver("bk-1", "bk-1-c1", [kept!]);
      t.equal(moved.statusCode, 200);
      t.same(moved.json(), { hold_id: "bk-1", to_hold_id: "bk-1-c1", flight_ids: [kept] });
      t.same((await handOver("bk-1", "bk-1-c1", [kept!])).json(), moved.json(), "a repeat answers the same");
      t.same(await booked(kept!, dropped!, added!), [2, 2, 2], "nothing booked or freed");

      t.match((await call("DELETE", "/api/flights/holds/bk-1")).json(), { status: "cancelled", seats_returned: true });
      t.same(await booked(kept!, dropped!, added!), [2, 0, 2]);
      t.same(await app.inventory.availableSeats([kept!, dropped!, added!]), [0, 10, 8]);
      t.equal((await handOver("bk-1", "bk-1-c1", [kept!])).statusCode, 200, "after the release, too");

      t.match((await call("DELETE", "/api/flights/holds/bk-1-c1")).json(), { status: "cancelled" });
      t.same(await booked(kept!, dropped!, added!), [0, 0, 0], "the new hold gives back the kept leg with its own");
      t.same(await app.inventory.availableSeats([kept!, dropped!, added!]), [2, 10, 10]);
      const drift = await app.inject({ headers: admin, method: "POST", url: "/api/admin/reconcile" });
      t.same(drift.json().drift, []);
    });

    t.test("booking-svc's holds with its booking's nonce are that booking's", async (t) => {
      const [kept, dropped] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
      const [own, change] = ["bk-7-0f1e2d3c4b5a6978", "bk-7-0f1e2d3c4b5a6978-c1"];
      await confirmed(own, [kept!, dropped!]);
      const other = await handOver(own, "bk-8-0f1e2d3c4b5a6978-c1", [kept!]);
      t.match(other, { statusCode: 400 }, "another booking's, though with the same nonce");
      const sameId = await handOver(own, "bk-7-a1b2c3d4e5f60718-c1", [kept!]);
      t.match(sameId, { statusCode: 400 }, "another booking's, given the same id after a bookings_db reset");
      t.equal((await handOver(own, change, [kept!])).statusCode, 200);
      const rows = await app.sql<{ op_id: string; booking_ref: string }[]>`
        SELECT op_id, booking_ref FROM seat_ledger WHERE op_id IN (${own}, ${change}) ORDER BY op_id`;
      t.same(
        rows.map((r) => [r.op_id, r.booking_ref]),
        [
          [own, "7-0f1e2d3c4b5a6978"],
          [change, "7-0f1e2d3c4b5a6978"],
        ],
        "the ledger names the booking",
      );
      t.match((await call("DELETE", `/api/flights/holds/${own}`)).json(), { status: "cancelled" });
      t.match((await call("DELETE", `/api/flights/holds/${change}`)).json(), { status: "cancelled" });
      t.same(await booked(kept!, dropped!), [0, 0]);
    });

    t.test("every leg kept, or no new leg: the target is made, the old hold gives back nothing", async (t) => {
      const [a, b] = await seedFlights(app.sql, [{ total: 2 }, { total: 10 }]);
      await confirmed("bk-2", [a!]);
      await confirmed("bk-2-c1", [b!]);
      t.equal((await handOver("bk-2", "bk-2-c1", [a!])).statusCode, 200);
      t.match((await call("DELETE", "/api/flights/holds/bk-2")).json(), { status: "cancelled" });
      t.same(await booked(a!, b!), [2, 2]);

      t.equal((await handOver("bk-2-c1", "bk-2-c2", [a!])).statusCode, 200, "bk-2-c2 was never held");
      t.match((await call("DELETE", "/api/flights/holds/bk-2-c1")).json(), { status: "cancelled" });
      t.same(await booked(a!, b!), [2, 0]);
      t.same(await app.inventory.availableSeats([a!, b!]), [0, 10]);
      t.match((await call("DELETE", "/api/flights/holds/bk-2-c2")).json(), {
        status: "cancelled",
        seats_returned: true,
      });
      t.same(await booked(a!, b!), [0, 0]);
      t.same(await app.inventory.availableSeats([a!, b!]), [2, 10]);
    });

    t.test("a target placed on the leg too (a change begun before hand-overs): the old copy goes back", async (t) => {
      const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
      await confirmed("bk-5", [a!, b!]);
      await confirmed("bk-5-c1", [a!]);
      t.equal((await handOver("bk-5", "bk-5-c1", [a!])).statusCode, 200, "nothing to move");
      t.match((await call("DELETE", "/api/flights/holds/bk-5")).json(), { status: "cancelled", seats_returned: true });
      t.same(await booked(a!, b!), [2, 0]);
      t.same(await app.inventory.availableSeats([a!, b!]), [8, 10]);
    });

    t.test("a return that began before a hand-over frees nothing in PostgreSQL: it starts again", async (t) => {
      const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
      await confirmed("bk-6", [a!, b!]);
      t.equal((await handOver("bk-6", "bk-6-c1", [a!])).statusCode, 200);
      t.equal(await new Ledger(app.sql).cancel("bk-6", [a!, b!]), "moved", "the legs it had marked");
      t.same(await booked(a!, b!), [2, 2]);
      t.match((await call("DELETE", "/api/flights/holds/bk-6")).json(), { status: "cancelled" });
      t.same(await booked(a!, b!), [2, 0]);
    });

    t.test("refusals change nothing", async (t) => {
      const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
      await confirmed("bk-3", [a!]);
      await confirmed("bk-3-c1", [b!], 1);
      await app.inventory.placeHold({ holdId: "bk-3-c2", flightIds: [b!], seats: 2 });
      const refused = async (from: string, to: string, legs: number[]) => {
        const r = await handOver(from, to, legs);
        return { status: r.statusCode, error: r.json().error };
      };
      t.same(await refused("bk-3", "bk-4-c1", [a!]), { status: 400, error: "validation_error" }, "another booking");
      t.same(await refused("bk-3", "bk-3-c1", [a!]), { status: 409, error: "conflict" }, "other seats");
      t.same(await refused("bk-3", "bk-3-c2", [a!]), { status: 409, error: "conflict" }, "target only held");
      t.same(await refused("bk-3", "bk-3-c3", [b!]), { status: 409, error: "conflict" }, "not a leg of the hold");
      t.same(await refused("bk-9", "bk-9-c1", [a!]), { status: 404, error: "hold_not_found" });
      t.same(await booked(a!, b!), [2, 1]);
      t.match((await call("DELETE", "/api/flights/holds/bk-3")).json(), { status: "cancelled" });
      t.same(await booked(a!, b!), [0, 1], "the hold kept all its legs");
    });
  });
}
