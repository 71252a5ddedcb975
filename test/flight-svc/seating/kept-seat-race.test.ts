import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { SeatsRepo } from "../../../flight-svc/seating/repo.js";
import { SeatAssignmentsService } from "../../../flight-svc/seating/service.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { confirmBookings, seatRows } from "../../helpers/seating.js";

// A check-in that names no seat for a passenger keeps the seat they have. Two check-ins of one
// booking at once (a client pressing check-in while the traveller picks a seat) must not let the
// plain one, planned before the seat choice committed, move the passenger back: the choice
// answered 200 with its boarding pass, and that pass would no longer stand.

t.test(
  "a check-in without a seat choice, planned before a concurrent choice committed, keeps the chosen seat",
  async (t) => {
    const { app } = await build(t);
    const [f] = (await seedFlights(app.sql, [{ total: 60 }])) as [number];
    await confirmBookings(app.sql, [1], [f]);
    await app.inventory.seating.assign(f, "1", [{ passenger: 0 }]);
    t.same(await seatRows(app.sql, f), [{ seat: "1A", owner: "1:0" }], "seated by the first check-in");

    let chosen: Awaited<ReturnType<typeof app.inventory.seating.assign>> | undefined;
    // The plain check-in reads the passenger's seat (1A), then the choice of 5C commits.
    const repo = new (class extends SeatsRepo {
      override async ofBooking(flightId: number, ref: string) {
        const read = await super.ofBooking(flightId, ref);
        chosen ??= await app.inventory.seating.assign(f, "1", [{ passenger: 0, seat: "5C" }]);
        return read;
      }
    })(app.sql);
    const plain = await new SeatAssignmentsService(app.redis, repo).assign(f, "1", [{ passenger: 0 }]);

    t.match(chosen, [{ passenger: 0, seat: "5C" }], "the choice was answered 5C");
    t.match(plain, [{ passenger: 0, seat: "5C" }], "the plain check-in answers the seat the passenger has");
    t.same(await seatRows(app.sql, f), [{ seat: "5C", owner: "1:0" }], "the passenger sits where they chose");
    const map = await app.redis.hgetall(keys.seatMap(f));
    delete map._;
    t.same(Object.keys(map), ["5C"], "the seat map shows 5C alone");
  },
);
